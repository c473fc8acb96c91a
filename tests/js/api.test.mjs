// The whole KFP API through the packed package, against the sandbox: experiments, pipelines and
// versions, uploads, runs and waiting, recurring runs, paging and filters, on a v2beta1 server
// (KFP 2.3), a v1beta1-only one (2.0.0-alpha.7, as in deployKF ≤ 0.1.4) that must answer in the
// same v2beta1 shape, and KFP 2.14; then multi-user namespaces, session renewal during a wait,
// and sessions exported and resumed.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import http from "node:http";
import { join } from "node:path";
import { describe, test } from "node:test";
import { createKfpClient, dex, Filter, kfp as pkg, listen, rejection, withSandbox } from "./helpers.mjs";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");
const SUM = readFileSync(join(FIXTURES, "sum_numbers_pipeline.yaml"), "utf8");
const PLATFORM = readFileSync(join(FIXTURES, "train_with_platform_spec_pipeline.yaml"), "utf8");
const FAST = { pendingMs: 30, runningMs: 120, cancelMs: 30 };
const WAIT = { pollIntervalMs: 25, timeoutMs: 10_000 };

for (const profile of ["no-auth", "no-auth-v1", "no-auth-2.14"]) {
  describe(`the API on ${profile}`, () => {
    test("experiments, pipelines, versions, runs and recurring runs, in v2beta1 shape", async () => {
      await withSandbox({ profile, kfp: FAST }, async (sb) => {
        const kfp = await createKfpClient({ apiUrl: sb.apiUrl });
        const health = await kfp.healthz();
        assert.equal(typeof health.multi_user, "boolean");
        const v1 = profile === "no-auth-v1";
        assert.equal(kfp.apiVersion, v1 ? "v1beta1" : "v2beta1");

        // Experiments
        const exp = await kfp.createExperiment("api-test", { description: "d" });
        assert.ok(exp.experiment_id && exp.display_name === "api-test", JSON.stringify(exp));
        assert.equal((await kfp.getExperiment(exp.experiment_id)).display_name, "api-test");
        assert.equal((await kfp.getExperiment({ name: "api-test" })).experiment_id, exp.experiment_id);
        assert.equal((await rejection(kfp.getExperiment({ name: "no-such" }))).code, "KFP_NOT_FOUND");
        const named = [];
        for await (const e of kfp.iterExperiments({ pageSize: 1 })) named.push(e.display_name);
        assert.ok(named.includes("api-test") && named.includes("Default"), named.join());
        await kfp.archiveExperiment(exp.experiment_id);
        assert.equal((await kfp.getExperiment(exp.experiment_id)).storage_state, "ARCHIVED");
        await kfp.unarchiveExperiment(exp.experiment_id);
        assert.equal((await kfp.getExperiment(exp.experiment_id)).storage_state, "AVAILABLE");

        // Pipelines and versions: text, bytes and Blob packages
        const pipeline = await kfp.uploadPipeline(SUM, { description: "sums" });
        assert.ok(pipeline.pipeline_id, JSON.stringify(pipeline));
        assert.equal(pipeline.display_name, "sum-numbers", "the name defaults to pipelineInfo.name");
        assert.equal((await kfp.getPipeline(pipeline.pipeline_id)).pipeline_id, pipeline.pipeline_id);
        assert.equal((await kfp.getPipeline({ name: "sum-numbers" })).pipeline_id, pipeline.pipeline_id);
        assert.equal(await kfp.getPipelineId("sum-numbers"), pipeline.pipeline_id);
        assert.equal(await kfp.getPipelineId("no-such-pipeline"), null);
        const v2 = await kfp.uploadPipelineVersion(new TextEncoder().encode(SUM), { pipelineId: pipeline.pipeline_id, versionName: "v2" });
        assert.equal(v2.display_name, "v2");
        assert.equal(v2.pipeline_id, pipeline.pipeline_id);
        const v3 = await kfp.uploadPipelineVersion(new Blob([SUM]), { pipelineName: "sum-numbers", versionName: "v3" });
        const versions = [];
        for await (const v of kfp.iterPipelineVersions(pipeline.pipeline_id, { pageSize: 1 })) versions.push(v.pipeline_version_id);
        assert.equal(versions.length, 3, versions.join());
        const got = await kfp.getPipelineVersion(pipeline.pipeline_id, v3.pipeline_version_id);
        assert.equal(got.pipeline_version_id, v3.pipeline_version_id);
        const pipelines = await kfp.listPipelines({ filter: Filter.equals("display_name", "sum-numbers") });
        assert.deepEqual(pipelines.pipelines.map((p) => p.pipeline_id), [pipeline.pipeline_id]);
        const bad = await rejection(kfp.uploadPipeline("just: [text"));
        assert.equal(bad.code, "KFP_INVALID_PIPELINE");

        // Runs from an uploaded version and from a package; waiting
        const run = await kfp.runPipeline(exp.experiment_id, "from-version", { pipelineId: pipeline.pipeline_id, versionId: v2.pipeline_version_id, params: { count: 3 } });
        assert.ok(run.run_id, JSON.stringify(run));
        assert.equal(run.experiment_id, exp.experiment_id);
        const progress = [];
        const done = await kfp.waitForRunCompletion(run.run_id, { ...WAIT, onProgress: (r) => progress.push(r.state) });
        assert.equal(done.state, "SUCCEEDED");
        assert.ok(progress.length >= 2 && progress.at(-1) === "SUCCEEDED", progress.join());
        assert.equal(done.pipeline_version_reference?.pipeline_version_id, v2.pipeline_version_id);

        const fromPackage = await kfp.createRunFromPipelinePackage(PLATFORM, { experimentName: "from-package", arguments: { epochs: 2 }, enableCaching: false });
        assert.ok(fromPackage.display_name.startsWith("train-with-secret "), fromPackage.display_name);
        const created = await kfp.getExperiment({ name: "from-package" });
        assert.equal(fromPackage.experiment_id, created.experiment_id, "the experiment was created");
        assert.equal((await kfp.waitForRunCompletion(fromPackage.run_id, WAIT)).state, "SUCCEEDED");
        const again = await kfp.createRunFromPipelinePackage(SUM, { experimentName: "from-package", runName: "second" });
        assert.equal(again.experiment_id, created.experiment_id, "an existing experiment is reused");

        const failing = await kfp.runPipeline(exp.experiment_id, "fails", { pipelinePackage: SUM, params: { sandbox_outcome: "FAILED" } });
        assert.equal((await kfp.waitForRunCompletion(failing.run_id, WAIT)).state, "FAILED");

        const slow = await kfp.createRunFromPipelinePackage(SUM, { experimentId: exp.experiment_id, runName: "to-cancel" });
        assert.equal((await kfp.waitForRunStatus(slow.run_id, "RUNNING", WAIT)).state, "RUNNING");
        const timeout = await rejection(kfp.waitForRunCompletion(slow.run_id, { timeoutMs: 1, pollIntervalMs: 10 }));
        assert.equal(timeout.code, "KFP_TIMEOUT");
        assert.equal(timeout.run?.run_id, slow.run_id, "the error carries the last run seen");
        await kfp.terminateRun(slow.run_id);
        const ended = await kfp.waitForRunCompletion(slow.run_id, WAIT);
        // v1beta1 reports CANCELED as "Failed" (REPORT §5); both are finished.
        assert.equal(ended.state, v1 ? "FAILED" : "CANCELED");

        await kfp.retryRun(failing.run_id);
        assert.ok(["RUNNING", "PENDING", "FAILED"].includes((await kfp.getRun(failing.run_id)).state));
        await kfp.archiveRun(run.run_id);
        assert.equal((await kfp.getRun(run.run_id)).storage_state, "ARCHIVED");
        await kfp.unarchiveRun(run.run_id);
        const inExperiment = [];
        for await (const r of kfp.iterRuns({ experimentId: exp.experiment_id, pageSize: 2 })) inExperiment.push(r.run_id);
        assert.equal(new Set(inExperiment).size, 3, inExperiment.join());
        const succeeded = await kfp.listRuns({ experimentId: exp.experiment_id, filter: Filter.equals("display_name", "from-version") });
        assert.deepEqual(succeeded.runs.map((r) => r.run_id), [run.run_id]);
        await kfp.deleteRun(run.run_id);
        assert.equal((await rejection(kfp.getRun(run.run_id))).code, "KFP_NOT_FOUND");

        // Recurring runs really run, and really stop when disabled
        const every = await kfp.createRecurringRun(exp.experiment_id, "every-second", { pipelineId: pipeline.pipeline_id, versionId: v2.pipeline_version_id, intervalSecond: 1, maxConcurrency: 2 });
        assert.ok(every.recurring_run_id, JSON.stringify(every));
        assert.equal(every.mode, "ENABLE");
        assert.equal((await kfp.getRecurringRun(every.recurring_run_id)).display_name, "every-second");
        const listed = await kfp.listRecurringRuns({ experimentId: exp.experiment_id });
        assert.deepEqual(listed.recurringRuns.map((r) => r.recurring_run_id), [every.recurring_run_id]);
        const scheduled = async () => {
          const runs = [];
          for await (const r of kfp.iterRuns({ experimentId: exp.experiment_id })) if (r.recurring_run_id === every.recurring_run_id) runs.push(r);
          return runs.length;
        };
        const deadline = Date.now() + 8000;
        while ((await scheduled()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        assert.ok((await scheduled()) > 0, "the schedule made a run");
        await kfp.disableRecurringRun(every.recurring_run_id);
        assert.equal((await kfp.getRecurringRun(every.recurring_run_id)).status, "DISABLED");
        const frozen = await scheduled();
        await new Promise((r) => setTimeout(r, 1500));
        assert.equal(await scheduled(), frozen, "no run after disable");
        await kfp.enableRecurringRun(every.recurring_run_id);
        assert.equal((await kfp.getRecurringRun(every.recurring_run_id)).status, "ENABLED");
        await kfp.deleteRecurringRun(every.recurring_run_id);
        assert.equal((await rejection(kfp.getRecurringRun(every.recurring_run_id))).code, "KFP_NOT_FOUND");

        // Clean up pipelines: versions first (or cascade on 2.14+)
        if (profile === "no-auth-2.14") {
          await kfp.deletePipeline(pipeline.pipeline_id, { cascade: true });
        } else {
          for (const id of versions) await kfp.deletePipelineVersion(pipeline.pipeline_id, id);
          await kfp.deletePipeline(pipeline.pipeline_id);
        }
        assert.equal((await rejection(kfp.getPipeline(pipeline.pipeline_id))).code, "KFP_NOT_FOUND");
        await kfp.deleteExperiment(created.experiment_id);
      });
    });
  });
}

test("paging through 10,000 runs: every run once, one request per page, filters on the wire", async () => {
  await withSandbox({ profile: "no-auth" }, async (sb) => {
    sb.kfp.seedRuns({ count: 10_000 });
    const kfp = await createKfpClient({ apiUrl: sb.apiUrl });
    sb.resetStats();
    const ids = new Set();
    for await (const run of kfp.iterRuns({ pageSize: 200 })) ids.add(run.run_id);
    assert.equal(ids.size, 10_000);
    assert.equal(sb.stats.requests.length, 50, "one request per page: the first JSON answer pins v2beta1, no probe");
    const page = await kfp.listRuns({ pageSize: 5, sortBy: "created_at desc", filter: Filter.and(Filter.equals("state", "SUCCEEDED"), Filter.isSubstring("display_name", "seeded")) });
    assert.equal(page.runs.length, 5);
    assert.ok(page.total_size >= 10_000 && page.next_page_token);
  });
});

test("iterators stop on an empty token, not an empty page, and refuse a repeated token", async () => {
  let calls = 0;
  const server = await listen((req, res) => {
    const url = new URL(req.url, "http://x");
    res.setHeader("content-type", "application/json");
    if (url.pathname.endsWith("/healthz")) return res.end("{}");
    calls++;
    const token = url.searchParams.get("page_token");
    if (url.pathname.endsWith("/experiments")) {
      // An empty page with a token, then a page, then the end.
      if (!token) return res.end(JSON.stringify({ next_page_token: "t1" }));
      if (token === "t1") return res.end(JSON.stringify({ experiments: [{ experiment_id: "e1" }], next_page_token: "t2" }));
      return res.end(JSON.stringify({ experiments: [{ experiment_id: "e2" }] }));
    }
    // Runs: the server hands out the same token forever.
    res.end(JSON.stringify({ runs: [{ run_id: `r${calls}` }], next_page_token: "same" }));
  });
  try {
    const kfp = await createKfpClient({ apiUrl: server.origin, apiVersion: "v2beta1", retry: false });
    const seen = [];
    for await (const e of kfp.iterExperiments()) seen.push(e.experiment_id);
    assert.deepEqual(seen, ["e1", "e2"]);
    const runs = [];
    const err = await rejection((async () => { for await (const r of kfp.iterRuns()) runs.push(r); })());
    assert.equal(err.code, "KFP_UNEXPECTED_RESPONSE");
    assert.ok(err instanceof pkg.KfpError);
    assert.ok(runs.length <= 3, `stopped after ${runs.length} pages`);
  } finally {
    await server.close();
  }
});

test("single-object calls refuse arrays, null and strings; lists refuse a non-array list", async () => {
  const bodies = { "/apis/v2beta1/experiments/a": "[1,2,3]", "/apis/v2beta1/experiments/b": "null", "/apis/v2beta1/experiments/c": "\"x\"", "/apis/v2beta1/experiments": "{\"experiments\": {\"not\": \"a list\"}}" };
  const server = await listen((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(bodies[new URL(req.url, "http://x").pathname] ?? "{}");
  });
  try {
    const kfp = await createKfpClient({ apiUrl: server.origin, apiVersion: "v2beta1" });
    for (const id of ["a", "b", "c"]) assert.equal((await rejection(kfp.getExperiment(id))).code, "KFP_UNEXPECTED_RESPONSE", id);
    assert.equal((await rejection(kfp.listExperiments())).code, "KFP_UNEXPECTED_RESPONSE");
    assert.deepEqual(await kfp.healthz(), {});
  } finally {
    await server.close();
  }
});

function cyclic() {
  const o = { predicates: [] };
  o.self = o;
  return o;
}

function nested(depth) {
  let o = {};
  for (let i = 0; i < depth; i++) o = { o };
  return o;
}

test("bad arguments reject with TypeErrors that name them", async () => {
  await withSandbox({ profile: "no-auth" }, async (sb) => {
    const kfp = await createKfpClient({ apiUrl: sb.apiUrl });
    const cases = [
      [() => kfp.getRun(42), "ERR_INVALID_ARG_TYPE", "id"],
      [() => kfp.getExperiment(), "ERR_INVALID_ARG_TYPE", "id"],
      [() => kfp.runPipeline("e", "r", {}), "ERR_INVALID_ARG_VALUE", "options"],
      [() => kfp.runPipeline("e", "r", { versionId: "v" }), "ERR_INVALID_ARG_VALUE", "versionId"],
      [() => kfp.uploadPipelineVersion(SUM, {}), "ERR_INVALID_ARG_VALUE", "options"],
      [() => kfp.createRecurringRun("e", "x", { pipelineId: "p", intervalSecond: 60, cronExpression: "0 * * * * *" }), "ERR_INVALID_ARG_VALUE", "options"],
      [() => kfp.createRecurringRun("e", "x", { pipelineId: "p", cronExpression: "* *" }), "ERR_INVALID_ARG_VALUE", "cronExpression"],
      [() => kfp.waitForRunStatus("r", ["DONE"]), "ERR_INVALID_ARG_VALUE", "states"],
      [() => kfp.listRuns({ pageSize: -1 }), "ERR_INVALID_ARG_VALUE", "pageSize"],
      [() => kfp.uploadPipeline(12), "ERR_INVALID_ARG_TYPE", "pipeline"],
      // JSON options take plain data only: nothing is dropped or changed on the way.
      [() => kfp.runPipeline("e", "r", { pipelineId: "p", params: { f: () => 1 } }), "ERR_INVALID_ARG_VALUE", "params"],
      [() => kfp.runPipeline("e", "r", { pipelineId: "p", params: { m: new Map([["a", 1]]) } }), "ERR_INVALID_ARG_VALUE", "params"],
      [() => kfp.runPipeline("e", "r", { pipelineId: "p", params: { n: NaN } }), "ERR_INVALID_ARG_VALUE", "params"],
      [() => kfp.runPipeline("e", "r", { pipelineId: "p", params: { big: 1n } }), "ERR_INVALID_ARG_VALUE", "params"],
      [() => kfp.listRuns({ filter: cyclic() }), "ERR_INVALID_ARG_VALUE", "filter"],
      [() => kfp.request("POST", "/apis/v2beta1/runs", { body: { deep: nested(200) } }), "ERR_INVALID_ARG_VALUE", "body"],
    ];
    for (const [call, code, name] of cases) {
      const err = await rejection(call());
      assert.ok(err instanceof TypeError, `${call}: ${err}`);
      assert.equal(err.code, code, `${call}: ${err.message}`);
      assert.ok(err.message.includes(`"${name}"`), err.message);
    }
    assert.throws(() => Filter.equals("k", {}), TypeError);
    assert.deepEqual(Filter.in("state", ["A", "B"]), { predicates: [{ key: "state", operation: "IN", string_values: { values: ["A", "B"] } }] });
  });
});

test("multi-user: the client's namespace is the default, a long wait survives an expired session, and sessions resume", async () => {
  await withSandbox({ profile: "deploykf-0.1.5", kfp: FAST }, async (sb) => {
    const user = sb.users[1];
    const kfp = await createKfpClient({ apiUrl: sb.apiUrl, auth: dex(user), namespace: "team-1" });
    assert.equal(kfp.getUserNamespace(), "team-1");
    const run = await kfp.createRunFromPipelinePackage(SUM, { experimentName: "mu" });
    const exp = await kfp.getExperiment({ name: "mu" });
    assert.equal(exp.namespace, "team-1");
    assert.ok((await kfp.listRuns()).runs.some((r) => r.run_id === run.run_id), "listRuns defaults to the client namespace");
    kfp.setUserNamespace("team-1-prod");
    assert.equal((await rejection(kfp.createExperiment("not-allowed"))).code, "KFP_PERMISSION_DENIED", "user1 only views team-1-prod");
    kfp.setUserNamespace("team-1");

    sb.expireSessions();
    const done = await kfp.waitForRunCompletion(run.run_id, WAIT);
    assert.equal(done.state, "SUCCEEDED");
    assert.equal(kfp.loginCount, 2, "the expired session was renewed once");

    const saved = JSON.parse(JSON.stringify(kfp.exportSession()));
    assert.equal(saved.authType, "dex");
    assert.equal(saved.username, user.username);
    assert.ok(!JSON.stringify(saved).replaceAll(user.username, "").includes(user.password), "no password in the session");
    assert.ok(saved.cookies.length > 0);
    const posts = sb.stats.passwordPosts;
    const resumed = await createKfpClient({ apiUrl: sb.apiUrl, session: saved, namespace: "team-1" });
    assert.equal((await resumed.getRun(run.run_id)).run_id, run.run_id);
    assert.equal(sb.stats.passwordPosts, posts, "no login for a resumed session");
    sb.expireSessions();
    assert.equal((await rejection(resumed.getRun(run.run_id))).code, "KFP_SESSION_EXPIRED", "without auth it cannot log in again");
    const renewable = await createKfpClient({ apiUrl: sb.apiUrl, session: saved, auth: dex(user) });
    assert.equal(sb.stats.passwordPosts, posts, "resuming with auth does not log in up front");
    assert.equal((await renewable.getRun(run.run_id)).run_id, run.run_id);
    assert.equal(sb.stats.passwordPosts, posts + 1, "it logged in again when the session was gone");
    const wrong = await rejection(createKfpClient({ apiUrl: "http://other.example/pipeline", session: saved }));
    assert.equal(wrong.code, "ERR_INVALID_ARG_VALUE");
  });
});

test("a GET is retried on 503 and honours Retry-After; a POST never is", async () => {
  let gets = 0;
  let posts = 0;
  const server = await listen((req, res) => {
    if (req.method === "POST") {
      posts++;
      res.writeHead(503, { "content-type": "text/plain" });
      return res.end("busy");
    }
    gets++;
    if (gets < 3) {
      res.writeHead(503, { "content-type": "text/plain", "retry-after": "0" });
      return res.end("busy");
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{\"run_id\":\"r\"}");
  });
  try {
    const kfp = await createKfpClient({ apiUrl: server.origin, apiVersion: "v2beta1", retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 } });
    assert.equal((await kfp.getRun("r")).run_id, "r");
    assert.equal(gets, 3);
    const err = await rejection(kfp.terminateRun("r"));
    assert.equal(err.code, "KFP_SERVER_ERROR");
    assert.equal(posts, 1);
    gets = -10;
    const tired = await rejection(kfp.getRun("r"));
    assert.equal(tired.code, "KFP_SERVER_ERROR");
    assert.match(tired.message, /3 attempts/);
    const off = await createKfpClient({ apiUrl: server.origin, apiVersion: "v2beta1", retry: false });
    gets = 0;
    assert.equal((await rejection(off.getRun("r"))).code, "KFP_SERVER_ERROR");
    assert.equal(gets, 1);
  } finally {
    await server.close();
  }
});

test("an answer past maxResponseBytes is KFP_RESPONSE_TOO_LARGE, streamed or declared", async () => {
  const big = JSON.stringify({ runs: Array.from({ length: 5000 }, (_, i) => ({ run_id: `r${i}`, display_name: "x".repeat(50) })) });
  const server = http.createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url.includes("chunked")) {
      res.write(big.slice(0, 1000));
      return res.end(big.slice(1000));
    }
    res.end(big);
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  try {
    const apiUrl = `http://127.0.0.1:${server.address().port}`;
    const small = await createKfpClient({ apiUrl, apiVersion: "v2beta1", maxResponseBytes: 64 * 1024 });
    assert.equal((await rejection(small.listRuns())).code, "KFP_RESPONSE_TOO_LARGE");
    assert.equal((await rejection(small.request("GET", "/chunked"))).code, "KFP_RESPONSE_TOO_LARGE");
    const roomy = await createKfpClient({ apiUrl, apiVersion: "v2beta1" });
    assert.equal((await roomy.listRuns()).runs.length, 5000);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});
