// Emulated Kubeflow Pipelines API (in-memory), as seen through ml-pipeline-ui or the API server.
//
// Follows shared/kfp-api/REPORT.md:
//   §1   snake_case JSON, zero values omitted (empty list → {}), RFC 3339 timestamps,
//        grpc-gateway v1 error body {error, code, message, details} (KFP 2.0–2.5), code → status map.
//   §2.1 / §2.3 experiment endpoints (v2beta1 and v1beta1), healthz.
//   §3.3 healthz through the UI has the UI shape; the API server has {commit_sha, tag_name, multi_user}.
//   §3.5 pagination (page_size default 20, clamp 200, negative → 400, base64 JSON cursor token,
//        "page token does not match"), sort_by "field [asc|desc]".
//   §4   filter: the query value is url-decoded by the gateway, then url.QueryUnescape'd AGAIN;
//        jsonpb accepts snake_case/camelCase and enum names/numbers; v1 `op` vs v2 `operation`.
//   §7   v1-line backends (2.0.0-alpha.7, KFP 1.8) have no /apis/v2beta1.
// Error messages are composed the way backend/src/apiserver/server/experiment_server.go wraps them
// (util.Wrap → "outer: inner"), with the multi-user checks in canAccessExperiment order:
// empty namespace (400) before identity (401) before RBAC (403).
import crypto from "node:crypto";
import { goQueryUnescape } from "./cookies.mjs";

const GRPC_STATUS = { 3: 400, 5: 404, 6: 409, 7: 403, 13: 500, 16: 401 };

class ApiError extends Error {
  constructor(code, message, details) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

const OPERATIONS = { EQUALS: 1, NOT_EQUALS: 2, GREATER_THAN: 3, GREATER_THAN_EQUALS: 5, LESS_THAN: 6, LESS_THAN_EQUALS: 7, IN: 8, IS_SUBSTRING: 9 };
const OP_BY_NUMBER = Object.fromEntries(Object.entries(OPERATIONS).map(([k, v]) => [v, k]));

// API key → model field, for experiments (v2 keys plus the v1 aliases id/name).
const EXPERIMENT_FIELDS = {
  experiment_id: "id",
  id: "id",
  display_name: "name",
  name: "name",
  created_at: "createdAt",
  description: "description",
  namespace: "namespace",
  storage_state: "storageState",
};

function rfc3339(sec) {
  return new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

function omitZero(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || v === "" || v === 0 || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out;
}

const snake = (k) => k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());

export class KfpApi {
  /**
   * @param {object} o
   * @param {string} o.tag backend tag (e.g. "2.1.0-deploykf.0", "2.0.0-alpha.7", "1.8.5")
   * @param {boolean} o.hasV2 serves /apis/v2beta1
   * @param {boolean} o.multiUser
   * @param {(identity: object, ns: string) => ("edit"|"view"|null)} o.access
   * @param {Array<{namespace: string, names: string[]}>} o.seed
   */
  constructor(o) {
    this.tag = o.tag;
    this.hasV2 = o.hasV2;
    this.multiUser = o.multiUser;
    this.access = o.access;
    this.commit = crypto.createHash("sha1").update(o.tag).digest("hex");
    this.experiments = new Map();
    let t = Math.floor(Date.now() / 1000) - 3600;
    for (const { namespace, names } of o.seed) {
      for (const name of names) {
        this.insert({ name, description: name === "Default" ? "All runs created without specifying an experiment will be grouped here." : `Seeded experiment in ${namespace || "the cluster"}.`, namespace: this.multiUser ? namespace : "", createdAt: t++ });
      }
    }
  }

  insert({ name, description, namespace, createdAt }) {
    const e = { id: crypto.randomUUID(), name, description: description || "", namespace: namespace || "", createdAt: createdAt || Math.floor(Date.now() / 1000), storageState: "AVAILABLE" };
    this.experiments.set(e.id, e);
    return e;
  }

  // ------------------------------------------------------------------ representation
  toV2(e) {
    return omitZero({ experiment_id: e.id, display_name: e.name, description: e.description, created_at: rfc3339(e.createdAt), namespace: e.namespace, storage_state: e.storageState });
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
    const details = err.details ?? [{ "@type": "type.googleapis.com/api.Error", error_message: err.message.split(": ").pop(), error_details: err.message }];
    ctx.json(GRPC_STATUS[err.code] || 500, { error: err.message, code: err.code, message: err.message, details });
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
   * @param ctx gateway request context
   * @param {string} path path as seen by the KFP server (gateway prefix stripped)
   * @param {object|null} identity { email } or null (no identity header reached the server)
   * @param {object} opts { surface: "ui"|"apiserver", unauthenticated?: string message for 401 }
   * Returns true if handled.
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
        else ctx.json(200, { commit_sha: this.commit, tag_name: this.tag, multi_user: this.multiUser });
        return true;
      }
      const auth = { identity, unauthenticated: opts.unauthenticated };
      if (rest === "/experiments") {
        if (ctx.method === "GET") return ctx.json(200, this.list(ctx, ver, auth)), true;
        if (ctx.method === "POST") return ctx.json(200, this.create(ctx, ver, auth)), true;
      }
      const em = rest.match(/^\/experiments\/([^/:]+)(?::(archive|unarchive))?$/);
      if (em) {
        const [, id, action] = em;
        if (!action && ctx.method === "GET") {
          const e = this.authorizeExisting(ver, id, "get", auth, ver === "v2beta1" ? "Failed to fetch experiment" : "Failed to fetch v1beta1 experiment");
          return ctx.json(200, ver === "v2beta1" ? this.toV2(e) : this.toV1(e)), true;
        }
        if (!action && ctx.method === "DELETE") {
          const e = this.authorizeExisting(ver, id, "delete", auth, ver === "v2beta1" ? "Failed to delete experiment" : "Failed to delete v1beta1 experiment");
          this.experiments.delete(e.id);
          return ctx.json(200, {}), true;
        }
        if (action && ctx.method === "POST") {
          const label = `Failed to ${action} ${ver === "v2beta1" ? "" : "v1beta1 "}experiment`;
          const e = this.authorizeExisting(ver, id, action, auth, label);
          e.storageState = action === "archive" ? "ARCHIVED" : "AVAILABLE";
          return ctx.json(200, {}), true;
        }
      }
      ctx.send(404, "Not Found\n", "text/plain; charset=utf-8");
      return true;
    } catch (err) {
      if (err instanceof ApiError) this.sendError(ctx, err);
      else this.sendError(ctx, new ApiError(13, `Internal error: ${err.message}`));
      return true;
    }
  }

  // ------------------------------------------------------------------ authorization
  /** canAccessExperiment + IsAuthorized. Throws ApiError with the inner message (caller wraps). */
  checkAccess(namespace, verb, auth) {
    if (!this.multiUser) return;
    if (!namespace) throw new ApiError(3, "Invalid input error: An experiment cannot have an empty namespace in multi-user mode");
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
      `Failed to authorize with API: PermissionDenied: User '${user}' is not authorized with reason:  (request: &ResourceAttributes{Namespace:${namespace},Verb:${verb},Group:pipelines.kubeflow.org,Version:v1beta1,Resource:experiments,Subresource:,Name:,}): Unauthorized access`,
    );
  }

  wrap(outer, fn) {
    try {
      return fn();
    } catch (err) {
      if (err instanceof ApiError) throw new ApiError(err.code, `${outer}: ${err.message}`, err.details);
      throw err;
    }
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

  // ------------------------------------------------------------------ create
  readBody(ctx, allowed) {
    let body;
    try {
      body = ctx.body ? JSON.parse(ctx.body) : {};
    } catch (e) {
      throw new ApiError(3, e.message);
    }
    if (body === null || typeof body !== "object" || Array.isArray(body)) throw new ApiError(3, "json: cannot unmarshal into Go value of type map[string]json.RawMessage");
    const out = {};
    for (const [k, v] of Object.entries(body)) {
      const s = snake(k);
      if (!allowed.includes(s)) throw new ApiError(3, `unknown field ${JSON.stringify(k)} in ${allowed.typeName}`);
      out[s] = v;
    }
    return out;
  }

  create(ctx, ver, auth) {
    const v2 = ver === "v2beta1";
    const allowed = v2
      ? Object.assign(["experiment_id", "display_name", "description", "created_at", "namespace", "storage_state", "last_run_created_at"], { typeName: "v2beta1.Experiment" })
      : Object.assign(["id", "name", "description", "created_at", "resource_references", "storage_state"], { typeName: "api.Experiment" });
    const outer = v2 ? "Failed to create a experiment" : "Failed to create a v1beta1 experiment";
    const b = this.readBody(ctx, allowed); // grpc-gateway decode errors are not wrapped by the server
    return this.wrap(outer, () => {
      const name = String((v2 ? b.display_name : b.name) ?? "");
      let namespace = "";
      if (v2) namespace = String(b.namespace ?? "");
      else {
        const ref = (b.resource_references || []).find((r) => r && r.key && (r.key.type === "NAMESPACE" || r.key.type === 3));
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

  // ------------------------------------------------------------------ list
  list(ctx, ver, auth) {
    const v2 = ver === "v2beta1";
    const q = (k) => {
      for (const [kk, vv] of ctx.query) if (kk === k) return vv;
      return undefined;
    };
    const outer = v2 ? "List experiments failed" : "List v1beta1 experiments failed";
    let namespace = "";
    if (v2) namespace = q("namespace") || "";
    else {
      const type = q("resource_reference_key.type");
      const id = q("resource_reference_key.id");
      if (type && type !== "NAMESPACE" && type !== "3") {
        throw new ApiError(3, `Invalid input error: Failed to list v1beta1 experiment due to invalid resource reference key. It must be of type 'Namespace' and contain an existing or empty namespace, but you provided ${id || ""} of type ${type}`);
      }
      namespace = id || "";
    }
    const opts = this.wrap("Failed to create list options", () => this.listOptions(q, v2));
    if (!this.multiUser) namespace = "";
    this.wrap(outer, () => this.wrap("Failed to authorize with API", () => this.checkAccess(namespace, "list", auth)));

    let rows = [...this.experiments.values()].filter((e) => !this.multiUser || e.namespace === namespace);
    rows = rows.filter((e) => opts.predicates.every((p) => this.matches(e, p)));
    const total = rows.length;
    const field = opts.sortField;
    const cmp = (a, b) => {
      const x = a[field];
      const y = b[field];
      let c = x < y ? -1 : x > y ? 1 : 0;
      if (c === 0) c = a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
      return opts.desc ? -c : c;
    };
    rows.sort(cmp);
    let start = 0;
    if (opts.cursor) {
      const probe = { [field]: opts.cursor.SortByFieldValue, id: opts.cursor.KeyFieldValue };
      start = rows.findIndex((r) => cmp(r, probe) >= 0);
      if (start < 0) start = rows.length;
    }
    const page = rows.slice(start, start + opts.pageSize);
    const next = rows[start + opts.pageSize];
    const out = {};
    if (page.length) out.experiments = page.map((e) => (v2 ? this.toV2(e) : this.toV1(e)));
    if (total) out.total_size = total;
    if (next) {
      const token = {
        SortByFieldName: field,
        SortByFieldValue: next[field],
        KeyFieldName: "UUID",
        KeyFieldValue: next.id,
        IsDesc: opts.desc,
        ModelName: "experiments",
        SortBy: opts.sortByRaw,
        Filter: opts.filterNorm,
      };
      out.next_page_token = Buffer.from(JSON.stringify(token)).toString("base64");
    }
    return out;
  }

  listOptions(q, v2) {
    let pageSize = 20;
    const ps = q("page_size");
    if (ps !== undefined && ps !== "") {
      const n = Number(ps);
      if (!Number.isInteger(n)) throw new ApiError(3, `Invalid input error: Invalid page size: ${JSON.stringify(ps)}`);
      if (n < 0) throw new ApiError(3, `Invalid input error: The page size should be greater than 0. Got ${n}`);
      pageSize = n === 0 ? 20 : Math.min(n, 200);
    }
    const sortByRaw = q("sort_by") || "";
    const filterRaw = q("filter") || "";
    const token = q("page_token") || "";

    let sortField = "createdAt";
    let desc = false;
    if (sortByRaw) {
      const parts = sortByRaw.trim().split(/\s+/);
      const key = parts[0];
      if (parts.length > 2 || (parts[1] && !/^(asc|desc)$/i.test(parts[1]))) throw new ApiError(3, `Invalid input error: Received invalid sort by format ${JSON.stringify(sortByRaw)}. Supported format: "field_name", "field_name desc", or "field_name asc"`);
      if (!EXPERIMENT_FIELDS[key]) throw new ApiError(3, `Invalid input error: Invalid sorting field: ${JSON.stringify(key)} on listable type experiments`);
      sortField = EXPERIMENT_FIELDS[key];
      desc = /^desc$/i.test(parts[1] || "");
    }
    let predicates = [];
    let filterNorm = "";
    if (filterRaw) {
      let json;
      try {
        json = goQueryUnescape(filterRaw); // the second decode (§4)
      } catch {
        throw new ApiError(3, `Invalid input error: failed to parse valid filter from ${JSON.stringify(filterRaw)}: invalid URL escape`);
      }
      predicates = this.parseFilter(json, v2);
      filterNorm = JSON.stringify(predicates);
    }
    let cursor = null;
    if (token) {
      try {
        cursor = JSON.parse(Buffer.from(token, "base64").toString("utf8"));
        if (!cursor || cursor.ModelName !== "experiments") throw new Error("bad");
      } catch {
        throw new ApiError(3, "Invalid input error: Invalid package token.");
      }
      if ((sortByRaw && sortByRaw !== cursor.SortBy) || (filterRaw && filterNorm !== cursor.Filter)) {
        throw new ApiError(3, "Invalid input error: page token does not match the supplied sort by and/or filtering criteria. Either specify the same criteria or leave the latter empty if page token is specified.");
      }
      sortField = cursor.SortByFieldName;
      desc = cursor.IsDesc;
      predicates = cursor.Filter ? JSON.parse(cursor.Filter) : [];
      filterNorm = cursor.Filter;
    }
    return { pageSize, sortField, desc, predicates, cursor, sortByRaw: cursor ? cursor.SortBy : sortByRaw, filterNorm };
  }

  /** jsonpb Filter → normalized predicates [{field, op, value|values, kind}]. */
  parseFilter(json, v2) {
    const bad = (why) => new ApiError(3, `Invalid input error: failed to parse valid filter from ${JSON.stringify(json)}: ${why}`);
    let f;
    try {
      f = JSON.parse(json);
    } catch (e) {
      throw bad(e.message);
    }
    if (!f || typeof f !== "object" || Array.isArray(f)) throw bad("filter must be a JSON object");
    const filterType = v2 ? "v2beta1.Filter" : "api.Filter";
    const predType = v2 ? "v2beta1.Predicate" : "api.Predicate";
    for (const k of Object.keys(f)) if (snake(k) !== "predicates") throw bad(`unknown field ${JSON.stringify(k)} in ${filterType}`);
    const opKey = v2 ? "operation" : "op";
    const out = [];
    for (const p of f.predicates || []) {
      const n = {};
      for (const [k, v] of Object.entries(p)) {
        const s = snake(k);
        if (!["key", opKey, "int_value", "long_value", "string_value", "timestamp_value", "int_values", "long_values", "string_values"].includes(s)) throw bad(`unknown field ${JSON.stringify(k)} in ${predType}`);
        n[s] = v;
      }
      let op = n[opKey];
      if (typeof op === "number") op = OP_BY_NUMBER[op];
      if (!op || !OPERATIONS[op]) throw new ApiError(3, `Invalid input error: Invalid predicate operation: ${JSON.stringify(n[opKey] ?? (v2 ? "OPERATION_UNSPECIFIED" : "UNKNOWN"))}`);
      const field = EXPERIMENT_FIELDS[n.key];
      if (!field) throw new ApiError(3, `Invalid input error: Invalid filter key ${JSON.stringify(n.key)} on listable type experiments`);
      const pred = { field, op };
      if (op === "IN") {
        const list = n.string_values || n.int_values || n.long_values;
        if (!list || !Array.isArray(list.values)) throw new ApiError(3, `Invalid input error: Invalid predicate: IN operation requires a list of values: ${JSON.stringify(p)}`);
        pred.values = list.values.map((x) => (n.string_values ? String(x) : Number(x)));
      } else {
        if (n.string_value !== undefined) pred.value = String(n.string_value);
        else if (n.int_value !== undefined) pred.value = Number(n.int_value);
        else if (n.long_value !== undefined) pred.value = Number(n.long_value);
        else if (n.timestamp_value !== undefined) {
          const t = Date.parse(n.timestamp_value);
          if (Number.isNaN(t)) throw bad(`bad Timestamp: ${JSON.stringify(n.timestamp_value)}`);
          pred.value = Math.floor(t / 1000);
        } else throw new ApiError(3, `Invalid input error: Predicate has no value: ${JSON.stringify(p)}`);
        if (op === "IS_SUBSTRING" && typeof pred.value !== "string") throw new ApiError(3, "Invalid input error: Only string values are supported for IS_SUBSTRING operation");
      }
      out.push(pred);
    }
    return out;
  }

  matches(e, p) {
    let v = e[p.field];
    const norm = (x) => (p.field === "storageState" ? String(x).replace(/^STORAGESTATE_/, "") : x);
    v = norm(v);
    const val = p.value === undefined ? undefined : norm(p.value);
    switch (p.op) {
      case "EQUALS":
        return v == val; // eslint-disable-line eqeqeq
      case "NOT_EQUALS":
        return v != val; // eslint-disable-line eqeqeq
      case "GREATER_THAN":
        return v > val;
      case "GREATER_THAN_EQUALS":
        return v >= val;
      case "LESS_THAN":
        return v < val;
      case "LESS_THAN_EQUALS":
        return v <= val;
      case "IN":
        return p.values.map(norm).some((x) => x == v); // eslint-disable-line eqeqeq
      case "IS_SUBSTRING":
        return String(v).includes(String(val));
      default:
        return false;
    }
  }
}
