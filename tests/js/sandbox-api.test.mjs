// Tests for the sandbox's emulated KFP API server (sandbox/kfp-api.mjs + sandbox/kfp/*): pipelines,
// upload, versions, runs and their lifecycle, recurring runs, pagination and filters, error shapes,
// on v2beta1 and v1beta1, against the no-auth profiles (2.3.0, 2.14.0, 2.0.0-alpha.7 v1-only) and
// the multi-user service-account profile. Plain fetch, no wasm needed.
// Run: node --test tests/js/sandbox-api.test.mjs
import assert from "node:assert/strict";
import fs from "node:fs";
import { test } from "node:test";
import { startSandbox } from "../../sandbox/index.mjs";

const fixture = (name) => fs.readFileSync(new URL(`../../sandbox/fixtures/${name}`, import.meta.url));
const SUM = fixture("sum_numbers_pipeline.yaml");
const TRAIN = fixture("train_with_platform_spec_pipeline.yaml");

const T = { timeout: 30_000 };
const FAST = { pendingMs: 60, runningMs: 240, cancelMs: 60 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withSandbox(opts, fn) {
  const sb = await startSandbox(opts);
  try {
    return await fn(sb);
  } finally {
    await sb.close();
  }
}

/** JSON call → { status, body, text, contentType }. */
async function call(base, method, path, body, headers = {}) {
  const init = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  const res = await fetch(base + path, init);
  const text = await res.text();
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, contentType: res.headers.get("content-type") };
}

/** Multipart upload of `bytes` as `uploadfile` named `filename`. */
async function upload(base, path, bytes, filename, query = {}) {
  const fd = new FormData();
  fd.append("uploadfile", new Blob([bytes]), filename);
  const qs = new URLSearchParams(query).toString();
  const res = await fetch(`${base}${path}${qs ? "?" + qs : ""}`, { method: "POST", body: fd });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) };
}

/** Poll fn() until pred(value) or timeout. */
async function waitFor(fn, pred, timeoutMs = 5000, label = "condition") {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (pred(last)) return last;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${label}; last: ${JSON.stringify(last)?.slice(0, 500)}`);
}

const enc2 = (obj) => encodeURIComponent(encodeURIComponent(JSON.stringify(obj)));

// ---------------------------------------------------------------------------------------------
test("v2 upload of both fixtures, versions, pipeline_spec (with platform spec), names, delete rules", T, async () => {
  await withSandbox({ profile: "no-auth" }, async (sb) => {
    const api = `${sb.apiUrl}/apis/v2beta1`;
    // name defaults to the file name; zero values omitted
    let r = await upload(api, "/pipelines/upload", SUM, "sum_numbers_pipeline.yaml");
    assert.equal(r.status, 200, JSON.stringify(r.body));
    const sum = r.body;
    assert.equal(sum.display_name, "sum_numbers_pipeline.yaml");
    assert.match(sum.pipeline_id, /^[0-9a-f-]{36}$/);
    assert.match(sum.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(sum.description, undefined);
    assert.equal(sum.namespace, undefined);
    assert.equal(sum.name, undefined, "no separate name column before 2.14");

    r = await call(api, "GET", `/pipelines/${sum.pipeline_id}/versions`);
    assert.equal(r.status, 200);
    assert.equal(r.body.total_size, 1);
    const v1 = r.body.pipeline_versions[0];
    assert.equal(v1.pipeline_id, sum.pipeline_id);
    assert.equal(v1.pipeline_spec.pipelineInfo.name, "sum-numbers");
    assert.deepEqual(Object.keys(v1.pipeline_spec.root.dag.tasks), ["make-numbers", "total"]);
    assert.equal(v1.pipeline_spec.root.inputDefinitions.parameters.count.defaultValue, 10);

    // second YAML document → {pipeline_spec, platform_spec}
    r = await upload(api, "/pipelines/upload", TRAIN, "train.yml", { name: "train", description: "with a secret", namespace: "ignored-in-single-user" });
    assert.equal(r.status, 200);
    const train = r.body;
    assert.equal(train.display_name, "train");
    assert.equal(train.description, "with a secret");
    assert.equal(train.namespace, undefined);
    r = await call(api, "GET", `/pipelines/${train.pipeline_id}/versions`);
    const tv = r.body.pipeline_versions[0];
    r = await call(api, "GET", `/pipelines/${train.pipeline_id}/versions/${tv.pipeline_version_id}`);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body.pipeline_spec).sort(), ["pipeline_spec", "platform_spec"]);
    assert.equal(r.body.pipeline_spec.pipeline_spec.pipelineInfo.name, "train-with-secret");
    assert.equal(r.body.pipeline_spec.platform_spec.platforms.kubernetes.deploymentSpec.executors["exec-train"].secretAsEnv[0].secretName, "s3-credentials");

    // upload_version; .json is read as JSON
    const asJson = JSON.stringify(v1.pipeline_spec);
    r = await upload(api, "/pipelines/upload_version", asJson, "sum.json", { pipelineid: sum.pipeline_id, name: "v2", description: "json" });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.display_name, "v2");
    assert.equal(r.body.pipeline_id, sum.pipeline_id);
    assert.equal(r.body.pipeline_spec.pipelineInfo.name, "sum-numbers");
    r = await call(api, "GET", `/pipelines/${sum.pipeline_id}/versions?sort_by=${encodeURIComponent("display_name desc")}`);
    assert.deepEqual(r.body.pipeline_versions.map((v) => v.display_name), ["v2", "sum_numbers_pipeline.yaml"]);

    // upload errors: {error_message, error_details}
    r = await upload(api, "/pipelines/upload", SUM, "sum.yaml", { name: "train" });
    assert.equal(r.status, 409);
    assert.deepEqual(Object.keys(r.body).sort(), ["error_details", "error_message"]);
    assert.match(r.body.error_message, /already exist/);
    r = await upload(api, "/pipelines/upload", SUM, "sum.txt");
    assert.equal(r.status, 400);
    assert.match(r.body.error_message, /Unexpected pipeline file format/);
    r = await upload(api, "/pipelines/upload_version", SUM, "sum.yaml", { name: "x" });
    assert.equal(r.status, 400);
    assert.match(r.body.error_message, /pipeline id/);
    const fd = new FormData();
    fd.append("file", new Blob([SUM]), "sum.yaml");
    const res = await fetch(`${api}/pipelines/upload`, { method: "POST", body: fd });
    assert.equal(res.status, 400);
    assert.match((await res.json()).error_message, /no such file/);

    // get, by name, list with filter (double-encoded, camelCase + enum number)
    r = await call(api, "GET", `/pipelines/${train.pipeline_id}`);
    assert.equal(r.body.display_name, "train");
    r = await call(api, "GET", `/pipelines/names/train`);
    assert.equal(r.body.pipeline_id, train.pipeline_id);
    r = await call(api, "GET", `/pipelines/names/nope`);
    assert.equal(r.status, 404);
    r = await call(api, "GET", `/pipelines?filter=${enc2({ predicates: [{ operation: 1, key: "display_name", stringValue: "train" }] })}`);
    assert.deepEqual(r.body.pipelines.map((p) => p.pipeline_id), [train.pipeline_id]);
    assert.equal(r.body.total_size, 1);

    // v2 create (no versions), CreatePipelineAndVersion needs a package_url
    r = await call(api, "POST", "/pipelines", { display_name: "empty", description: "no versions" });
    assert.equal(r.status, 200);
    const empty = r.body;
    r = await call(api, "POST", "/pipelines", { display_name: "empty" });
    assert.equal(r.status, 409);
    r = await call(api, "POST", "/pipelines", { displayName: "x", pipeline_versions: [] });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /unknown field "pipeline_versions" in v2beta1.Pipeline/);

    // DeletePipeline fails while versions exist (cascade only from 2.14)
    r = await call(api, "DELETE", `/pipelines/${sum.pipeline_id}?cascade=true`);
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 3);
    assert.match(r.body.message, /as it has existing pipeline versions/);
    r = await call(api, "GET", `/pipelines/${sum.pipeline_id}/versions`);
    for (const v of r.body.pipeline_versions) assert.equal((await call(api, "DELETE", `/pipelines/${sum.pipeline_id}/versions/${v.pipeline_version_id}`)).status, 200);
    r = await call(api, "GET", `/pipelines/${sum.pipeline_id}/versions`);
    assert.deepEqual(r.body, {}, "empty list → {}");
    assert.equal((await call(api, "DELETE", `/pipelines/${sum.pipeline_id}`)).status, 200);
    assert.equal((await call(api, "DELETE", `/pipelines/${empty.pipeline_id}`)).status, 200);
    r = await call(api, "GET", `/pipelines/${sum.pipeline_id}`);
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 5);
  });
});

// ---------------------------------------------------------------------------------------------
test("v2 runs: embedded spec and version reference, lifecycle, tasks, terminate, retry, archive", T, async () => {
  await withSandbox({ profile: "no-auth", kfp: FAST }, async (sb) => {
    const api = `${sb.apiUrl}/apis/v2beta1`;
    const up = await upload(api, "/pipelines/upload", SUM, "sum.yaml", { name: "sum" });
    const pid = up.body.pipeline_id;
    const vid = (await call(api, "GET", `/pipelines/${pid}/versions`)).body.pipeline_versions[0].pipeline_version_id;
    const exp = (await call(api, "POST", "/experiments", { display_name: "runs" })).body;
    const get = async (id) => (await call(api, "GET", `/runs/${id}`)).body;

    // by version reference
    let r = await call(api, "POST", "/runs", { display_name: "by ref", experiment_id: exp.experiment_id, pipeline_version_reference: { pipeline_id: pid, pipeline_version_id: vid }, runtime_config: { parameters: { count: 3 }, pipeline_root: "minio://x" } });
    assert.equal(r.status, 200, r.text);
    const byRef = r.body;
    assert.equal(byRef.state, "PENDING");
    assert.equal(byRef.finished_at, "1970-01-01T00:00:00Z");
    assert.deepEqual(byRef.runtime_config, { parameters: { count: 3 }, pipeline_root: "minio://x" });
    assert.deepEqual(byRef.pipeline_version_reference, { pipeline_id: pid, pipeline_version_id: vid });
    assert.equal(byRef.pipeline_spec, undefined);
    assert.equal(byRef.experiment_id, exp.experiment_id);

    // embedded PipelineSpec (the version's pipeline_spec), default experiment in single-user mode
    const spec = (await call(api, "GET", `/pipelines/${pid}/versions/${vid}`)).body.pipeline_spec;
    r = await call(api, "POST", "/runs", { display_name: "embedded", pipeline_spec: spec, runtime_config: { parameters: { sandbox_outcome: "FAILED" } } });
    assert.equal(r.status, 200, r.text);
    const failing = r.body;
    assert.equal(failing.pipeline_spec.pipelineInfo.name, "sum-numbers");
    const dflt = (await call(api, "GET", `/experiments/${failing.experiment_id}`)).body;
    assert.equal(dflt.display_name, "Default");

    // PENDING → RUNNING → SUCCEEDED, with one task per root.dag.tasks entry
    const running = await waitFor(() => get(byRef.run_id), (x) => x.state !== "PENDING", 3000, "not PENDING");
    if (running.state === "RUNNING") assert.equal(running.run_details.task_details.length, 2);
    const done = await waitFor(() => get(byRef.run_id), (x) => x.state === "SUCCEEDED", 3000, "SUCCEEDED");
    assert.deepEqual(done.state_history.map((h) => h.state), ["PENDING", "RUNNING", "SUCCEEDED"]);
    assert.notEqual(done.finished_at, "1970-01-01T00:00:00Z");
    assert.deepEqual(done.run_details.task_details.map((t) => [t.display_name, t.state]), [["make-numbers", "SUCCEEDED"], ["total", "SUCCEEDED"]]);
    for (const t of done.run_details.task_details) {
      assert.ok(t.create_time && t.end_time && t.task_id && typeof t.execution_id === "string");
      assert.equal(t.run_id, byRef.run_id);
    }
    assert.equal(done.error, undefined);

    // FAILED via sandbox_outcome; retry → RUNNING → FAILED again; setOutcome → SUCCEEDED
    let f = await waitFor(() => get(failing.run_id), (x) => x.state === "FAILED", 3000, "FAILED");
    assert.equal(f.error.code, 2);
    assert.match(f.error.message, /failed/);
    assert.deepEqual(f.run_details.task_details.map((t) => t.state), ["SUCCEEDED", "FAILED"]);
    sb.kfp.setTimings({ runningMs: 1000 });
    r = await call(api, "POST", `/runs/${failing.run_id}:retry`);
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, {});
    f = await get(failing.run_id);
    assert.equal(f.state, "RUNNING");
    assert.equal(f.error, undefined);
    assert.equal(f.finished_at, "1970-01-01T00:00:00Z");
    sb.kfp.setTimings(FAST);
    await waitFor(() => get(failing.run_id), (x) => x.state === "FAILED", 3000, "FAILED again");
    sb.kfp.setOutcome((run) => (run.display_name === "embedded" ? "SUCCEEDED" : undefined));
    await call(api, "POST", `/runs/${failing.run_id}:retry`);
    f = await waitFor(() => get(failing.run_id), (x) => x.state === "SUCCEEDED", 3000, "retried SUCCEEDED");
    assert.deepEqual(f.state_history.map((h) => h.state), ["PENDING", "RUNNING", "FAILED", "RUNNING", "FAILED", "RUNNING", "SUCCEEDED"]);
    sb.kfp.setOutcome(null);
    r = await call(api, "POST", `/runs/${failing.run_id}:retry`);
    assert.equal(r.status, 400, "retrying a SUCCEEDED run");
    assert.match(r.body.message, /Failed\/Error to retry/);

    // SKIPPED via setOutcome
    sb.kfp.setOutcome(() => "SKIPPED");
    r = await call(api, "POST", "/runs", { display_name: "skipped", pipeline_spec: spec });
    await waitFor(() => get(r.body.run_id), (x) => x.state === "SKIPPED", 3000, "SKIPPED");
    sb.kfp.setOutcome(null);

    // terminate → CANCELING → CANCELED; terminating a finished run → 400
    sb.kfp.setTimings({ runningMs: 5000 });
    r = await call(api, "POST", "/runs", { display_name: "long", experiment_id: exp.experiment_id, pipeline_spec: spec });
    const long = r.body;
    await waitFor(() => get(long.run_id), (x) => x.state === "RUNNING", 3000, "long RUNNING");
    sb.kfp.setTimings({ cancelMs: 1000 });
    r = await call(api, "POST", `/runs/${long.run_id}:terminate`);
    assert.equal(r.status, 200);
    assert.equal((await get(long.run_id)).state, "CANCELING");
    sb.kfp.setTimings({ cancelMs: FAST.cancelMs });
    const canceled = await waitFor(() => get(long.run_id), (x) => x.state === "CANCELED", 3000, "CANCELED");
    assert.ok(canceled.run_details.task_details.some((t) => t.state === "CANCELED"));
    r = await call(api, "POST", `/runs/${long.run_id}:terminate`);
    assert.equal(r.status, 400);
    sb.kfp.setTimings(FAST);
    r = await call(api, "POST", `/runs/${long.run_id}:retry`);
    assert.equal(r.status, 200, "CANCELED runs can be retried");
    await waitFor(() => get(long.run_id), (x) => x.state === "SUCCEEDED", 3000, "long SUCCEEDED");

    // archive / unarchive; archiving the experiment archives its runs
    assert.equal((await call(api, "POST", `/runs/${byRef.run_id}:archive`)).status, 200);
    assert.equal((await get(byRef.run_id)).storage_state, "ARCHIVED");
    assert.equal((await call(api, "POST", `/runs/${byRef.run_id}:unarchive`)).status, 200);
    assert.equal((await get(byRef.run_id)).storage_state, "AVAILABLE");
    assert.equal((await call(api, "POST", `/experiments/${exp.experiment_id}:archive`)).status, 200);
    r = await call(api, "GET", `/runs?experiment_id=${exp.experiment_id}&filter=${enc2({ predicates: [{ key: "storage_state", operation: "EQUALS", string_value: "ARCHIVED" }] })}`);
    assert.equal(r.body.total_size, 2);
    r = await call(api, "POST", `/runs/${byRef.run_id}:unarchive`);
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 9);
    assert.match(r.body.message, /must be un-archived first/);
    await call(api, "POST", `/experiments/${exp.experiment_id}:unarchive`);

    // last_run_created_at is a 2.5+ field
    assert.equal((await call(api, "GET", `/experiments/${exp.experiment_id}`)).body.last_run_created_at, undefined);

    // create errors
    r = await call(api, "POST", "/runs", { display_name: "x", pipeline_version_reference: { pipeline_id: pid } });
    assert.equal(r.status, 400, "pipeline_version_id is required before 2.5");
    r = await call(api, "POST", "/runs", { display_name: "x" });
    assert.equal(r.status, 400);
    r = await call(api, "POST", "/runs", { pipeline_spec: spec });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /run name is empty/);
    r = await call(api, "POST", "/runs", { display_name: "x", pipeline_spec: spec, runtime_config: { parameters: {}, bogus: 1 } });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /unknown field "bogus" in v2beta1.RuntimeConfig/);
    r = await call(api, "POST", "/runs", { display_name: "x", pipeline_spec: spec, state: "NOPE" });
    assert.equal(r.status, 400);

    // delete
    assert.equal((await call(api, "DELETE", `/runs/${byRef.run_id}`)).status, 200);
    r = await call(api, "GET", `/runs/${byRef.run_id}`);
    assert.equal(r.status, 404);
    assert.equal(r.body.code, 5);

    // a run from the platform-spec fixture keeps the {pipeline_spec, platform_spec} wrapper
    const tp = (await upload(api, "/pipelines/upload", TRAIN, "train.yaml")).body;
    const tspec = (await call(api, "GET", `/pipelines/${tp.pipeline_id}/versions`)).body.pipeline_versions[0].pipeline_spec;
    r = await call(api, "POST", "/runs", { display_name: "wrapped", pipeline_spec: tspec });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.body.pipeline_spec).sort(), ["pipeline_spec", "platform_spec"]);
    const w = await waitFor(() => get(r.body.run_id), (x) => x.state === "SUCCEEDED", 3000, "wrapped SUCCEEDED");
    assert.deepEqual(w.run_details.task_details.map((t) => t.display_name), ["train"]);
  });
});

// ---------------------------------------------------------------------------------------------
test("v1beta1 on a 2.x server: upload, pipeline_versions, runs (apiRunDetail, status strings, slash actions), jobs", T, async () => {
  await withSandbox({ profile: "no-auth", kfp: FAST }, async (sb) => {
    const api = `${sb.apiUrl}/apis/v1beta1`;
    let r = await upload(api, "/pipelines/upload", SUM, "sum.yaml", { name: "sum-v1" });
    assert.equal(r.status, 200);
    const p = r.body;
    assert.equal(p.name, "sum-v1");
    assert.equal(p.default_version.name, "sum-v1");
    assert.deepEqual(p.default_version.resource_references, [{ key: { type: "PIPELINE", id: p.id }, relationship: "OWNER" }]);
    r = await upload(api, "/pipelines/upload_version", SUM, "sum.yaml", { pipelineid: p.id, name: "second" });
    assert.equal(r.status, 200);
    assert.equal(r.body.name, "second");
    const second = r.body;
    r = await call(api, "GET", `/pipeline_versions?resource_key.type=PIPELINE&resource_key.id=${p.id}&sort_by=name`);
    assert.deepEqual(r.body.versions.map((v) => v.name), ["second", "sum-v1"]);
    assert.equal(r.body.total_size, 2);
    r = await call(api, "GET", `/pipeline_versions?resource_key.id=${p.id}`);
    assert.equal(r.status, 400);
    r = await call(api, "GET", `/pipelines/${p.id}`);
    assert.equal(r.body.default_version.id, second.id, "the newest version is the default");
    r = await call(api, "POST", `/pipelines/${p.id}/default_version/${p.default_version.id}`);
    assert.equal(r.status, 200);
    assert.equal((await call(api, "GET", `/pipelines/${p.id}`)).body.default_version.id, p.default_version.id);
    r = await call(api, "GET", `/namespaces/-/pipelines/sum-v1`);
    assert.equal(r.body.id, p.id);
    r = await call(api, "GET", `/pipelines/${p.id}/templates`);
    assert.match(r.body.template, /^# PIPELINE DEFINITION/);
    r = await call(api, "GET", `/pipeline_versions/${second.id}/templates`);
    assert.match(r.body.template, /sum-numbers/);

    // v1 filters use `op`; `operation` is an unknown field
    r = await call(api, "GET", `/pipelines?filter=${enc2({ predicates: [{ key: "name", op: "IS_SUBSTRING", string_value: "v1" }] })}`);
    assert.deepEqual(r.body.pipelines.map((x) => x.id), [p.id]);
    r = await call(api, "GET", `/pipelines?filter=${enc2({ predicates: [{ key: "name", operation: "IS_SUBSTRING", string_value: "v1" }] })}`);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /unknown field "operation" in api.Predicate/);

    // runs: experiment + pipeline version references, v1 parameters
    const exp = (await call(api, "POST", "/experiments", { name: "v1 runs" })).body;
    const refs = [
      { key: { type: "EXPERIMENT", id: exp.id }, relationship: "OWNER" },
      { key: { type: "PIPELINE_VERSION", id: second.id }, relationship: "CREATOR" },
    ];
    r = await call(api, "POST", "/runs", { name: "v1 run", pipeline_spec: { parameters: [{ name: "count", value: "4" }, { name: "sandbox_outcome", value: "FAILED" }] }, resource_references: refs });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(Object.keys(r.body).sort(), ["pipeline_runtime", "run"]);
    const run = r.body.run;
    assert.equal(run.status, "Pending");
    assert.equal(run.storage_state, "STORAGESTATE_AVAILABLE");
    assert.deepEqual(run.resource_references.map((x) => `${x.key.type}:${x.relationship}`), ["EXPERIMENT:OWNER", "PIPELINE_VERSION:CREATOR"]);
    assert.deepEqual(run.pipeline_spec.parameters, [{ name: "count", value: "4" }, { name: "sandbox_outcome", value: "FAILED" }]);
    const getRun = async () => (await call(api, "GET", `/runs/${run.id}`)).body;
    const failed = await waitFor(getRun, (x) => x.run.status === "Failed", 3000, "Failed");
    const v2view = (await call(`${sb.apiUrl}/apis/v2beta1`, "GET", `/runs/${run.id}`)).body;
    assert.deepEqual(v2view.state_history.map((h) => h.state), ["PENDING", "RUNNING", "FAILED"]);
    assert.match(failed.run.error, /failed/);
    const wf = JSON.parse(failed.pipeline_runtime.pipeline_manifest);
    assert.equal(wf.status.phase, "Failed");

    // slash form of retry / terminate; colon form of archive
    assert.equal((await call(api, "POST", `/runs/${run.id}:retry`)).status, 404, "v1 retry is /retry, not :retry");
    sb.kfp.setTimings({ runningMs: 5000, cancelMs: 1000 });
    assert.equal((await call(api, "POST", `/runs/${run.id}/retry`)).status, 200);
    assert.equal((await getRun()).run.status, "Running");
    r = await call(api, "POST", "/runs", { name: "to cancel", pipeline_spec: { pipeline_id: p.id }, resource_references: refs.slice(0, 1) });
    const c = r.body.run;
    assert.equal(c.pipeline_spec.pipeline_id, p.id);
    assert.equal((await call(api, "POST", `/runs/${c.id}/terminate`)).status, 200);
    assert.equal((await call(api, "GET", `/runs/${c.id}`)).body.run.status, "Terminating");
    sb.kfp.setTimings({ cancelMs: FAST.cancelMs });
    await waitFor(async () => (await call(api, "GET", `/runs/${c.id}`)).body, (x) => x.run.status === "Failed", 3000, "canceled → Failed");
    assert.equal((await call(sb.apiUrl + "/apis/v2beta1", "GET", `/runs/${c.id}`)).body.state, "CANCELED");
    sb.kfp.setTimings(FAST);
    assert.equal((await call(api, "POST", `/runs/${c.id}:archive`)).status, 200);
    assert.equal((await call(api, "GET", `/runs/${c.id}`)).body.run.storage_state, "STORAGESTATE_ARCHIVED");

    // list by experiment reference; status filter (v1 key)
    r = await call(api, "GET", `/runs?resource_reference_key.type=EXPERIMENT&resource_reference_key.id=${exp.id}&sort_by=name%20desc`);
    assert.deepEqual(r.body.runs.map((x) => x.name), ["v1 run", "to cancel"]);
    r = await call(api, "GET", `/runs?filter=${enc2({ predicates: [{ key: "status", op: "EQUALS", string_value: "Failed" }] })}`);
    assert.deepEqual(r.body.runs.map((x) => x.name), ["to cancel"]);

    // jobs: `enabled`, mode ENABLED/DISABLED, list key `jobs`
    r = await call(api, "POST", "/jobs", { name: "nightly", enabled: false, max_concurrency: "1", trigger: { cron_schedule: { cron: "0 0 0 * * *" } }, pipeline_spec: { pipeline_id: p.id }, resource_references: refs.slice(0, 1) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.mode, "DISABLED");
    assert.equal(r.body.enabled, undefined, "false omitted");
    assert.equal(r.body.max_concurrency, "1");
    const job = r.body;
    assert.equal((await call(api, "POST", `/jobs/${job.id}/enable`)).status, 200);
    r = await call(api, "GET", `/jobs/${job.id}`);
    assert.equal(r.body.enabled, true);
    assert.equal(r.body.mode, "ENABLED");
    r = await call(api, "GET", "/jobs");
    assert.deepEqual(r.body.jobs.map((x) => x.id), [job.id]);
    assert.equal((await call(api, "DELETE", `/jobs/${job.id}`)).status, 200);
    assert.deepEqual((await call(api, "GET", "/jobs")).body, {});

    // v1 DeletePipeline removes the versions too
    assert.equal((await call(api, "DELETE", `/pipelines/${p.id}`)).status, 200);
    assert.equal((await call(api, "GET", `/pipeline_versions/${second.id}`)).status, 404);
  });
});

// ---------------------------------------------------------------------------------------------
test("recurring runs create runs on schedule, respect max_concurrency, stop on disable and delete", T, async () => {
  await withSandbox({ profile: "no-auth", kfp: { pendingMs: 30, runningMs: 120, cancelMs: 30 } }, async (sb) => {
    const api = `${sb.apiUrl}/apis/v2beta1`;
    const up = await upload(api, "/pipelines/upload", SUM, "sum.yaml", { name: "sched" });
    const pid = up.body.pipeline_id;
    const vid = (await call(api, "GET", `/pipelines/${pid}/versions`)).body.pipeline_versions[0].pipeline_version_id;
    const exp = (await call(api, "POST", "/experiments", { display_name: "sched" })).body;
    const base = { experiment_id: exp.experiment_id, pipeline_version_reference: { pipeline_id: pid, pipeline_version_id: vid }, max_concurrency: "10", mode: "ENABLE" };
    const runsOf = async (id) => (await call(api, "GET", `/runs?experiment_id=${exp.experiment_id}&page_size=200&filter=${enc2({ predicates: [{ key: "recurring_run_id", operation: "EQUALS", string_value: id }] })}`)).body.runs || [];

    // validation
    let r = await call(api, "POST", "/recurringruns", { ...base, display_name: "bad", max_concurrency: "0", trigger: { periodic_schedule: { interval_second: "1" } } });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /max concurrency of the recurring run is out of range\. Support 1-10\. Received 0/);
    r = await call(api, "POST", "/recurringruns", { ...base, display_name: "bad", trigger: { cron_schedule: { cron: "* * *" } } });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /Schedule cron is not a supported format.*Expected 5 to 6 fields, found 3/);
    r = await call(api, "POST", "/recurringruns", { ...base, display_name: "bad", trigger: { periodic_schedule: { interval_second: "0" } } });
    assert.equal(r.status, 400);
    assert.match(r.body.message, /interval 0/);

    // a periodic one, a cron one (6 fields) and a max_concurrency 1 one with slow runs, in parallel
    r = await call(api, "POST", "/recurringruns", { ...base, display_name: "every second", trigger: { periodic_schedule: { interval_second: "1" } } });
    assert.equal(r.status, 200, r.text);
    const periodic = r.body;
    assert.equal(periodic.status, "ENABLED");
    assert.equal(periodic.mode, "ENABLE");
    assert.deepEqual(periodic.trigger, { periodic_schedule: { interval_second: "1" } });
    assert.equal(periodic.max_concurrency, "10");
    r = await call(api, "POST", "/recurringruns", { ...base, display_name: "cron", trigger: { cron_schedule: { cron: "*/1 * * * * *" } } });
    assert.equal(r.status, 200, r.text);
    const cron = r.body;
    r = await call(api, "POST", "/recurringruns", { ...base, display_name: "disabled", mode: "DISABLE", trigger: { periodic_schedule: { interval_second: "1" } } });
    const disabled = r.body;
    assert.equal(disabled.status, "DISABLED");

    const pr = await waitFor(() => runsOf(periodic.recurring_run_id), (x) => x.length >= 2, 4000, "2 periodic runs");
    for (const x of pr) assert.equal(x.recurring_run_id, periodic.recurring_run_id);
    await waitFor(() => runsOf(cron.recurring_run_id), (x) => x.length >= 2, 4000, "2 cron runs");
    await waitFor(() => runsOf(periodic.recurring_run_id), (x) => x.some((y) => y.state === "SUCCEEDED"), 3000, "a scheduled run finishes");

    // disable: nothing after the call returns; enable resumes; delete stops
    assert.equal((await call(api, "POST", `/recurringruns/${periodic.recurring_run_id}:disable`)).status, 200);
    assert.equal((await call(api, "DELETE", `/recurringruns/${cron.recurring_run_id}`)).status, 200);
    const afterDisable = (await runsOf(periodic.recurring_run_id)).length;
    const afterDelete = (await runsOf(cron.recurring_run_id)).length;
    r = await call(api, "GET", `/recurringruns/${periodic.recurring_run_id}`);
    assert.equal(r.body.status, "DISABLED");
    assert.equal(r.body.mode, "DISABLE");
    await sleep(1600);
    assert.equal((await runsOf(periodic.recurring_run_id)).length, afterDisable, "no run after :disable");
    assert.equal((await runsOf(cron.recurring_run_id)).length, afterDelete, "no run after DELETE");
    assert.equal((await runsOf(disabled.recurring_run_id)).length, 0, "mode DISABLE never runs");
    assert.equal((await call(api, "GET", `/recurringruns/${cron.recurring_run_id}`)).status, 404);
    await call(api, "POST", `/recurringruns/${periodic.recurring_run_id}:enable`);
    await waitFor(() => runsOf(periodic.recurring_run_id), (x) => x.length > afterDisable, 3000, "resumed after :enable");
    await call(api, "POST", `/recurringruns/${periodic.recurring_run_id}:disable`);

    // max_concurrency 1 with runs that outlast the interval: one run at a time
    sb.kfp.setTimings({ runningMs: 2600 });
    r = await call(api, "POST", "/recurringruns", { ...base, display_name: "one at a time", max_concurrency: "1", trigger: { periodic_schedule: { interval_second: "1" } } });
    const one = r.body;
    await sleep(2400);
    const oneRuns = await runsOf(one.recurring_run_id);
    assert.equal(oneRuns.length, 1, "max_concurrency 1 holds back new runs while one is unfinished");
    assert.ok(sb.kfp.stats.recurringSkipped >= 1);
    await call(api, "DELETE", `/recurringruns/${one.recurring_run_id}`);

    // the list key is literally recurringRuns
    r = await call(api, "GET", `/recurringruns?experiment_id=${exp.experiment_id}&sort_by=display_name`);
    assert.deepEqual(Object.keys(r.body).sort(), ["recurringRuns", "total_size"]);
    assert.deepEqual(r.body.recurringRuns.map((x) => x.display_name), ["disabled", "every second"]);
  });
});

// ---------------------------------------------------------------------------------------------
test("pagination over 10,000 seeded runs: tokens, filters, sort, limits, speed", T, async () => {
  await withSandbox({ profile: "no-auth" }, async (sb) => {
    const api = `${sb.apiUrl}/apis/v2beta1`;
    const t0 = performance.now();
    const ids = sb.kfp.seedRuns({ count: 10_000 });
    const failedIds = sb.kfp.seedRuns({ count: 150, state: "FAILED", namePrefix: "broken" });
    const seedMs = performance.now() - t0;
    assert.equal(ids.length, 10_000);
    assert.ok(seedMs < 1000, `seeding took ${seedMs} ms`);

    // walk every page of 200 with tokens
    const seen = new Set();
    let token = "";
    let pages = 0;
    let prev = "";
    let slowest = 0;
    do {
      const t = performance.now();
      const r = await call(api, "GET", `/runs?page_size=200${token ? `&page_token=${encodeURIComponent(token)}` : ""}`);
      slowest = Math.max(slowest, performance.now() - t);
      assert.equal(r.status, 200);
      assert.equal(r.body.total_size, 10_150);
      for (const run of r.body.runs) {
        assert.ok(!seen.has(run.run_id));
        seen.add(run.run_id);
        assert.ok(run.created_at >= prev, "ascending created_at");
        prev = run.created_at;
      }
      token = r.body.next_page_token || "";
      pages++;
    } while (token);
    assert.equal(pages, 51);
    assert.equal(seen.size, 10_150);
    assert.ok(slowest < 250, `slowest page ${slowest} ms`);

    // filter + sort + tokens: the token carries them; re-sending the same is fine, different → 400
    const filter = enc2({ predicates: [{ key: "state", operation: "IN", string_values: { values: ["FAILED", "CANCELED"] } }, { key: "display_name", operation: "IS_SUBSTRING", string_value: "broken" }] });
    let r = await call(api, "GET", `/runs?page_size=100&sort_by=created_at%20desc&filter=${filter}`);
    assert.equal(r.body.total_size, 150);
    assert.equal(r.body.runs.length, 100);
    assert.equal(r.body.runs[0].run_id, failedIds.at(-1));
    assert.equal(r.body.runs[0].state, "FAILED");
    assert.ok(r.body.runs[0].error.message);
    const tok = encodeURIComponent(r.body.next_page_token);
    r = await call(api, "GET", `/runs?page_token=${tok}&page_size=100`);
    assert.equal(r.body.runs.length, 50);
    assert.equal(r.body.next_page_token, undefined);
    assert.equal(r.body.runs.at(-1).run_id, failedIds[0]);
    r = await call(api, "GET", `/runs?page_token=${tok}&page_size=100&sort_by=created_at%20desc&filter=${filter}`);
    assert.equal(r.body.runs.length, 50);
    r = await call(api, "GET", `/runs?page_token=${tok}&sort_by=created_at`);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /page token does not match/);
    r = await call(api, "GET", `/runs?page_token=${tok}&filter=${enc2({ predicates: [{ key: "state", operation: "EQUALS", string_value: "FAILED" }] })}`);
    assert.equal(r.status, 400);

    // enum by number, timestamps, single encoding, display_name desc
    r = await call(api, "GET", `/runs?page_size=1&filter=${encodeURIComponent(JSON.stringify({ predicates: [{ key: "state", operation: "EQUALS", intValue: 5 }] }))}`);
    assert.equal(r.status, 200, r.text);
    r = await call(api, "GET", `/runs?page_size=5&filter=${enc2({ predicates: [{ key: "created_at", operation: "GREATER_THAN", timestamp_value: "2000-01-01T00:00:00Z" }] })}`);
    assert.equal(r.body.total_size, 10_150);
    r = await call(api, "GET", `/runs?page_size=3&sort_by=display_name%20desc`);
    assert.deepEqual(r.body.runs.map((x) => x.display_name), ["seeded-run-09999", "seeded-run-09998", "seeded-run-09997"]);

    // limits: default 20, clamp 200, negative → 400, unknown sort key / filter key → 400
    assert.equal((await call(api, "GET", "/runs")).body.runs.length, 20);
    assert.equal((await call(api, "GET", "/runs?page_size=1000")).body.runs.length, 200);
    r = await call(api, "GET", "/runs?page_size=-1");
    assert.equal(r.status, 400);
    assert.equal(r.body.code, 3);
    assert.equal((await call(api, "GET", "/runs?sort_by=nope")).status, 400);
    assert.equal((await call(api, "GET", `/runs?filter=${enc2({ predicates: [{ key: "nope", operation: "EQUALS", string_value: "x" }] })}`)).status, 400);
    r = await call(api, "GET", `/runs?filter=${enc2({ predicates: [{ key: "state", op: "EQUALS", string_value: "x" }] })}`);
    assert.equal(r.status, 400, "v2 filters use `operation`");
    assert.match(r.body.message, /unknown field "op" in v2beta1.Predicate/);

    // the same list through v1 (apiRun, `name` key)
    r = await call(`${sb.apiUrl}/apis/v1beta1`, "GET", `/runs?page_size=2&sort_by=name%20desc&filter=${enc2({ predicates: [{ key: "name", op: "EQUALS", string_value: "broken-000" }] })}`);
    assert.equal(r.body.total_size, 1);
    assert.equal(r.body.runs[0].status, "Failed");
  });
});

// ---------------------------------------------------------------------------------------------
test("version-dependent behaviour: 2.14 error bodies, cascade, upload display_name; v1-only 2.0.0-alpha.7", T, async () => {
  await withSandbox({ profile: "no-auth-2.14", kfp: FAST }, async (sb) => {
    const api = `${sb.apiUrl}/apis/v2beta1`;
    let r = await call(api, "GET", "/healthz");
    assert.equal(r.body.tag_name ?? r.body.apiServerTagName, "2.14.0");
    r = await call(api, "GET", "/experiments/nope");
    assert.equal(r.status, 404);
    assert.deepEqual(Object.keys(r.body).sort(), ["code", "details", "message"], "grpc-gateway v2: no `error`");
    r = await call(api, "POST", "/experiments", '{"display_name": "x", "bogus": 1}');
    assert.equal(r.status, 400);
    assert.match(r.body.message, /^proto: \(line 1:\d+\): unknown field "bogus"$/);

    // upload: display_name alone sets both; with name it is only the display name
    r = await upload(api, "/pipelines/upload", SUM, "sum.yaml", { name: "sum", display_name: "Sum numbers" });
    assert.equal(r.status, 200);
    assert.equal(r.body.name, "sum");
    assert.equal(r.body.display_name, "Sum numbers");
    const p = r.body;
    r = await upload(api, "/pipelines/upload", TRAIN, "train.yaml", { display_name: "Train" });
    assert.equal(r.body.name, "Train");
    assert.equal(r.body.display_name, "Train");
    r = await call(api, "GET", `/pipelines?filter=${enc2({ predicates: [{ key: "name", operation: "EQUALS", string_value: "sum" }] })}`);
    assert.deepEqual(r.body.pipelines.map((x) => x.pipeline_id), [p.pipeline_id], "name and display_name are separate columns");

    // pipeline_version_reference without version id → latest version (2.5+)
    r = await call(api, "POST", "/runs", { display_name: "latest", pipeline_version_reference: { pipeline_id: p.pipeline_id } });
    assert.equal(r.status, 200, r.text);
    assert.ok(r.body.pipeline_version_reference.pipeline_version_id);
    r = await call(api, "GET", `/experiments/${r.body.experiment_id}`);
    assert.ok(r.body.last_run_created_at, "2.5+ experiments carry last_run_created_at");

    // cascade delete
    r = await call(api, "DELETE", `/pipelines/${p.pipeline_id}`);
    assert.equal(r.status, 400);
    assert.equal(r.body.error, undefined);
    r = await call(api, "DELETE", `/pipelines/${p.pipeline_id}?cascade=true`);
    assert.equal(r.status, 200);
    assert.equal((await call(api, "GET", `/pipelines/${p.pipeline_id}`)).status, 404);
  });

  await withSandbox({ profile: "no-auth", kfp: FAST }, async (sb) => {
    const r = await call(`${sb.apiUrl}/apis/v2beta1`, "GET", "/runs/nope");
    assert.deepEqual(Object.keys(r.body).sort(), ["code", "details", "error", "message"], "grpc-gateway v1 keeps `error`");
    const u = await upload(`${sb.apiUrl}/apis/v2beta1`, "/pipelines/upload", SUM, "sum.yaml", { name: "n", display_name: "ignored before 2.14" });
    assert.equal(u.body.display_name, "n");
  });

  await withSandbox({ profile: "no-auth-v1", kfp: FAST }, async (sb) => {
    let r = await call(sb.apiUrl, "GET", "/apis/v2beta1/healthz");
    assert.equal(r.status, 404);
    assert.equal(r.text, "Not Found\n");
    r = await call(sb.apiUrl, "GET", "/apis/v2beta1/runs");
    assert.equal(r.status, 404);
    const api = `${sb.apiUrl}/apis/v1beta1`;
    r = await call(api, "GET", "/healthz");
    assert.equal(r.body.multi_user, false);
    r = await upload(api, "/pipelines/upload", SUM, "sum.yaml");
    assert.equal(r.status, 200);
    const p = r.body;
    assert.equal(p.name, "sum.yaml");
    r = await call(api, "POST", "/runs", { name: "alpha run", pipeline_spec: { pipeline_id: p.id } });
    assert.equal(r.status, 200, r.text);
    const id = r.body.run.id;
    assert.equal(r.body.run.status, "Pending");
    const done = await waitFor(async () => (await call(api, "GET", `/runs/${id}`)).body, (x) => x.run.status === "Succeeded", 3000, "Succeeded");
    const wf = JSON.parse(done.pipeline_runtime.workflow_manifest);
    assert.equal(wf.status.phase, "Succeeded");
    assert.equal(Object.values(wf.status.nodes).filter((n) => n.type === "Pod").length, 2);
    assert.notEqual(done.run.finished_at, "1970-01-01T00:00:00Z");
    r = await call(api, "GET", "/runs?page_size=1");
    assert.equal(r.body.total_size, 1);
  });
});

// ---------------------------------------------------------------------------------------------
test("multi-user rules apply to pipelines, runs and recurring runs (400 → 401 → 403)", T, async () => {
  await withSandbox({ profile: "service-account", kfp: FAST }, async (sb) => {
    const api = `${sb.apiUrl}/apis/v2beta1`;
    const ns = "kubeflow-user-example-com";
    const token = sb.issueToken("system:serviceaccount:x:y", { namespace: ns });
    const auth = { authorization: `Bearer ${token}` };
    const exp = (await call(api, "GET", `/experiments?namespace=${ns}`, undefined, auth)).body.experiments.find((e) => e.display_name === "Example experiment");

    // a namespaced pipeline and a shared one
    let r = await upload(api, "/pipelines/upload", SUM, "sum.yaml", { name: "private", namespace: ns });
    assert.equal(r.status, 400, "no identity: the upload handler answers 400");
    assert.match(r.body.error_message, /authorization error.*Unauthenticated/);
    const fd = new FormData();
    fd.append("uploadfile", new Blob([SUM]), "sum.yaml");
    let res = await fetch(`${api}/pipelines/upload?name=private&namespace=${ns}`, { method: "POST", body: fd, headers: auth });
    assert.equal(res.status, 200);
    const priv = await res.json();
    assert.equal(priv.namespace, ns);
    res = await fetch(`${api}/pipelines/upload?name=other&namespace=someone-else`, { method: "POST", body: fd, headers: auth });
    assert.equal(res.status, 400);
    assert.match((await res.json()).error_message, /authorization error.*PermissionDenied/);
    r = await call(api, "GET", `/pipelines?namespace=${ns}`, undefined, auth);
    assert.deepEqual(r.body.pipelines.map((x) => x.pipeline_id), [priv.pipeline_id]);
    r = await call(api, "GET", "/pipelines", undefined, auth);
    assert.deepEqual(r.body, {}, "no shared pipelines yet");
    r = await call(api, "GET", `/pipelines/${priv.pipeline_id}`);
    assert.equal(r.status, 401);
    const vid = (await call(api, "GET", `/pipelines/${priv.pipeline_id}/versions`, undefined, auth)).body.pipeline_versions[0].pipeline_version_id;

    // runs need an experiment in multi-user mode; the namespace is the experiment's
    const body = { display_name: "mu", pipeline_version_reference: { pipeline_id: priv.pipeline_id, pipeline_version_id: vid } };
    r = await call(api, "POST", "/runs", body, auth);
    assert.equal(r.status, 400);
    assert.match(r.body.message, /A run cannot have an empty namespace in multi-user mode/);
    r = await call(api, "POST", "/runs", { ...body, experiment_id: exp.experiment_id });
    assert.equal(r.status, 401);
    r = await call(api, "POST", "/runs", { ...body, experiment_id: exp.experiment_id }, auth);
    assert.equal(r.status, 200, r.text);
    const run = r.body;
    assert.equal(run.service_account, "default-editor");
    r = await call(api, "GET", "/runs", undefined, auth);
    assert.equal(r.status, 400, "ListRuns needs namespace or experiment_id");
    r = await call(api, "GET", `/runs?namespace=${ns}`, undefined, auth);
    assert.equal(r.body.total_size, 1);
    r = await call(api, "GET", `/runs?namespace=other`, undefined, auth);
    assert.equal(r.status, 403);
    assert.equal(r.body.code, 7);
    assert.match(r.body.message, /Resource:runs/);
    r = await call(api, "GET", `/runs/${run.run_id}`);
    assert.equal(r.status, 401);
    const other = sb.issueToken("system:serviceaccount:y:z", { namespace: "elsewhere" });
    r = await call(api, "POST", `/runs/${run.run_id}:terminate`, undefined, { authorization: `Bearer ${other}` });
    assert.equal(r.status, 403);
    assert.equal(sb.kfp.seedRuns({ namespace: ns, count: 5 }).length, 5); // into the namespace's Default experiment
    r = await call(api, "GET", `/runs?experiment_id=${exp.experiment_id}`, undefined, auth);
    assert.equal(r.body.total_size, 1);
    r = await call(api, "GET", `/runs?namespace=${ns}`, undefined, auth);
    assert.equal(r.body.total_size, 6);

    // recurring runs: same rules
    const rr = { ...body, display_name: "rr", max_concurrency: "1", mode: "DISABLE", trigger: { periodic_schedule: { interval_second: "60" } } };
    r = await call(api, "POST", "/recurringruns", rr, auth);
    assert.equal(r.status, 400);
    r = await call(api, "POST", "/recurringruns", { ...rr, experiment_id: exp.experiment_id }, auth);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.namespace, ns);
    r = await call(api, "GET", `/recurringruns?namespace=${ns}`);
    assert.equal(r.status, 401);
    r = await call(api, "GET", `/recurringruns?namespace=${ns}`, undefined, auth);
    assert.equal(r.body.total_size, 1);
  });
});
