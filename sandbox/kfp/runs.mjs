// Runs (REPORT §2.1, §2.3, §5), mixed into KfpApi.
//   v2beta1: GET|POST /runs, GET|DELETE /runs/{id}, POST /runs/{id}:archive|:unarchive|:terminate|:retry
//   v1beta1: GET|POST /runs (apiRunDetail on create/get), GET|DELETE /runs/{id},
//            POST /runs/{id}:archive|:unarchive, POST /runs/{id}/terminate|/retry (slash form)
//
// Lifecycle (timers unref()'d, cleared by close()):
//   PENDING —pendingMs→ RUNNING —runningMs→ SUCCEEDED | FAILED | SKIPPED
//   :terminate  PENDING/RUNNING → CANCELING —cancelMs→ CANCELED   (a finished run: 400 "Row not found")
//   :retry      FAILED/CANCELED → RUNNING —runningMs→ outcome      (anything else: 400)
// The outcome is setOutcome(fn)(run JSON) if it returns SUCCEEDED/FAILED/SKIPPED, else the runtime
// parameter `sandbox_outcome` (v2 runtime_config.parameters or v1 pipeline_spec.parameters), else
// SUCCEEDED. Tasks (one per root.dag.tasks entry, dependencies first) run one after another
// within runningMs and are computed when a run is read. finished_at is 1970-01-01T00:00:00Z until a
// run finishes, as the real server answers (FinishedAtInSec 0 → timestamppb(0)).
import { col, listOptions, listPage, Store } from "./list.mjs";
import { RUNTIME_STATES, STORAGE_STATES } from "./schemas.mjs";
import { specStruct, templateFromStruct, templateFromText, templateTasks } from "./spec.mjs";
import { ApiError, omitZero, rfc3339, tagAtLeast, uuid } from "./util.mjs";

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "SKIPPED", "CANCELED"]);
const OUTCOMES = new Set(["SUCCEEDED", "FAILED", "SKIPPED"]);
const V1_STATUS = { PENDING: "Pending", PAUSED: "Pending", RUNNING: "Running", SUCCEEDED: "Succeeded", SKIPPED: "Skipped", FAILED: "Failed", CANCELED: "Failed", CANCELING: "Terminating" };
const ARGO_PHASE = { PENDING: "Pending", PAUSED: "Running", RUNNING: "Running", CANCELING: "Running", SUCCEEDED: "Succeeded", SKIPPED: "Succeeded", FAILED: "Failed", CANCELED: "Failed" };

const sec = (ms) => Math.floor(ms / 1000);
const nowSec = () => sec(Date.now());
const storageNorm = (x) => (typeof x === "number" ? STORAGE_STATES[x] : String(x).replace(/^STORAGESTATE_/, ""));
const stateNorm = (x) => (typeof x === "number" ? RUNTIME_STATES[x] : x);
const randDigits = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join("");
const k8sSafe = (s) => String(s || "run").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "run";

export const runMethods = {
  initRuns() {
    this.runs = new Store("runs");
    this.outcomeFn = null;
    this.runRes = {
      modelName: "runs",
      columns: {
        run_id: col("id"),
        id: col("id"),
        display_name: col("name"),
        name: col("name"),
        created_at: col("createdAt", { num: true }),
        finished_at: col("finishedAt", { num: true, mutable: true }),
        scheduled_at: col("scheduledAt", { num: true }),
        description: col("description"),
        storage_state: col("storageState", { mutable: true, norm: storageNorm }),
        namespace: col("namespace"),
        experiment_id: col("experimentId"),
        state: col("state", { mutable: true, norm: stateNorm }),
        status: col("status", { mutable: true, get: (r) => V1_STATUS[r.state] || "" }),
        recurring_run_id: col("recurringRunId"),
      },
    };
  },

  /** fn(run JSON, v2 shape) → "SUCCEEDED" | "FAILED" | "SKIPPED" (anything else: default rule). null resets. */
  setOutcome(fn) {
    this.outcomeFn = typeof fn === "function" ? fn : null;
  },

  /** v2 JSON of a run (for tests), or undefined. */
  runJson(id) {
    const run = this.runs.get(id);
    return run ? this.runToV2(run) : undefined;
  },

  // ------------------------------------------------------------------ representation
  runToV2(run) {
    this.refreshTasks(run, Date.now());
    const rc = run.runtimeConfig;
    return omitZero({
      experiment_id: run.experimentId,
      run_id: run.id,
      display_name: run.name,
      storage_state: run.storageState,
      description: run.description,
      pipeline_version_reference: run.pipelineVersionId ? { pipeline_id: run.pipelineId, pipeline_version_id: run.pipelineVersionId } : undefined,
      pipeline_spec: run.pipelineVersionId ? undefined : specStruct(run.template),
      runtime_config: rc ? omitZero({ parameters: rc.parameters && Object.keys(rc.parameters).length ? rc.parameters : undefined, pipeline_root: rc.pipeline_root }) : undefined,
      service_account: run.serviceAccount,
      created_at: rfc3339(run.createdAt),
      scheduled_at: rfc3339(run.scheduledAt),
      finished_at: rfc3339(run.finishedAt),
      state: run.state,
      error: run.error ? { code: run.error.code, message: run.error.message, details: [] } : undefined,
      run_details: run.tasks.some((t) => t.state) ? { task_details: run.tasks.filter((t) => t.state).map((t) => this.taskToV2(run, t)) } : undefined,
      recurring_run_id: run.recurringRunId,
      state_history: run.history.map((h) => ({ update_time: rfc3339(h.t), state: h.state })),
    });
  },

  taskToV2(run, t) {
    return omitZero({
      run_id: run.id,
      task_id: t.id,
      display_name: t.name,
      create_time: rfc3339(t.createTime),
      start_time: rfc3339(t.startTime),
      end_time: rfc3339(t.endTime),
      state: t.state,
      execution_id: String(t.executionId),
      pod_name: t.startTime ? t.podName : undefined,
      state_history: t.history.map((h) => ({ update_time: rfc3339(h.t), state: h.state })),
    });
  },

  runRefsV1(run) {
    const refs = [];
    const e = this.experiments.get(run.experimentId);
    if (run.experimentId) refs.push(omitZero({ key: { type: "EXPERIMENT", id: run.experimentId }, name: e?.name, relationship: "OWNER" }));
    if (run.namespace) refs.push({ key: { type: "NAMESPACE", id: run.namespace }, relationship: "OWNER" });
    if (run.pipelineVersionId) {
      const v = this.versions.get(run.pipelineVersionId);
      refs.push(omitZero({ key: { type: "PIPELINE_VERSION", id: run.pipelineVersionId }, name: v?.displayName, relationship: "CREATOR" }));
    }
    if (run.recurringRunId) {
      const j = this.jobs.get(run.recurringRunId);
      refs.push(omitZero({ key: { type: "JOB", id: run.recurringRunId }, name: j?.name, relationship: "CREATOR" }));
    }
    return refs;
  },

  specV1(o) {
    const t = o.template;
    const rc = o.runtimeConfig;
    return omitZero({
      pipeline_id: o.pipelineId,
      pipeline_name: o.pipelineId ? this.pipelines.get(o.pipelineId)?.displayName : undefined,
      workflow_manifest: t && t.kind === "argo" ? t.text : undefined,
      pipeline_manifest: t && t.kind === "v2" ? t.text : undefined,
      parameters: o.parameters || [],
      runtime_config: rc ? omitZero({ parameters: rc.parameters && Object.keys(rc.parameters).length ? rc.parameters : undefined, pipeline_root: rc.pipeline_root }) : undefined,
    });
  },

  runToV1(run) {
    this.refreshTasks(run, Date.now());
    return omitZero({
      id: run.id,
      name: run.name,
      storage_state: `STORAGESTATE_${run.storageState}`,
      description: run.description,
      pipeline_spec: this.specV1(run),
      resource_references: this.runRefsV1(run),
      service_account: run.serviceAccount,
      created_at: rfc3339(run.createdAt),
      scheduled_at: rfc3339(run.scheduledAt),
      finished_at: rfc3339(run.finishedAt),
      status: V1_STATUS[run.state],
      error: run.error?.message,
    });
  },

  /** A minimal Argo Workflow with status, as pipeline_runtime.workflow_manifest carries. */
  workflowOf(run) {
    const phase = ARGO_PHASE[run.state] || "";
    const ts = (s) => (s ? rfc3339(s) : null);
    const nodes = {
      [run.k8sName]: { id: run.k8sName, name: run.k8sName, displayName: run.k8sName, type: "DAG", phase, startedAt: ts(run.createdAt), finishedAt: ts(run.finishedAt), children: run.tasks.filter((t) => t.startTime).map((t) => t.podName) },
    };
    for (const t of run.tasks) {
      if (!t.startTime) continue;
      nodes[t.podName] = { id: t.podName, name: `${run.k8sName}.${t.key}`, displayName: t.key, type: "Pod", phase: ARGO_PHASE[t.state] || "Pending", startedAt: ts(t.startTime), finishedAt: ts(t.endTime) };
    }
    return {
      apiVersion: "argoproj.io/v1alpha1",
      kind: "Workflow",
      metadata: { name: run.k8sName, namespace: run.namespace || "kubeflow", uid: run.id, creationTimestamp: rfc3339(run.createdAt), labels: { "pipeline/runid": run.id, "workflows.argoproj.io/phase": phase } },
      spec: { entrypoint: run.k8sName, serviceAccountName: run.serviceAccount },
      status: { phase, startedAt: ts(run.createdAt), finishedAt: ts(run.finishedAt), nodes },
    };
  },

  runDetailV1(run) {
    const run1 = this.runToV1(run);
    const wf = JSON.stringify(this.workflowOf(run));
    const v2Template = run.template && run.template.kind === "v2" && tagAtLeast(this.tag, "2.0") && this.hasV2;
    return { run: run1, pipeline_runtime: v2Template ? { pipeline_manifest: wf } : { workflow_manifest: wf } };
  },

  // ------------------------------------------------------------------ routing
  routeRuns(r) {
    const { rest, method, v2 } = r;
    if (rest === "/runs") {
      if (method === "GET") return this.listRuns(r);
      if (method === "POST") return v2 ? this.createRunV2(r) : this.createRunV1(r);
      return undefined;
    }
    const m = v2 ? rest.match(/^\/runs\/([^/:]+)(?::(archive|unarchive|terminate|retry))?$/) : rest.match(/^\/runs\/([^/:]+)(?::(archive|unarchive)|\/(terminate|retry))?$/);
    if (!m) return undefined;
    const id = m[1];
    const action = m[2] || m[3];
    const label = v2 ? "" : "v1beta1 ";
    if (!action && method === "GET") {
      const run = this.authorizedRun(id, "get", r.auth, `Failed to get a ${label}run`);
      return v2 ? this.runToV2(run) : this.runDetailV1(run);
    }
    if (!action && method === "DELETE") {
      const run = this.authorizedRun(id, "delete", r.auth, `Failed to delete a ${label}run`);
      this.deleteRun(run);
      return {};
    }
    if (action && method === "POST") {
      const run = this.authorizedRun(id, action, r.auth, `Failed to ${action} a ${label}run`);
      this.wrap(`Failed to ${action} a ${label}run`, () => this[`${action}Run`](run));
      return {};
    }
    return undefined;
  },

  authorizedRun(id, verb, auth, outer) {
    return this.wrap(outer, () => {
      const run = this.runs.get(id);
      if (!run) {
        const nf = `ResourceNotFoundError: Run ${id} not found`;
        if (this.multiUser) throw new ApiError(5, `Failed to authorize the request: Failed to authorize with the run ID: Failed to fetch run ${id}: ${nf}`);
        throw new ApiError(5, `Failed to fetch run ${id}: ${nf}`);
      }
      this.wrap("Failed to authorize the request", () => this.checkAccess(run.namespace, verb, auth, "runs"));
      return run;
    });
  },

  // ------------------------------------------------------------------ create
  /** Pipeline source → { template, pipelineId, pipelineVersionId }. */
  resolveVersionSource(pipelineId, versionId) {
    if (versionId) {
      const v = this.versions.get(versionId);
      if (!v) throw new ApiError(5, `Failed to fetch a pipeline version and its manifest from pipeline version ${versionId}: ResourceNotFoundError: PipelineVersion ${versionId} not found`);
      if (pipelineId && v.pipelineId !== pipelineId) throw new ApiError(3, `Invalid input error: Pipeline version ${versionId} belongs to pipeline ${v.pipelineId} (not ${pipelineId})`);
      return { template: v.template, pipelineId: v.pipelineId, pipelineVersionId: v.id };
    }
    if (!this.pipelines.get(pipelineId)) throw new ApiError(5, `Failed to fetch a pipeline version and its manifest from pipeline ${pipelineId}: ResourceNotFoundError: Pipeline ${pipelineId} not found`);
    const v = this.latestVersion(pipelineId);
    if (!v) throw new ApiError(5, `Failed to fetch a pipeline version and its manifest from pipeline ${pipelineId}: ResourceNotFoundError: Pipeline ${pipelineId} has no versions`);
    return { template: v.template, pipelineId, pipelineVersionId: v.id };
  },

  sourceV2(b, kind = "run") {
    const ref = b.pipeline_version_reference;
    const legacy = b.pipeline_version_id;
    if (ref && (ref.pipeline_id || ref.pipeline_version_id)) {
      if (!ref.pipeline_version_id && !tagAtLeast(this.tag, "2.5")) throw new ApiError(3, `Invalid input error: Failed to convert a ${kind} to model: pipeline_version_reference must contain a pipeline_version_id`);
      if (!ref.pipeline_id && !ref.pipeline_version_id) throw new ApiError(3, "Invalid input error: Pipeline id cannot be empty");
      return this.resolveVersionSource(ref.pipeline_id || "", ref.pipeline_version_id || "");
    }
    if (legacy) return this.resolveVersionSource("", legacy);
    if (b.pipeline_spec) return { template: templateFromStruct(b.pipeline_spec), pipelineId: "", pipelineVersionId: "" };
    throw new ApiError(3, `Invalid input error: Failed to convert a ${kind} to model: ${kind === "run" ? "run" : "recurring run"} must have a pipeline_spec or a pipeline_version_reference`);
  },

  sourceV1(spec, refs) {
    const vref = refs.find((x) => x?.key?.type === "PIPELINE_VERSION");
    if (vref?.key?.id) return this.resolveVersionSource("", vref.key.id);
    if (spec?.pipeline_id) {
      const p = this.pipelines.get(spec.pipeline_id);
      if (!p) throw new ApiError(5, `ResourceNotFoundError: Pipeline ${spec.pipeline_id} not found`);
      const v = this.defaultVersionOf(p);
      if (!v) throw new ApiError(5, `ResourceNotFoundError: Pipeline ${spec.pipeline_id} has no versions`);
      return { template: v.template, pipelineId: p.id, pipelineVersionId: v.id };
    }
    const text = spec?.workflow_manifest || spec?.pipeline_manifest;
    if (text) return { template: templateFromText(text), pipelineId: "", pipelineVersionId: "" };
    throw new ApiError(3, "Invalid input error: Please specify a pipeline by providing a (workflow manifest, pipeline manifest, pipeline id, or pipeline version id).");
  },

  /** GetValidExperimentNamespacePair + the multi-user and RBAC checks of createRun / createJob. */
  placeRun(experimentId, namespace, auth, kind = "runs") {
    let e;
    if (experimentId) {
      e = this.experiments.get(experimentId);
      if (!e) throw new ApiError(5, `Failed to create a ${kind === "runs" ? "run" : "recurring run"} due to invalid experimentId and namespace combination: Failed to get experiment: ResourceNotFoundError: Experiment ${experimentId} not found`);
      if (this.multiUser && namespace && namespace !== e.namespace) throw new ApiError(3, `Invalid input error: Experiment ${experimentId} belongs to namespace ${e.namespace}, not ${namespace}`);
    } else if (!this.multiUser) {
      e = this.defaultExperiment("");
    } else if (!namespace) {
      this.checkAccess("", "create", auth, kind); // 400 empty namespace
    }
    const ns = e ? e.namespace : namespace;
    this.wrap(`Failed to create a ${kind === "runs" ? "run" : "recurring run"} due to authorization error. Check if you have write permissions to namespace ${ns}`, () => this.checkAccess(ns, "create", auth, kind));
    return e || this.defaultExperiment(namespace);
  },

  createRunV2(r) {
    const b = this.body(r, "run");
    return this.wrap("Failed to create a run", () => {
      const src = this.sourceV2(b);
      if (!b.display_name) throw new ApiError(3, "Failed to create a run due to invalid name: Invalid input error: The run name is empty. Please specify a valid name");
      const e = this.placeRun(b.experiment_id || "", "", r.auth);
      const run = this.makeRun({ ...src, name: b.display_name, description: b.description, experiment: e, runtimeConfig: b.runtime_config || null, parameters: null, serviceAccount: b.service_account, via: "v2" });
      return this.runToV2(run);
    });
  },

  createRunV1(r) {
    const b = this.body(r, "runV1");
    return this.wrap("Failed to create a new v1beta1 run", () => {
      if (!b.name) throw new ApiError(3, "Failed to create a run due to invalid name: Invalid input error: The run name is empty. Please specify a valid name");
      const refs = b.resource_references || [];
      const src = this.sourceV1(b.pipeline_spec, refs);
      const expId = refs.find((x) => x?.key?.type === "EXPERIMENT")?.key?.id || "";
      const ns = this.multiUser ? refs.find((x) => x?.key?.type === "NAMESPACE")?.key?.id || "" : "";
      const e = this.placeRun(expId, ns, r.auth);
      const spec = b.pipeline_spec || {};
      const run = this.makeRun({ ...src, name: b.name, description: b.description, experiment: e, runtimeConfig: spec.runtime_config || null, parameters: spec.parameters || null, serviceAccount: b.service_account, via: "v1" });
      return this.runDetailV1(run);
    });
  },

  makeRun(o) {
    const now = Date.now();
    const k8sName = `${k8sSafe(o.template?.name || o.name)}-${Math.random().toString(36).slice(2, 7)}`;
    const run = {
      id: uuid(),
      name: o.name,
      description: o.description || "",
      experimentId: o.experiment.id,
      namespace: o.experiment.namespace,
      storageState: o.experiment.storageState === "ARCHIVED" ? "ARCHIVED" : "AVAILABLE",
      template: o.template,
      pipelineId: o.pipelineId || "",
      pipelineVersionId: o.pipelineVersionId || "",
      runtimeConfig: o.runtimeConfig,
      parameters: o.parameters,
      serviceAccount: o.serviceAccount || (this.multiUser ? "default-editor" : "pipeline-runner"),
      createdAt: sec(now),
      scheduledAt: o.scheduledAt || sec(now),
      finishedAt: 0,
      state: "PENDING",
      history: [{ t: sec(now), state: "PENDING" }],
      error: null,
      tasks: templateTasks(o.template).map((x) => ({ id: uuid(), key: x.key, name: x.name, state: "", createTime: 0, startTime: 0, endTime: 0, history: [], podName: `${k8sName}-system-container-impl-${randDigits(10)}`, executionId: 1 + Math.floor(Math.random() * 1e6) })),
      recurringRunId: o.recurringRunId || "",
      k8sName,
      timer: null,
      via: o.via,
    };
    this.runs.add(run);
    o.experiment.lastRunCreatedAt = run.createdAt;
    this.experiments.touch();
    this.stats.runsCreated++;
    run.timer = this.later(this.pendingMs, () => this.toRunning(run));
    return run;
  },

  // ------------------------------------------------------------------ lifecycle
  setState(run, state) {
    run.state = state;
    run.history.push({ t: nowSec(), state });
    this.runs.touch();
  },

  toRunning(run) {
    run.timer = null;
    if (!this.runs.get(run.id) || run.state !== "PENDING") return;
    this.setState(run, "RUNNING");
    this.planTasks(run, Date.now());
    run.timer = this.later(this.runningMs, () => this.finish(run));
  },

  decideOutcome(run) {
    if (this.outcomeFn) {
      let o;
      try {
        o = this.outcomeFn(this.runToV2(run));
      } catch {
        o = undefined;
      }
      if (OUTCOMES.has(o)) return o;
    }
    let p = run.runtimeConfig?.parameters?.sandbox_outcome;
    if (p === undefined && Array.isArray(run.parameters)) p = run.parameters.find((x) => x?.name === "sandbox_outcome")?.value;
    return OUTCOMES.has(p) ? p : "SUCCEEDED";
  },

  finish(run) {
    run.timer = null;
    if (!this.runs.get(run.id) || run.state !== "RUNNING") return;
    const outcome = this.decideOutcome(run);
    this.finalizeTasks(run, outcome, Date.now());
    run.finishedAt = nowSec();
    if (outcome === "FAILED") {
      const failed = run.tasks.find((t) => t.state === "FAILED");
      run.error = { code: 2, message: failed ? `Task ${failed.name} failed: sandbox outcome FAILED` : "Run failed: sandbox outcome FAILED" };
    }
    this.setState(run, outcome);
    this.stats.runsFinished++;
  },

  terminateRun(run) {
    if (run.state !== "PENDING" && run.state !== "RUNNING" && run.state !== "PAUSED") {
      throw new ApiError(3, `Failed to terminate run ${run.id}: Invalid input error: Failed to terminate run ${run.id}. Row not found.`);
    }
    this.cancelTimer(run.timer);
    this.refreshTasks(run, Date.now());
    for (const t of run.tasks) if (t.state === "RUNNING") this.setTaskState(t, "CANCELING");
    this.setState(run, "CANCELING");
    run.timer = this.later(this.cancelMs, () => {
      run.timer = null;
      if (!this.runs.get(run.id) || run.state !== "CANCELING") return;
      this.finalizeTasks(run, "CANCELED", Date.now());
      run.finishedAt = nowSec();
      this.setState(run, "CANCELED");
      this.stats.runsFinished++;
      });
  },

  retryRun(run) {
    if (run.state !== "FAILED" && run.state !== "CANCELED") {
      throw new ApiError(3, `Failed to retry run ${run.id}: Workflow must be Failed/Error to retry: workflow cannot be retried`);
    }
    this.cancelTimer(run.timer);
    run.error = null;
    run.finishedAt = 0;
    this.setState(run, "RUNNING");
    this.planTasks(run, Date.now());
    run.timer = this.later(this.runningMs, () => this.finish(run));
  },

  archiveRun(run) {
    run.storageState = "ARCHIVED";
    this.runs.touch();
  },

  unarchiveRun(run) {
    const e = this.experiments.get(run.experimentId);
    if (e && e.storageState === "ARCHIVED") {
      throw new ApiError(9, `Failed to unarchive run ${run.id} as experiment ${run.experimentId} must be un-archived first: Unarchive the experiment first to allow the run to be restored`);
    }
    run.storageState = "AVAILABLE";
    this.runs.touch();
  },

  deleteRun(run) {
    this.cancelTimer(run.timer);
    run.timer = null;
    this.runs.remove(run);
  },

  // ------------------------------------------------------------------ tasks
  setTaskState(t, state) {
    if (t.state === state) return;
    t.state = state;
    t.history.push({ t: nowSec(), state });
  },

  /** Lay out the not-yet-succeeded tasks one after another over runningMs, from nowMs. */
  planTasks(run, nowMs) {
    const todo = run.tasks.filter((t) => t.state !== "SUCCEEDED" && t.state !== "SKIPPED");
    const d = this.runningMs;
    todo.forEach((t, i) => {
      t.planStart = nowMs + (i * d) / todo.length;
      t.planEnd = nowMs + ((i + 1) * d) / todo.length;
      t.last = i === todo.length - 1;
      if (!t.createTime) t.createTime = sec(nowMs);
      t.startTime = 0;
      t.endTime = 0;
      this.setTaskState(t, "PENDING");
    });
  },

  refreshTasks(run, nowMs) {
    if (run.state !== "RUNNING") return;
    for (const t of run.tasks) {
      if (t.planStart === undefined || TERMINAL.has(t.state)) continue;
      if (nowMs >= t.planStart && t.state === "PENDING") {
        t.startTime = sec(t.planStart);
        this.setTaskState(t, "RUNNING");
      }
      if (nowMs >= t.planEnd && !t.last && t.state === "RUNNING") {
        t.endTime = sec(t.planEnd);
        this.setTaskState(t, "SUCCEEDED");
      }
    }
  },

  finalizeTasks(run, outcome, nowMs) {
    this.refreshTasks(run, nowMs);
    let failedOne = false;
    for (const t of run.tasks) {
      if (t.planStart === undefined || TERMINAL.has(t.state)) continue;
      const started = t.state === "RUNNING" || t.state === "CANCELING";
      if (outcome === "CANCELED") {
        if (started) t.endTime = sec(nowMs);
        this.setTaskState(t, "CANCELED");
      } else if (outcome === "FAILED" && !failedOne) {
        if (!t.startTime) t.startTime = sec(nowMs);
        t.endTime = sec(nowMs);
        this.setTaskState(t, "FAILED");
        failedOne = true;
      } else if (outcome === "FAILED") {
        this.setTaskState(t, "SKIPPED");
      } else {
        if (!t.startTime) t.startTime = sec(nowMs);
        t.endTime = sec(nowMs);
        this.setTaskState(t, outcome);
      }
      delete t.planStart;
    }
    for (const t of run.tasks) delete t.planStart;
  },

  // ------------------------------------------------------------------ list
  listRuns(r) {
    const { v2, q, auth } = r;
    const outer = v2 ? "Failed to list runs" : "Failed to list v1beta1 runs";
    let namespace = "";
    let experimentId = "";
    if (v2) {
      namespace = q("namespace") || "";
      experimentId = q("experiment_id") || "";
    } else {
      const type = q("resource_reference_key.type");
      const id = q("resource_reference_key.id") || "";
      if (type === "EXPERIMENT" || type === "1") experimentId = id;
      else if (type === "NAMESPACE" || type === "5") namespace = id;
      else if (type && type !== "UNKNOWN_RESOURCE_TYPE" && type !== "0") throw new ApiError(3, `Failed to list v1beta1 runs: validating filter failed: Invalid input error: Unsupported resource type: ${type}`);
    }
    const opts = this.wrap("Failed to create list options", () => listOptions(q, v2, this.runRes));
    if (!this.multiUser) namespace = "";
    this.wrap(outer, () => {
      if (experimentId) {
        const e = this.experiments.get(experimentId);
        if (!e) throw new ApiError(5, `Failed to list runs due to error fetching namespace for experiment ${experimentId}. Try filtering based on namespace: Failed to get experiment: ResourceNotFoundError: Experiment ${experimentId} not found`);
        namespace = e.namespace;
      }
      this.wrap(`Failed to list runs due to authorization error. Check if you have permission to access namespace ${namespace}`, () => this.checkAccess(namespace, "list", auth, "runs"));
    });
    let scope;
    if (experimentId) scope = (x) => x.experimentId === experimentId;
    else if (this.multiUser) scope = (x) => x.namespace === namespace;
    else scope = () => true;
    return listPage(this.runs, opts, scope, (x) => (v2 ? this.runToV2(x) : this.runToV1(x)), "runs");
  },

  // ------------------------------------------------------------------ bulk seeding (tests, benchmarks)
  /**
   * Create `count` runs at once, already in `state` (default SUCCEEDED; a non-terminal state starts
   * the normal lifecycle). created_at is one second apart, ending a second ago.
   * @returns {string[]} the run ids, oldest first
   */
  seedRuns({ namespace = "", experimentId, count = 1, state = "SUCCEEDED", namePrefix = "seeded-run", description = "" } = {}) {
    let e;
    if (experimentId) e = this.experimentOr404(experimentId);
    else {
      const ns = this.multiUser ? namespace : "";
      if (this.multiUser && !ns) throw new Error("seedRuns: namespace or experimentId is required in multi-user mode");
      e = this.defaultExperiment(ns);
    }
    if (!RUNTIME_STATES.includes(state)) throw new Error(`seedRuns: unknown state ${state}`);
    const end = nowSec() - 1;
    const width = String(count).length;
    const rows = new Array(count);
    for (let i = 0; i < count; i++) {
      const created = end - count + 1 + i;
      const terminal = TERMINAL.has(state);
      rows[i] = {
        id: uuid(),
        name: `${namePrefix}-${String(i).padStart(width, "0")}`,
        description,
        experimentId: e.id,
        namespace: e.namespace,
        storageState: "AVAILABLE",
        template: null,
        pipelineId: "",
        pipelineVersionId: "",
        runtimeConfig: null,
        parameters: null,
        serviceAccount: this.multiUser ? "default-editor" : "pipeline-runner",
        createdAt: created,
        scheduledAt: created,
        finishedAt: terminal ? created + 1 : 0,
        state,
        history: terminal ? [{ t: created, state: "PENDING" }, { t: created, state: "RUNNING" }, { t: created + 1, state }] : [{ t: created, state }],
        error: state === "FAILED" ? { code: 2, message: "Run failed: seeded as FAILED" } : null,
        tasks: [],
        recurringRunId: "",
        k8sName: `seeded-run-${i}`,
        timer: null,
        via: "seed",
      };
    }
    this.runs.addMany(rows);
    if (count) {
      e.lastRunCreatedAt = Math.max(e.lastRunCreatedAt || 0, rows[count - 1].createdAt);
      this.experiments.touch();
    }
    this.stats.runsCreated += count;
    for (const run of rows) {
      if (run.state === "PENDING") run.timer = this.later(this.pendingMs, () => this.toRunning(run));
      else if (run.state === "RUNNING") run.timer = this.later(this.runningMs, () => this.finish(run));
    }
    return rows.map((x) => x.id);
  },
};
