// Per-call options every method shares: AbortSignal, and paging through long lists.
import assert from "node:assert/strict";
import { test } from "node:test";
import { createKfpClient, dex, rejection, withSandbox } from "./helpers.mjs";

test("iterateExperiments pages through every experiment with next_page_token", async () => {
  await withSandbox({ profile: "kubeflow-1.9.1" }, async (sb) => {
    const client = await createKfpClient({ apiUrl: sb.apiUrl, auth: dex(sb.users[0]), namespace: "kubeflow-user-example-com" });
    for (let i = 0; i < 5; i++) await client.createExperiment(`paged-${i}`);
    const all = (await client.listExperiments({ pageSize: 100 })).experiments.map((e) => e.experiment_id);
    sb.resetStats();
    const seen = [];
    for await (const e of client.iterateExperiments({ pageSize: 2, sortBy: "display_name" })) seen.push(e.experiment_id);
    assert.deepEqual([...seen].sort(), [...all].sort());
    assert.equal(new Set(seen).size, seen.length, "no experiment twice");
    assert.equal(sb.stats.requests.length, Math.ceil(all.length / 2));
  });
});

test("an AbortSignal cancels a call: KFP_ABORTED, and the client keeps working", async () => {
  await withSandbox({ profile: "kubeflow-1.9.1" }, async (sb) => {
    const client = await createKfpClient({ apiUrl: sb.apiUrl, auth: dex(sb.users[0]), namespace: "kubeflow-user-example-com" });
    const before = sb.stats.requests.length;
    const err = await rejection(client.listExperiments({ signal: AbortSignal.abort() }));
    assert.equal(err.code, "KFP_ABORTED");
    assert.equal(sb.stats.requests.length, before, "an aborted signal sends nothing");
    const controller = new AbortController();
    const pending = client.healthz({ signal: controller.signal });
    controller.abort();
    assert.equal((await rejection(pending)).code, "KFP_ABORTED");
    assert.ok(Array.isArray((await client.listExperiments()).experiments));
    const bad = await rejection(client.getExperiment("x", { signal: "soon" }));
    assert.ok(bad instanceof TypeError);
    assert.equal(bad.code, "ERR_INVALID_ARG_TYPE");
  });
});

test("createKfpClient's signal aborts the login", async () => {
  await withSandbox({ profile: "kubeflow-1.9.1" }, async (sb) => {
    const err = await rejection(createKfpClient({ apiUrl: sb.apiUrl, auth: dex(sb.users[0]), signal: AbortSignal.abort() }));
    assert.equal(err.code, "KFP_ABORTED");
    assert.equal(sb.stats.requests.length, 0);
  });
});
