// Recurring runs (v2beta1 /recurringruns) and jobs (v1beta1 /jobs), mixed into KfpApi — with a
// real scheduler: while enabled a recurring run creates runs on its trigger (recurring_run_id set,
// scheduled_at = the tick), honouring max_concurrency (a tick is skipped while that many of its
// runs are unfinished). :disable / DELETE stop it at once (the timer is cleared synchronously, so
// no run appears after the call returns); :enable resumes on the original schedule without
// back-filling missed ticks.
//   v2beta1: GET|POST /recurringruns, GET|DELETE /recurringruns/{id}, POST /recurringruns/{id}:enable|:disable
//            list key literally `recurringRuns`; mode ENABLE/DISABLE, status ENABLED/DISABLED
//   v1beta1: GET|POST /jobs, GET|DELETE /jobs/{id}, POST /jobs/{id}/enable|/disable
//            list key `jobs`; `enabled` bool, mode ENABLED/DISABLED, status string
// Validation as job_server.go / recurring_run_server.go: max_concurrency 1–10, cron parsed by
// robfig/cron (6 fields with seconds), periodic interval ≥ 1 s.
import { parseCron } from "./cron.mjs";
import { col, listOptions, listPage, Store } from "./list.mjs";
import { specStruct } from "./spec.mjs";
import { ApiError, omitZero, rfc3339, uuid } from "./util.mjs";

const TERMINAL = new Set(["SUCCEEDED", "FAILED", "SKIPPED", "CANCELED"]);
const nowSec = () => Math.floor(Date.now() / 1000);
const randDigits = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join("");
const k8sSafe = (s) => String(s || "job").toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40) || "job";

export const recurringMethods = {
  initRecurring() {
    this.jobs = new Store("jobs");
    this.jobRes = {
      modelName: "jobs",
      columns: {
        recurring_run_id: col("id"),
        id: col("id"),
        display_name: col("name"),
        name: col("name"),
        created_at: col("createdAt", { num: true }),
        updated_at: col("updatedAt", { num: true, mutable: true }),
        description: col("description"),
      },
    };
  },

  // ------------------------------------------------------------------ representation
  triggerJson(j) {
    const t = j.trigger;
    const times = { start_time: t.startTime ? rfc3339(t.startTime) : undefined, end_time: t.endTime ? rfc3339(t.endTime) : undefined };
    if (t.kind === "cron") return { cron_schedule: omitZero({ ...times, cron: t.cron }) };
    return { periodic_schedule: omitZero({ ...times, interval_second: String(t.intervalSecond) }) };
  },

  jobToV2(j) {
    const rc = j.runtimeConfig;
    return omitZero({
      recurring_run_id: j.id,
      display_name: j.name,
      description: j.description,
      pipeline_version_reference: j.pipelineVersionId ? { pipeline_id: j.pipelineId, pipeline_version_id: j.pipelineVersionId } : undefined,
      pipeline_spec: j.pipelineVersionId ? undefined : specStruct(j.template),
      runtime_config: rc ? omitZero({ parameters: rc.parameters && Object.keys(rc.parameters).length ? rc.parameters : undefined, pipeline_root: rc.pipeline_root }) : undefined,
      service_account: j.serviceAccount,
      max_concurrency: String(j.maxConcurrency),
      trigger: this.triggerJson(j),
      mode: j.enabled ? "ENABLE" : "DISABLE",
      created_at: rfc3339(j.createdAt),
      updated_at: rfc3339(j.updatedAt),
      status: j.enabled ? "ENABLED" : "DISABLED",
      no_catchup: j.noCatchup,
      namespace: j.namespace,
      experiment_id: j.experimentId,
    });
  },

  jobToV1(j) {
    const e = this.experiments.get(j.experimentId);
    const refs = [];
    if (j.experimentId) refs.push(omitZero({ key: { type: "EXPERIMENT", id: j.experimentId }, name: e?.name, relationship: "OWNER" }));
    if (j.namespace) refs.push({ key: { type: "NAMESPACE", id: j.namespace }, relationship: "OWNER" });
    if (j.pipelineVersionId) refs.push(omitZero({ key: { type: "PIPELINE_VERSION", id: j.pipelineVersionId }, name: this.versions.get(j.pipelineVersionId)?.displayName, relationship: "CREATOR" }));
    return omitZero({
      id: j.id,
      name: j.name,
      description: j.description,
      pipeline_spec: this.specV1(j),
      resource_references: refs,
      service_account: j.serviceAccount,
      max_concurrency: String(j.maxConcurrency),
      trigger: this.triggerJson(j),
      mode: j.enabled ? "ENABLED" : "DISABLED",
      created_at: rfc3339(j.createdAt),
      updated_at: rfc3339(j.updatedAt),
      status: j.enabled ? "Enabled" : "Disabled",
      enabled: j.enabled,
      no_catchup: j.noCatchup,
    });
  },

  // ------------------------------------------------------------------ routing
  routeRecurring(r) {
    const { rest, method, v2 } = r;
    const base = v2 ? "/recurringruns" : "/jobs";
    if (rest === base) {
      if (method === "GET") return this.listJobs(r);
      if (method === "POST") return this.createJob(r);
      return undefined;
    }
    const m = v2 ? rest.match(/^\/recurringruns\/([^/:]+)(?::(enable|disable))?$/) : rest.match(/^\/jobs\/([^/:]+)(?:\/(enable|disable))?$/);
    if (!m) return undefined;
    const [, id, action] = m;
    const noun = v2 ? "recurring run" : "v1beta1 job";
    if (!action && method === "GET") {
      const j = this.authorizedJob(id, "get", r.auth, `Failed to get a ${noun}`);
      return v2 ? this.jobToV2(j) : this.jobToV1(j);
    }
    if (!action && method === "DELETE") {
      const j = this.authorizedJob(id, "delete", r.auth, `Failed to delete a ${noun}`);
      this.cancelTimer(j.timer);
      j.timer = null;
      j.enabled = false;
      this.jobs.remove(j);
      return {};
    }
    if (action && method === "POST") {
      const j = this.authorizedJob(id, action, r.auth, `Failed to ${action} a ${noun}`);
      this.setJobEnabled(j, action === "enable");
      return {};
    }
    return undefined;
  },

  authorizedJob(id, verb, auth, outer) {
    return this.wrap(outer, () => {
      const j = this.jobs.get(id);
      if (!j) {
        const nf = `ResourceNotFoundError: Job ${id} not found`;
        if (this.multiUser) throw new ApiError(5, `Failed to authorize the request: Failed to authorize with the recurring run ID: Failed to get a recurring run: ${nf}`);
        throw new ApiError(5, nf);
      }
      this.wrap("Failed to authorize the request", () => this.checkAccess(j.namespace, verb, auth, "jobs"));
      return j;
    });
  },

  // ------------------------------------------------------------------ create
  parseTrigger(t, noun) {
    const cs = t?.cron_schedule;
    const ps = t?.periodic_schedule;
    if (cs && ps) throw new ApiError(3, "Invalid input error: Trigger must have only one of cron_schedule or periodic_schedule");
    if (cs) {
      let sched;
      try {
        sched = parseCron(cs.cron || "");
      } catch (e) {
        throw new ApiError(3, `Invalid input error: Schedule cron is not a supported format(https://godoc.org/github.com/robfig/cron). Error: ${e.message}`);
      }
      return { kind: "cron", cron: cs.cron, sched, startTime: cs.start_time || 0, endTime: cs.end_time || 0 };
    }
    if (ps) {
      const iv = ps.interval_second || 0;
      if (iv < 1) throw new ApiError(3, `Invalid input error: Found invalid period schedule interval ${iv}. Set at interval to least 1 second.`);
      return { kind: "periodic", intervalSecond: iv, startTime: ps.start_time || 0, endTime: ps.end_time || 0 };
    }
    throw new ApiError(3, `Invalid input error: The ${noun} must have a trigger: cron_schedule or periodic_schedule`);
  },

  createJob(r) {
    const v2 = r.v2;
    const b = this.body(r, v2 ? "recurringRun" : "jobV1");
    const noun = v2 ? "recurring run" : "job";
    return this.wrap(v2 ? "Failed to create a recurring run" : "Failed to create a v1beta1 job", () => {
      let src;
      let expId;
      let ns = "";
      let spec = {};
      if (v2) {
        src = this.sourceV2(b, "recurring run");
        expId = b.experiment_id || "";
        ns = this.multiUser ? b.namespace || "" : "";
      } else {
        const refs = b.resource_references || [];
        src = this.sourceV1(b.pipeline_spec, refs);
        expId = refs.find((x) => x?.key?.type === "EXPERIMENT")?.key?.id || "";
        ns = this.multiUser ? refs.find((x) => x?.key?.type === "NAMESPACE")?.key?.id || "" : "";
        spec = b.pipeline_spec || {};
      }
      const mc = b.max_concurrency ?? 0;
      if (mc > 10 || mc < 1) throw new ApiError(3, `Invalid input error: The max concurrency of the ${noun} is out of range. Support 1-10. Received ${mc}.`);
      const trigger = this.parseTrigger(b.trigger, noun);
      const name = v2 ? b.display_name : b.name;
      if (!name) throw new ApiError(3, `Invalid input error: The ${noun} name is empty. Please specify a valid name`);
      const e = this.placeRun(expId, ns, r.auth, "jobs");
      const now = nowSec();
      const j = {
        id: uuid(),
        name,
        description: b.description || "",
        experimentId: e.id,
        namespace: e.namespace,
        template: src.template,
        pipelineId: src.pipelineId,
        pipelineVersionId: src.pipelineVersionId,
        runtimeConfig: v2 ? b.runtime_config || null : spec.runtime_config || null,
        parameters: v2 ? null : spec.parameters || null,
        serviceAccount: b.service_account || (this.multiUser ? "default-editor" : "pipeline-runner"),
        maxConcurrency: mc,
        trigger,
        enabled: v2 ? b.mode === "ENABLE" : !!b.enabled,
        noCatchup: !!b.no_catchup,
        createdAt: now,
        updatedAt: now,
        timer: null,
        lastFire: 0,
        counter: 0,
        runIds: new Set(),
        k8sName: k8sSafe(name),
        via: v2 ? "v2" : "v1",
      };
      this.jobs.add(j);
      if (j.enabled) this.scheduleJob(j);
      return v2 ? this.jobToV2(j) : this.jobToV1(j);
    });
  },

  // ------------------------------------------------------------------ scheduler
  setJobEnabled(j, enabled) {
    this.cancelTimer(j.timer);
    j.timer = null;
    j.enabled = enabled;
    j.updatedAt = nowSec();
    this.jobs.touch();
    if (enabled) this.scheduleJob(j);
  },

  /** Next tick (ms) after now, or null past end_time. */
  nextFire(j, nowMs) {
    const t = j.trigger;
    const startMs = t.startTime * 1000;
    let next;
    if (t.kind === "periodic") {
      const iv = t.intervalSecond * 1000;
      next = (j.lastFire || Math.max(startMs, j.createdAt * 1000)) + iv;
      if (next <= nowMs) next += Math.ceil((nowMs - next + 1) / iv) * iv; // no back-fill
    } else {
      next = t.sched.next(Math.max(nowMs, startMs - 1000));
    }
    if (next === null || (t.endTime && next > t.endTime * 1000)) return null;
    return next;
  },

  scheduleJob(j) {
    if (!j.enabled || !this.jobs.get(j.id)) return;
    const next = this.nextFire(j, Date.now());
    if (next === null) return;
    j.nextFireMs = next;
    j.timer = this.later(next - Date.now(), () => this.fireJob(j, next));
  },

  fireJob(j, tickMs) {
    j.timer = null;
    if (!j.enabled || !this.jobs.get(j.id)) return;
    j.lastFire = tickMs;
    let active = 0;
    for (const id of j.runIds) {
      const run = this.runs.get(id);
      if (!run) j.runIds.delete(id);
      else if (!TERMINAL.has(run.state)) active++;
    }
    if (active >= j.maxConcurrency) this.stats.recurringSkipped++;
    else {
      this.stats.recurringTriggers++;
      const e = this.experiments.get(j.experimentId) || this.defaultExperiment(j.namespace);
      j.counter++;
      const run = this.makeRun({
        template: j.template,
        pipelineId: j.pipelineId,
        pipelineVersionId: j.pipelineVersionId,
        name: `${j.k8sName}-${j.counter}-${randDigits(10)}`,
        description: j.description,
        experiment: e,
        runtimeConfig: j.runtimeConfig,
        parameters: j.parameters,
        serviceAccount: j.serviceAccount,
        recurringRunId: j.id,
        scheduledAt: Math.floor(tickMs / 1000),
        via: j.via,
      });
      j.runIds.add(run.id);
    }
    this.scheduleJob(j);
  },

  // ------------------------------------------------------------------ list
  listJobs(r) {
    const { v2, q, auth } = r;
    const outer = v2 ? "Failed to list recurring runs" : "Failed to list v1beta1 jobs";
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
      else if (type && type !== "UNKNOWN_RESOURCE_TYPE" && type !== "0") throw new ApiError(3, `${outer}: Invalid input error: Unsupported resource type: ${type}`);
    }
    const opts = this.wrap("Failed to create list options", () => listOptions(q, v2, this.jobRes));
    if (!this.multiUser) namespace = "";
    this.wrap(outer, () => {
      if (experimentId) namespace = this.experimentOr404(experimentId).namespace;
      this.wrap("Failed to authorize with API", () => this.checkAccess(namespace, "list", auth, "jobs"));
    });
    let scope;
    if (experimentId) scope = (j) => j.experimentId === experimentId;
    else if (this.multiUser) scope = (j) => j.namespace === namespace;
    else scope = () => true;
    return listPage(this.jobs, opts, scope, (j) => (v2 ? this.jobToV2(j) : this.jobToV1(j)), v2 ? "recurringRuns" : "jobs");
  },
};
