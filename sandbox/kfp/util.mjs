// Shared pieces of the emulated KFP API server (shared/kfp-api/REPORT.md §1, §7):
// errors and their wire shapes, zero-value omission, timestamps, tag comparison, and the
// jsonpb/protojson-like request decoder (snake_case or lowerCamelCase names, enum names or numbers,
// int64 as number or string, unknown fields → 400 the way each grpc-gateway generation words it).
import crypto from "node:crypto";

/** gRPC code → HTTP status, as grpc-gateway maps them. */
export const GRPC_STATUS = { 1: 499, 2: 500, 3: 400, 4: 504, 5: 404, 6: 409, 7: 403, 8: 429, 9: 400, 10: 409, 11: 400, 12: 501, 13: 500, 14: 503, 15: 500, 16: 401 };

/** A gRPC-gateway error (code = gRPC code). `details` undefined → api.Error detail derived from the message. */
export class ApiError extends Error {
  constructor(code, message, details) {
    super(message);
    this.code = code;
    this.details = details;
  }
}

/** An error of the hand-written HTTP handlers (upload): `{error_message, error_details}` with an HTTP status. */
export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** A non-JSON answer (status, body, content type). */
export class Raw {
  constructor(status, body, contentType = "text/plain; charset=utf-8") {
    this.status = status;
    this.body = body;
    this.contentType = contentType;
  }
}

export const uuid = () => crypto.randomUUID();

/** Seconds → RFC 3339 (second precision, like timestamppb from *_in_sec columns). */
export function rfc3339(sec) {
  return new Date(sec * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** Drop zero values (proto3 / EmitUnpopulated:false): "", 0, false, null, undefined and []. */
export function omitZero(obj) {
  const out = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || v === "" || v === 0 || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out;
}

export const snake = (k) => k.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase());

/** "2.1.0-deploykf.0" → [2, 1, 0]. */
export function parseTag(tag) {
  const m = String(tag).match(/^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/);
  return m ? [Number(m[1]), Number(m[2] || 0), Number(m[3] || 0)] : [0, 0, 0];
}

/** tag ≥ min ("2.14", "2.5.0"), pre-release suffixes ignored. */
export function tagAtLeast(tag, min) {
  const a = parseTag(tag);
  const b = parseTag(min);
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

// ------------------------------------------------------------------ request decoding
//
// A schema is { typeName, fields: { snake_name: type } } where type is one of
//   "string" | "bool" | "int32" | "int64" | "double" | "timestamp" | "struct" (google.protobuf.Struct)
//   | "value" (google.protobuf.Value) | "any" (not validated) | { enum: [names…], typeName }
//   | { map: type } | { repeated: type } | a nested schema.
// decode() returns the message with snake_case keys, enums as names, int64 as Numbers, timestamps
// as Unix seconds; Struct/Value contents are passed through untouched.

export function enumType(typeName, names) {
  return { enum: names, typeName };
}

function typeLabel(t) {
  if (typeof t === "string") return t;
  if (t.enum) return t.typeName;
  if (t.map) return "map";
  if (t.repeated) return "repeated";
  return t.typeName;
}

export class Decoder {
  /** @param {boolean} protojson 2.14+ (grpc-gateway v2 / protojson) wording, else jsonpb (gateway v1). */
  constructor(protojson, rawText) {
    this.protojson = protojson;
    this.raw = rawText || "";
  }

  fail(msg) {
    return new ApiError(3, msg, []);
  }

  position(name) {
    const i = this.raw.indexOf(JSON.stringify(name));
    if (i < 0) return "1:1";
    const before = this.raw.slice(0, i);
    const line = before.split("\n").length;
    const col = i - before.lastIndexOf("\n");
    return `${line}:${col}`;
  }

  unknown(key, schema) {
    if (this.protojson) return this.fail(`proto: (line ${this.position(key)}): unknown field ${JSON.stringify(key)}`);
    return this.fail(`unknown field ${JSON.stringify(key)} in ${schema.typeName}`);
  }

  badType(v, t, key) {
    const got = Array.isArray(v) ? "array" : v === null ? "null" : typeof v;
    if (this.protojson) return this.fail(`proto: (line ${this.position(key)}): invalid value for ${typeLabel(t)} type: ${JSON.stringify(v)?.slice(0, 60)}`);
    return this.fail(`json: cannot unmarshal ${got} into Go value of type ${typeLabel(t)}`);
  }

  message(obj, schema, key = "") {
    if (obj === null || obj === undefined) return undefined;
    if (typeof obj !== "object" || Array.isArray(obj)) throw this.badType(obj, schema, key);
    const out = {};
    for (const [k, v] of Object.entries(obj)) {
      const s = snake(k);
      const t = schema.fields[s] ?? schema.fields[k];
      if (t === undefined) throw this.unknown(k, schema);
      if (v === null) continue; // JSON null = unset
      out[s] = this.value(v, t, k);
    }
    return out;
  }

  value(v, t, key) {
    if (typeof t === "string") {
      switch (t) {
        case "string":
          if (typeof v !== "string") throw this.badType(v, t, key);
          return v;
        case "bool":
          if (typeof v !== "boolean") throw this.badType(v, t, key);
          return v;
        case "int32":
        case "int64":
        case "double": {
          const n = typeof v === "string" && v.trim() !== "" ? Number(v) : v;
          if (typeof n !== "number" || Number.isNaN(n) || (t !== "double" && !Number.isInteger(n))) throw this.badType(v, t, key);
          return n;
        }
        case "timestamp": {
          if (typeof v !== "string") throw this.badType(v, t, key);
          const ms = Date.parse(v);
          if (Number.isNaN(ms) || !/^\d{4}-\d{2}-\d{2}T/.test(v)) throw this.fail(this.protojson ? `proto: (line ${this.position(key)}): invalid google.protobuf.Timestamp value ${JSON.stringify(v)}` : `bad Timestamp: parsing time ${JSON.stringify(v)} as "2006-01-02T15:04:05.999999999Z07:00": cannot parse`);
          return Math.floor(ms / 1000);
        }
        case "struct":
          if (typeof v !== "object" || Array.isArray(v)) throw this.badType(v, "google.protobuf.Struct", key);
          return v;
        case "value":
        case "any":
          return v;
        default:
          throw new Error(`bad schema type ${t}`);
      }
    }
    if (t.enum) {
      if (typeof v === "number" && Number.isInteger(v)) {
        if (v >= 0 && v < t.enum.length) return t.enum[v];
        return t.enum[0];
      }
      if (typeof v === "string" && t.enum.includes(v)) return v;
      if (this.protojson) throw this.fail(`proto: (line ${this.position(key)}): invalid value for enum field ${key}: ${JSON.stringify(v)}`);
      throw this.fail(`unknown value ${JSON.stringify(v)} for enum ${t.typeName}`);
    }
    if (t.map) {
      if (typeof v !== "object" || Array.isArray(v)) throw this.badType(v, t, key);
      const out = {};
      for (const [k, x] of Object.entries(v)) out[k] = this.value(x, t.map, k);
      return out;
    }
    if (t.repeated) {
      if (!Array.isArray(v)) throw this.badType(v, t, key);
      return v.map((x) => this.value(x, t.repeated, key));
    }
    return this.message(v, t, key);
  }
}

/** Parse a JSON request body into a message of `schema`. Empty body → {}. */
export function decodeBody(text, schema, protojson) {
  let body;
  const raw = typeof text === "string" ? text : "";
  try {
    body = raw.trim() ? JSON.parse(raw) : {};
  } catch (e) {
    if (protojson) throw new ApiError(3, `proto: syntax error (line 1:1): ${e.message}`, []);
    throw new ApiError(3, e.message, []);
  }
  const d = new Decoder(protojson, raw);
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    if (protojson) throw new ApiError(3, `proto: syntax error (line 1:1): unexpected token ${JSON.stringify(body)}`, []);
    throw new ApiError(3, "json: cannot unmarshal into Go value of type map[string]json.RawMessage", []);
  }
  return d.message(body, schema);
}

/** Run fn; prefix an ApiError's message with `outer: ` (util.Wrap). */
export function wrap(outer, fn) {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ApiError) throw new ApiError(err.code, `${outer}: ${err.message}`, err.details);
    throw err;
  }
}

export const invalid = (msg) => new ApiError(3, `Invalid input error: ${msg}`);
export const notFound = (msg) => new ApiError(5, `ResourceNotFoundError: ${msg}`);
export const alreadyExists = (msg) => new ApiError(6, `Already exist error: ${msg}`);
export const failedPrecondition = (msg) => new ApiError(9, msg);
