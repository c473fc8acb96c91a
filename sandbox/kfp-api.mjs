// Emulated Kubeflow Pipelines API server (in-memory), as seen through ml-pipeline-ui or the API server.
//
// Follows shared/kfp-api/REPORT.md:
//   §1   snake_case JSON, zero values omitted (empty list → {}), int64 as strings, RFC 3339 timestamps,
//        error bodies {error, code, message, details} (grpc-gateway v1, KFP 2.0–2.5) or
//        {code, message, details} (grpc-gateway v2, 2.14+); upload errors {error_message, error_details}.
//   §2.1 / §2.2 / §2.3 experiments, pipelines + versions, upload, runs, recurring runs / jobs,
//        healthz, v1 auth — on /apis/v2beta1 and /apis/v1beta1.
//   §3.3 healthz through the UI has the UI shape; the API server has {commit_sha, tag_name, multi_user}.
//   §3.5 / §4 one pagination + filter implementation for every list (sandbox/kfp/list.mjs).
//   §5   run states, v1 status strings; runs really progress (sandbox/kfp/runs.mjs).
//   §7   v1-line backends (2.0.0-alpha.7, KFP 1.8) have no /apis/v2beta1; tag-dependent fields.
// Error messages are composed the way backend/src/apiserver/server/*.go wraps them
// (util.Wrap → "outer: inner"), with the multi-user checks in canAccess* order:
// empty namespace (400) before identity (401) before RBAC (403).
//
// Module map: kfp/util.mjs (errors, decoding), kfp/schemas.mjs (request messages per tag),
// kfp/list.mjs (Store, pagination, filters), kfp/spec.mjs (templates, YAML), kfp/multipart.mjs,
// kfp/pipelines.mjs, kfp/runs.mjs (+ lifecycle), kfp/recurring.mjs (+ scheduler), kfp/cron.mjs.
import crypto from "node:crypto";
import { col, listOptions, listPage, Store } from "./kfp/list.mjs";
import { pipelineMethods } from "./kfp/pipelines.mjs";
import { recurringMethods } from "./kfp/recurring.mjs";
import { runMethods } from "./kfp/runs.mjs";
import { buildSchemas, STORAGE_STATES } from "./kfp/schemas.mjs";
import { ApiError, GRPC_STATUS, HttpError, Raw, decodeBody, omitZero, rfc3339, tagAtLeast, uuid, wrap } from "./kfp/util.mjs";

export { ApiError };

const storageNorm = (x) => (typeof x === "number" ? STORAGE_STATES[x] : String(x).replace(/^STORAGESTATE_/, ""));

const RESOURCE_NAMES = { experiments: "An experiment", runs: "A run", jobs: "A recurring run", pipelines: "A pipeline" };

export class KfpApi {
  /**
   * @param {object} o
   * @param {string} o.tag backend tag (e.g. "2.1.0-deploykf.0", "2.0.0-alpha.7", "1.8.5", "2.14.0")
   * @param {boolean} o.hasV2 serves /apis/v2beta1
   * @param {boolean} o.multiUser
   * @param {(identity: object, ns: string) => ("edit"|"view"|null)} o.access
   * @param {Array<{namespace: string, names: string[]}>} o.seed experiments to create
   * @param {number} [o.pendingMs=150] time a new run stays PENDING
   * @param {number} [o.runningMs=600] time a run stays RUNNING
   * @param {number} [o.cancelMs=100] time a terminated run stays CANCELING
   */
  constructor(o) {
    this.tag = o.tag;
    this.hasV2 = o.hasV2;
    this.multiUser = o.multiUser;
    this.access = o.access;
    this.gw2 = tagAtLeast(o.tag, "2.14"); // grpc-gateway v2 / protojson
    this.schemas = buildSchemas(o.tag);
    this.commit = crypto.createHash("sha1").update(o.tag).digest("hex");
    this.pendingMs = o.pendingMs ?? 150;
    this.runningMs = o.runningMs ?? 600;
    this.cancelMs = o.cancelMs ?? 100;
    this.timers = new Set();
    this.closed = false;
    this.stats = { runsCreated: 0, runsFinished: 0, recurringTriggers: 0, recurringSkipped: 0, uploads: 0 };

    this.experiments = new Store("experiments");
    this.experimentRes = {
      modelName: "experiments",
      columns: {
        experiment_id: col("id"),
        id: col("id"),
        display_name: col("name"),
        name: col("name"),
        created_at: col("createdAt", { num: true }),
        description: col("description"),
        namespace: col("namespace"),
        storage_state: col("storageState", { mutable: true, norm: storageNorm }),
        ...(tagAtLeast(o.tag, "2.5") ? { last_run_created_at: col("lastRunCreatedAt", { num: true, mutable: true }) } : {}),
      },
    };
    this.initPipelines();
    this.initRuns();
    this.initRecurring();

    let t = Math.floor(Date.now() / 1000) - 3600;
    for (const { namespace, names } of o.seed) {
      for (const name of names) {
        this.insert({ name, description: name === "Default" ? "All runs created without specifying an experiment will be grouped here." : `Seeded experiment in ${namespace || "the cluster"}.`, namespace: this.multiUser ? namespace : "", createdAt: t++ });
      }
    }
  }

  /** Stop every timer (run lifecycle, schedules). Called by sb.close(). */
  close() {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const j of this.jobs.values()) j.timer = null;
    for (const r of this.runs.values()) r.timer = null;
  }

  /** setTimeout that is unref()'d and cleared on close(). */
  later(ms, fn) {
    if (this.closed) return null;
    const t = setTimeout(() => {
      this.timers.delete(t);
      if (!this.closed) fn();
    }, Math.max(0, ms));
    t.unref?.();
    this.timers.add(t);
    return t;
  }

  cancelTimer(t) {
    if (!t) return;
    clearTimeout(t);
    this.timers.delete(t);
  }

  /** Change the lifecycle timings at run time. */
  setTimings({ pendingMs, runningMs, cancelMs } = {}) {
    if (pendingMs !== undefined) this.pendingMs = pendingMs;
    if (runningMs !== undefined) this.runningMs = runningMs;
    if (cancelMs !== undefined) this.cancelMs = cancelMs;
  }

  insert({ name, description, namespace, createdAt }) {
    const e = { id: uuid(), name, description: description || "", namespace: namespace || "", createdAt: createdAt || Math.floor(Date.now() / 1000), storageState: "AVAILABLE", lastRunCreatedAt: 0 };
    this.experiments.add(e);
    return e;
  }

  /** Default experiment of a namespace ("" in single-user mode), created when missing. */
  defaultExperiment(namespace) {
    for (const e of this.experiments.values()) if (e.name === "Default" && e.namespace === namespace) return e;
    return this.insert({ name: "Default", description: "All runs created without specifying an experiment will be grouped here.", namespace });
  }

  // ------------------------------------------------------------------ representation
  toV2(e) {
    return omitZero({
      experiment_id: e.id,
      display_name: e.name,
      description: e.description,
      created_at: rfc3339(e.createdAt),
      namespace: e.namespace,
      storage_state: e.storageState,
      last_run_created_at: tagAtLeast(this.tag, "2.5") && e.lastRunCreatedAt ? rfc3339(e.lastRunCreatedAt) : undefined,
    });
  }
  toV1(e) {
    return omitZero({
      id: e.id,
      name: e.name,
      description: e.description,
      created_at: rfc3339(e.createdAt),
      resource_references: e.namespace ? [{ key: { type: "NAMESPACE", id: e.namespace }, relationship: "OWNER" }] : [],
      storage_state: `STORAGESTATE_${e.storageState}`,
    });
  }

  sendError(ctx, err) {
    if (err instanceof HttpError) {
      ctx.json(err.status, { error_message: err.message, error_details: err.message });
      return;
    }
    const details = err.details ?? [{ "@type": "type.googleapis.com/api.Error", error_message: err.message.split(": ").pop(), error_details: err.message }];
    const body = this.gw2 ? { code: err.code, message: err.message, details } : { error: err.message, code: err.code, message: err.message, details };
    ctx.json(GRPC_STATUS[err.code] || 500, body);
  }

  respond(ctx, out) {
    if (out instanceof Raw) ctx.send(out.status, out.body, out.contentType);
    else ctx.json(200, out);
  }

  healthzUi() {
    return {
      apiServerCommitHash: this.commit,
      apiServerTagName: this.tag,
      apiServerMultiUser: this.multiUser,
      multi_user: this.multiUser,
      apiServerReady: true,
      buildDate: "Tue Jan 09 2024 12:00:00 GMT+0000 (Coordinated Universal Time)",
      frontendCommitHash: this.commit,
      frontendTagName: this.tag,
    };
  }

  /**
   * @param ctx gateway request context (ctx.body: utf8 text, ctx.rawBody: Buffer)
   * @param {string} path path as seen by the KFP server (gateway prefix stripped)
   * @param {object|null} identity { email } or null (no identity header reached the server)
   * @param {object} opts { surface: "ui"|"apiserver", unauthenticated?: string message for 401 }
   * Returns true if handled (the answer may be sent later, e.g. after a package_url download).
   */
  handle(ctx, path, identity, opts) {
    const m = path.match(/^\/apis\/(v1beta1|v2beta1)(\/.*)$/);
    if (!m) return false;
    const [, ver, rest] = m;
    if (ver === "v2beta1" && !this.hasV2) {
      ctx.send(404, "Not Found\n", "text/plain; charset=utf-8");
      return true;
    }
    try {
      if (rest === "/healthz" && ctx.method === "GET") {
        if (opts.surface === "ui") ctx.json(200, this.healthzUi());
        else ctx.json(200, { commit_sha: this.commit, tag_name: this.tag, multi_user: this.multiUser, ...(this.gw2 ? { pipeline_store: "database" } : {}) });
        return true;
      }
      const query = ctx.query;
      const r = {
        ctx,
        ver,
        v2: ver === "v2beta1",
        rest,
        method: ctx.method,
        auth: { identity, unauthenticated: opts.unauthenticated },
        q: (k) => {
          for (const [kk, vv] of query) if (kk === k) return vv;
          return undefined;
        },
      };
      const out = this.route(r);
      if (out === undefined) {
        ctx.send(404, "Not Found\n", "text/plain; charset=utf-8");
      } else if (out && typeof out.then === "function") {
        out.then(
          (v) => this.respond(ctx, v),
          (err) => this.fail(ctx, err),
        );
      } else this.respond(ctx, out);
      return true;
    } catch (err) {
      this.fail(ctx, err);
      return true;
    }
  }

  fail(ctx, err) {
    if (err instanceof ApiError || err instanceof HttpError) this.sendError(ctx, err);
    else this.sendError(ctx, new ApiError(13, `Internal error: ${err && err.message}`));
  }

  /** Dispatch; undefined = no such route (404 text). */
  route(r) {
    const { rest, method } = r;
    if (rest === "/experiments") {
      if (method === "GET") return this.list(r);
      if (method === "POST") return this.create(r);
      return undefined;
    }
    const em = rest.match(/^\/experiments\/([^/:]+)(?::(archive|unarchive))?$/);
    if (em) return this.experimentById(r, em[1], em[2]);
    if (!r.v2 && rest === "/auth" && method === "GET") return this.authorizeV1(r);
    return this.routePipelines(r) ?? this.routeRuns(r) ?? this.routeRecurring(r);
  }

  experimentById(r, id, action) {
    const { ver, v2, method, auth } = r;
    if (!action && method === "GET") {
      const e = this.authorizeExisting(ver, id, "get", auth, v2 ? "Failed to fetch experiment" : "Failed to fetch v1beta1 experiment");
      return v2 ? this.toV2(e) : this.toV1(e);
    }
    if (!action && method === "DELETE") {
      const e = this.authorizeExisting(ver, id, "delete", auth, v2 ? "Failed to delete experiment" : "Failed to delete v1beta1 experiment");
      this.experiments.remove(e);
      return {};
    }
    if (action && method === "POST") {
      const label = `Failed to ${action} ${v2 ? "" : "v1beta1 "}experiment`;
      const e = this.authorizeExisting(ver, id, action, auth, label);
      if (action === "archive") this.archiveExperiment(e);
      else e.storageState = "AVAILABLE";
      this.experiments.touch();
      return {};
    }
    return undefined;
  }

  /** ArchiveExperiment: the experiment, its runs (ARCHIVED) and its recurring runs (disabled). */
  archiveExperiment(e) {
    e.storageState = "ARCHIVED";
    for (const run of this.runs.values()) {
      if (run.experimentId === e.id && run.storageState !== "ARCHIVED") run.storageState = "ARCHIVED";
    }
    this.runs.touch();
    for (const j of this.jobs.values()) if (j.experimentId === e.id && j.enabled) this.setJobEnabled(j, false);
  }

  /** GET /apis/v1beta1/auth?namespace=&resources=&verb= → {} when allowed. */
  authorizeV1(r) {
    const namespace = r.q("namespace") || "";
    const verb = String(r.q("verb") || "UNASSIGNED_VERB").toLowerCase();
    if (!["create", "get", "delete"].includes(verb)) throw new ApiError(3, `Authorization failure: Invalid input error: Unknown verb ${JSON.stringify(r.q("verb") || "UNASSIGNED_VERB")}`);
    this.wrap("Authorization failure", () => this.checkAccess(namespace, verb, r.auth, "viewers"));
    return {};
  }

  // ------------------------------------------------------------------ authorization
  /** canAccess* + IsAuthorized. Throws ApiError with the inner message (caller wraps). */
  checkAccess(namespace, verb, auth, resource = "experiments") {
    if (!this.multiUser) return;
    if (!namespace) {
      if (resource === "pipelines") return; // shared pipelines
      throw new ApiError(3, `Invalid input error: ${RESOURCE_NAMES[resource] || "A resource"} cannot have an empty namespace in multi-user mode`);
    }
    if (!auth.identity) {
      const msg = auth.unauthenticated || "Failed to authorize with API: Unauthenticated: Failed to check authorization. User identity is empty in the request header: Request header error: there is no user identity header.";
      throw new ApiError(16, msg, []);
    }
    const level = this.access(auth.identity, namespace);
    const readOnly = verb === "get" || verb === "list";
    if (level === "edit" || (level === "view" && readOnly)) return;
    const user = auth.identity.email;
    throw new ApiError(
      7,
      `Failed to authorize with API: PermissionDenied: User '${user}' is not authorized with reason:  (request: &ResourceAttributes{Namespace:${namespace},Verb:${verb},Group:pipelines.kubeflow.org,Version:v1beta1,Resource:${resource},Subresource:,Name:,}): Unauthorized access`,
    );
  }

  wrap(outer, fn) {
    return wrap(outer, fn);
  }

  authorizeExisting(ver, id, verb, auth, outer) {
    return this.wrap(outer, () => {
      const inner = verb === "get" || verb === "delete" || verb === "archive" || verb === "unarchive" ? "Failed to authorize the request" : "Failed to authorize with API";
      const e = this.experiments.get(id);
      if (!e) {
        const nf = `ResourceNotFoundError: Experiment ${id} not found`;
        if (this.multiUser) throw new ApiError(5, `${inner}: Failed to authorize with the experiment ID: Failed to get experiment: ${nf}`);
        throw new ApiError(5, `Failed to get experiment: ${nf}`);
      }
      this.wrap(inner, () => this.checkAccess(e.namespace, verb, auth));
      return e;
    });
  }

  /** Experiment by id or a 404 ApiError (no authorization). */
  experimentOr404(id) {
    const e = this.experiments.get(id);
    if (!e) throw new ApiError(5, `Failed to get experiment: ResourceNotFoundError: Experiment ${id} not found`);
    return e;
  }

  // ------------------------------------------------------------------ request bodies
  /** Decode the JSON body of r into the message `schemaName` (grpc-gateway errors are not wrapped). */
  body(r, schemaName) {
    const raw = r.ctx.rawBody;
    const text = raw && raw.length > Buffer.byteLength(r.ctx.body || "") ? raw.toString("utf8") : r.ctx.body; // past the gateway's 1 MiB text cut
    return decodeBody(text, this.schemas[schemaName], this.gw2);
  }

  // ------------------------------------------------------------------ experiments: create
  create(r) {
    const { v2, auth } = r;
    const outer = v2 ? "Failed to create a experiment" : "Failed to create a v1beta1 experiment";
    const b = this.body(r, v2 ? "experiment" : "experimentV1");
    return this.wrap(outer, () => {
      const name = String((v2 ? b.display_name : b.name) ?? "");
      let namespace = "";
      if (v2) namespace = String(b.namespace ?? "");
      else {
        const ref = (b.resource_references || []).find((x) => x && x.key && x.key.type === "NAMESPACE");
        namespace = ref ? String(ref.key.id ?? "") : "";
      }
      if (!name) throw new ApiError(3, "Invalid input error: Experiment must have a non-empty name");
      if (!this.multiUser) namespace = "";
      this.wrap("Failed to authorize the request", () => this.checkAccess(namespace, "create", auth));
      for (const e of this.experiments.values()) {
        if (e.name === name && e.namespace === namespace) throw new ApiError(6, `Already exist error: Failed to create a new experiment. The name ${name} already exists. Please specify a new name`);
      }
      const e = this.insert({ name, description: b.description, namespace });
      return v2 ? this.toV2(e) : this.toV1(e);
    });
  }

  // ------------------------------------------------------------------ experiments: list
  list(r) {
    const { v2, auth, q } = r;
    const outer = v2 ? "List experiments failed" : "List v1beta1 experiments failed";
    let namespace = "";
    if (v2) namespace = q("namespace") || "";
    else {
      const type = q("resource_reference_key.type");
      const id = q("resource_reference_key.id");
      if (type && type !== "NAMESPACE" && type !== "5") {
        throw new ApiError(3, `Invalid input error: Failed to list v1beta1 experiment due to invalid resource reference key. It must be of type 'Namespace' and contain an existing or empty namespace, but you provided ${id || ""} of type ${type}`);
      }
      namespace = id || "";
    }
    const opts = this.wrap("Failed to create list options", () => listOptions(q, v2, this.experimentRes));
    if (!this.multiUser) namespace = "";
    this.wrap(outer, () => this.wrap("Failed to authorize with API", () => this.checkAccess(namespace, "list", auth)));
    const scope = this.multiUser ? (e) => e.namespace === namespace : () => true;
    return listPage(this.experiments, opts, scope, (e) => (v2 ? this.toV2(e) : this.toV1(e)), "experiments");
  }
}

Object.assign(KfpApi.prototype, pipelineMethods, runMethods, recurringMethods);
