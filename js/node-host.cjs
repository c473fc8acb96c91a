"use strict";
// Node host hooks for the wasm module: a fetch with TLS settings for one client only, the
// service-account token reader, and the environment. Nothing here changes process-wide state
// (no NODE_TLS_REJECT_UNAUTHORIZED, no global dispatcher).
const fs = require("node:fs");
const tls = require("node:tls");

exports.platform = "node";

exports.env = (name) => process.env[name];

/**
 * The fetch a client uses. Without TLS options: the user's fetch or the global one. With
 * `skipTlsVerify` or `caCert`: requests go through an undici Agent of this client's own,
 * which needs the `undici` npm package (major 6 or 7 on Node 20). Throws MODULE_NOT_FOUND
 * when it is missing; the caller turns that into KFP_MISSING_DEPENDENCY.
 */
exports.makeFetch = (options, userFetch) => {
  const base = userFetch ?? globalThis.fetch;
  if (!options.skipTlsVerify && !options.caCert) return base;
  const undici = require("undici");
  const connect = { rejectUnauthorized: !options.skipTlsVerify };
  if (options.caCert) connect.ca = [...tls.rootCertificates, options.caCert];
  const dispatcher = new undici.Agent({ connect });
  const send = userFetch ?? undici.fetch;
  return (url, init) => send(url, { ...init, dispatcher });
};

const tokens = new Map();

/**
 * Reads a projected service-account token. The kubelet rotates the file, so it is read again
 * whenever its modification time or size changes, and served from memory otherwise.
 */
exports.readToken = async (path) => {
  const stat = await fs.promises.stat(path);
  const cached = tokens.get(path);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.token;
  const token = (await fs.promises.readFile(path, "utf8")).trim();
  tokens.set(path, { mtimeMs: stat.mtimeMs, size: stat.size, token });
  return token;
};
