// Cookie and encoding helpers shared by the emulated systems.
//
// Follows shared/research/dex-login-flows.md:
//   §1.2  Go `url.Values.Encode()` (sorted keys, `+` for spaces)
//   §1.3  Dex `storage.NewID()` 25-char IDs `[a-z][a-z2-7]{24}`
//   §2.3  oauth2-proxy signed values `<value>|<unix ts>|<sig>`
//   §2.4  Go `http.Cookie.String()` attribute order:
//         name=value; Path=/; Domain=..; Expires=..; Max-Age=..; HttpOnly; Secure; SameSite=Lax
import crypto from "node:crypto";

/** Go's url.QueryEscape: like encodeURIComponent but space → "+" and also escapes !'()*. */
export function goQueryEscape(s) {
  return encodeURIComponent(String(s))
    .replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, "+");
}

/** Go's url.QueryUnescape ("+" → space); throws on a bad escape like Go does. */
export function goQueryUnescape(s) {
  return decodeURIComponent(String(s).replace(/\+/g, " "));
}

/** Go url.Values.Encode(): keys sorted, values in insertion order. Accepts object or [[k,v]]. */
export function goValuesEncode(values) {
  const entries = Array.isArray(values) ? values : Object.entries(values);
  const map = new Map();
  for (const [k, v] of entries) {
    if (v === undefined || v === null) continue;
    if (!map.has(k)) map.set(k, []);
    for (const x of Array.isArray(v) ? v : [v]) map.get(k).push(String(x));
  }
  const keys = [...map.keys()].sort();
  const parts = [];
  for (const k of keys) for (const v of map.get(k)) parts.push(goQueryEscape(k) + "=" + goQueryEscape(v));
  return parts.join("&");
}

/** Parse a raw query string the way Go's url.ParseQuery does (entries, "+" → space). */
export function parseQuery(raw) {
  const out = [];
  if (!raw) return out;
  for (const part of raw.split("&")) {
    if (!part) continue;
    const i = part.indexOf("=");
    const k = i < 0 ? part : part.slice(0, i);
    const v = i < 0 ? "" : part.slice(i + 1);
    try {
      out.push([goQueryUnescape(k), goQueryUnescape(v)]);
    } catch {
      // Go skips undecodable pairs (and records an error); we skip too.
    }
  }
  return out;
}

/** Dex storage.NewID(): 16 random bytes → letter + base32(lower, no padding) of bytes 1..15. */
export function dexId() {
  const b = crypto.randomBytes(16);
  return String.fromCharCode(97 + (b[0] % 26)) + base32(b.subarray(1));
}

function base32(buf) {
  const alphabet = "abcdefghijklmnopqrstuvwxyz234567";
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of buf) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  return out;
}

/** 43-char unpadded base64url (a 32-byte digest or random). */
export function b64url43(data) {
  const buf = data === undefined ? crypto.randomBytes(32) : data;
  return Buffer.from(buf).toString("base64url");
}

export function sha256(data) {
  return crypto.createHash("sha256").update(data).digest();
}

export function hmac256(key, data) {
  return crypto.createHmac("sha256", key).update(data).digest();
}

/** Go base64.URLEncoding (padded). oauth2-proxy cookie payloads look like this. */
export function b64urlPadded(buf) {
  const s = Buffer.from(buf).toString("base64url");
  return s + "=".repeat((4 - (s.length % 4)) % 4);
}

/** oauth2-proxy encryption.SignedValue: `<value>|<ts>|<b64url hmac(name+value+ts)>`. */
export function signedValue(secret, name, value, tsSeconds) {
  const sig = hmac256(secret, `${name}${value}${tsSeconds}`).toString("base64url");
  return `${value}|${tsSeconds}|${sig}`;
}

/** Verify a SignedValue; returns { value, ts } or null. */
export function validateSignedValue(secret, name, signed) {
  const parts = String(signed).split("|");
  if (parts.length !== 3) return null;
  const [value, ts, sig] = parts;
  const expected = hmac256(secret, `${name}${value}${ts}`).toString("base64url");
  const a = Buffer.from(sig);
  const b = Buffer.from(expected);
  if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return null;
  const n = Number(ts);
  if (!Number.isInteger(n)) return null;
  return { value, ts: n };
}

/** Parse a Cookie request header into ordered [{name, value}] (duplicates kept). */
export function parseCookieHeader(header) {
  const out = [];
  if (!header) return out;
  for (const part of String(header).split(";")) {
    const s = part.trim();
    if (!s) continue;
    const i = s.indexOf("=");
    if (i <= 0) continue;
    out.push({ name: s.slice(0, i).trim(), value: s.slice(i + 1).trim() });
  }
  return out;
}

/** First value of a named cookie, or undefined. */
export function getCookie(req, name) {
  const c = parseCookieHeader(req.headers.cookie).find((x) => x.name === name);
  return c ? c.value : undefined;
}

/** Go's http.TimeFormat: "Mon, 02 Jan 2006 15:04:05 GMT". */
export function httpDate(ms) {
  return new Date(ms).toUTCString();
}

/**
 * Serialize a cookie in Go's http.Cookie.String() order.
 * opts: { path, domain, expires (ms epoch), maxAge (seconds; <0 → "Max-Age=0"), httpOnly, secure, sameSite }
 */
export function serializeCookie(name, value, opts = {}) {
  let s = `${name}=${value}`;
  if (opts.path) s += `; Path=${opts.path}`;
  if (opts.domain) s += `; Domain=${opts.domain}`;
  if (opts.expires !== undefined) s += `; Expires=${httpDate(opts.expires)}`;
  if (opts.maxAge !== undefined && opts.maxAge !== 0) s += `; Max-Age=${opts.maxAge < 0 ? 0 : opts.maxAge}`;
  if (opts.httpOnly) s += "; HttpOnly";
  if (opts.secure) s += "; Secure";
  if (opts.sameSite) s += `; SameSite=${opts.sameSite}`;
  return s;
}

export function htmlEscape(s) {
  return String(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&#34;")
    .replace(/'/g, "&#39;");
}
