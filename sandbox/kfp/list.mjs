// One list implementation for every KFP resource (shared/kfp-api/REPORT.md §3.5, §4):
//   page_size default 20, clamp 200, negative → 400; base64 JSON cursor token bound to sort_by +
//   filter ("page token does not match" otherwise); sort_by "field [asc|desc]" with the key as tie
//   breaker; filters = ANDed predicates, the value url-decoded a second time (the double-decoding
//   quirk), jsonpb-style names (snake or camel), enum names or numbers, v1 `op` / v2 `operation`.
//
// Rows live in a Store: a Map by id plus an array kept sorted by (created_at, id) — the default
// order — and lazily built per-field sorted arrays (rebuilt only after a change that can reorder
// them). A page is one pass over the sorted array (total_size needs every match anyway) starting at
// the cursor found by binary search: no sort per request, no O(n²).
import { goQueryUnescape } from "../cookies.mjs";
import { ApiError, snake } from "./util.mjs";

export const OPERATIONS = { EQUALS: 1, NOT_EQUALS: 2, GREATER_THAN: 3, GREATER_THAN_EQUALS: 5, LESS_THAN: 6, LESS_THAN_EQUALS: 7, IN: 8, IS_SUBSTRING: 9 };
const OP_BY_NUMBER = Object.fromEntries(Object.entries(OPERATIONS).map(([k, v]) => [v, k]));

/** A sortable/filterable column. */
export function col(name, { num = false, mutable = false, get, norm } = {}) {
  return { name, num, mutable, get: get || ((r) => r[name] ?? (num ? 0 : "")), norm: norm || ((x) => x) };
}

function cmpVals(x, y) {
  return x < y ? -1 : x > y ? 1 : 0;
}

export class Store {
  /** @param {string} modelName token ModelName and the "listable type" of error messages */
  constructor(modelName) {
    this.modelName = modelName;
    this.map = new Map();
    this.byCreated = [];
    this.cache = new Map(); // column name → { arr, structV, mutV }
    this.structV = 0;
    this.mutV = 0;
  }

  get size() {
    return this.map.size;
  }
  get(id) {
    return this.map.get(id);
  }
  values() {
    return this.map.values();
  }

  static cmpCreated(a, b) {
    return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }

  /** First index i with byCreated[i] ≥ row in (createdAt, id) order. */
  lowerBoundCreated(row) {
    const arr = this.byCreated;
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Store.cmpCreated(arr[mid], row) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(row) {
    this.map.set(row.id, row);
    const arr = this.byCreated;
    if (!arr.length || Store.cmpCreated(arr[arr.length - 1], row) <= 0) arr.push(row);
    else arr.splice(this.lowerBoundCreated(row), 0, row);
    this.structV++;
  }

  addMany(rows) {
    for (const r of rows) this.map.set(r.id, r);
    this.byCreated.push(...rows);
    this.byCreated.sort(Store.cmpCreated);
    this.structV++;
  }

  remove(row) {
    if (!this.map.delete(row.id)) return;
    const i = this.lowerBoundCreated(row);
    if (this.byCreated[i] === row) this.byCreated.splice(i, 1);
    else this.byCreated = this.byCreated.filter((r) => r !== row);
    this.structV++;
  }

  /** Call after changing a mutable column (state, finished_at, storage_state, …). */
  touch() {
    this.mutV++;
  }

  /** Rows ascending by (column, id). */
  sorted(c) {
    if (c.name === "createdAt") return this.byCreated;
    const hit = this.cache.get(c.name);
    if (hit && hit.structV === this.structV && (!c.mutable || hit.mutV === this.mutV)) return hit.arr;
    const keyed = this.byCreated.map((r) => [c.get(r), r]);
    keyed.sort((a, b) => cmpVals(a[0], b[0]) || (a[1].id < b[1].id ? -1 : a[1].id > b[1].id ? 1 : 0));
    const arr = keyed.map((k) => k[1]);
    this.cache.set(c.name, { arr, structV: this.structV, mutV: this.mutV });
    return arr;
  }
}

/**
 * Parse page_token/page_size/sort_by/filter.
 * @param {(k: string) => string|undefined} q query lookup
 * @param {boolean} v2 v2beta1 (`operation`) or v1beta1 (`op`)
 * @param {{modelName: string, columns: object}} res columns: API key → col()
 */
export function listOptions(q, v2, res) {
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

  let column = res.columns.created_at;
  let desc = false;
  if (sortByRaw) {
    const parts = sortByRaw.trim().split(/\s+/);
    const key = parts[0];
    if (parts.length > 2 || (parts[1] && !/^(asc|desc)$/i.test(parts[1]))) throw new ApiError(3, `Invalid input error: Received invalid sort by format ${JSON.stringify(sortByRaw)}. Supported format: "field_name", "field_name desc", or "field_name asc"`);
    if (!res.columns[key]) throw new ApiError(3, `Invalid input error: Invalid sorting field: ${JSON.stringify(key)} on listable type ${res.modelName}`);
    column = res.columns[key];
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
    const parsed = parseFilter(json, v2, res);
    predicates = parsed.preds;
    filterNorm = parsed.norm;
  }
  let cursor = null;
  if (token) {
    try {
      cursor = JSON.parse(Buffer.from(token, "base64").toString("utf8"));
      if (!cursor || cursor.ModelName !== res.modelName) throw new Error("bad");
    } catch {
      throw new ApiError(3, "Invalid input error: Invalid package token.");
    }
    if ((sortByRaw && sortByRaw !== cursor.SortBy) || (filterRaw && filterNorm !== cursor.Filter)) {
      throw new ApiError(3, "Invalid input error: page token does not match the supplied sort by and/or filtering criteria. Either specify the same criteria or leave the latter empty if page token is specified.");
    }
    column = Object.values(res.columns).find((c) => c.name === cursor.SortByFieldName);
    if (!column) throw new ApiError(3, "Invalid input error: Invalid package token.");
    desc = !!cursor.IsDesc;
    predicates = cursor.Filter ? parseFilter(cursor.Filter, v2, res, true).preds : [];
    filterNorm = cursor.Filter || "";
  }
  return { pageSize, column, desc, predicates, cursor, sortByRaw: cursor ? cursor.SortBy : sortByRaw, filterNorm };
}

/**
 * jsonpb Filter → predicates [{column, op, value|values}] and a normalized JSON string (stored in
 * tokens). `normalized` = the input is such a string already.
 */
export function parseFilter(json, v2, res, normalized = false) {
  if (normalized) {
    const list = JSON.parse(json);
    return { preds: list.map((p) => ({ ...p, column: Object.values(res.columns).find((c) => c.name === p.column) })), norm: json };
  }
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
  const preds = [];
  for (const p of f.predicates || []) {
    if (!p || typeof p !== "object") throw bad("predicate must be an object");
    const n = {};
    for (const [k, v] of Object.entries(p)) {
      const s = snake(k);
      if (!["key", opKey, "int_value", "long_value", "string_value", "timestamp_value", "int_values", "long_values", "string_values"].includes(s)) throw bad(`unknown field ${JSON.stringify(k)} in ${predType}`);
      n[s] = v;
    }
    let op = n[opKey];
    if (typeof op === "number") op = OP_BY_NUMBER[op];
    if (!op || !OPERATIONS[op]) throw new ApiError(3, `Invalid input error: Invalid predicate operation: ${JSON.stringify(n[opKey] ?? (v2 ? "OPERATION_UNSPECIFIED" : "UNKNOWN"))}`);
    const column = res.columns[n.key];
    if (!column) throw new ApiError(3, `Invalid input error: Invalid filter key ${JSON.stringify(n.key)} on listable type ${res.modelName}`);
    const pred = { column: column.name, op };
    if (op === "IN") {
      const list = n.string_values || n.int_values || n.long_values;
      if (!list || !Array.isArray(list.values)) throw new ApiError(3, `Invalid input error: Invalid predicate: IN operation requires a list of values: ${JSON.stringify(p)}`);
      pred.values = list.values.map((x) => column.norm(n.string_values ? String(x) : Number(x)));
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
      pred.value = column.norm(pred.value);
    }
    preds.push(pred);
  }
  const norm = JSON.stringify(preds);
  return { preds: preds.map((p) => ({ ...p, column: Object.values(res.columns).find((c) => c.name === p.column) })), norm };
}

export function matches(row, p) {
  const v = p.column.norm(p.column.get(row));
  const val = p.value;
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
      return p.values.some((x) => x == v); // eslint-disable-line eqeqeq
    case "IS_SUBSTRING":
      return String(v).includes(String(val));
    default:
      return false;
  }
}

/**
 * One page. `scope(row)` restricts rows (namespace, experiment, pipeline); `render(row)` is the JSON
 * of one row; `key` the list field of the response.
 */
export function listPage(store, opts, scope, render, key) {
  const c = opts.column;
  const arr = store.sorted(c);
  const n = arr.length;
  const cmpProbe = (r, pv, pid) => cmpVals(c.get(r), pv) || (r.id < pid ? -1 : r.id > pid ? 1 : 0);
  let bound = opts.desc ? n - 1 : 0;
  if (opts.cursor) {
    const pv = opts.cursor.SortByFieldValue;
    const pid = opts.cursor.KeyFieldValue;
    let lo = 0;
    let hi = n;
    if (!opts.desc) {
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cmpProbe(arr[mid], pv, pid) < 0) lo = mid + 1;
        else hi = mid;
      }
      bound = lo; // first ≥ probe
    } else {
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cmpProbe(arr[mid], pv, pid) <= 0) lo = mid + 1;
        else hi = mid;
      }
      bound = lo - 1; // last ≤ probe
    }
  }
  const preds = opts.predicates;
  const size = opts.pageSize;
  const rows = [];
  let next = null;
  let total = 0;
  const visit = (i) => {
    const r = arr[i];
    if (!scope(r)) return;
    for (const p of preds) if (!matches(r, p)) return;
    total++;
    if (opts.desc ? i <= bound : i >= bound) {
      if (rows.length < size) rows.push(r);
      else if (!next) next = r;
    }
  };
  if (opts.desc) for (let i = n - 1; i >= 0; i--) visit(i);
  else for (let i = 0; i < n; i++) visit(i);
  const out = {};
  if (rows.length) out[key] = rows.map(render);
  if (total) out.total_size = total;
  if (next) {
    const token = {
      SortByFieldName: c.name,
      SortByFieldValue: c.get(next),
      KeyFieldName: "UUID",
      KeyFieldValue: next.id,
      IsDesc: opts.desc,
      ModelName: store.modelName,
      SortBy: opts.sortByRaw,
      Filter: opts.filterNorm,
    };
    out.next_page_token = Buffer.from(JSON.stringify(token)).toString("base64");
  }
  return out;
}
