"use strict";
// Node host hooks for the wasm module: a fetch with TLS settings for one client only, the
// service-account token reader, and the environment. Nothing here changes process-wide state
// (no NODE_TLS_REJECT_UNAUTHORIZED, no global dispatcher). Modules that only some clients need
// (node:https, node:tls, undici) are loaded when a client first needs them, not at import.
const fs = require("node:fs");

exports.platform = "node";

exports.env = (name) => process.env[name];

/**
 * The fetch a client uses. Without TLS options: the user's fetch or the global one. With
 * `skipTlsVerify` or `caCert`: requests go through node:https with an Agent of this client's own
 * (js/node-https-fetch.cjs), which needs no package. With a custom `fetch` as well, that fetch is
 * called with an undici `dispatcher` of this client's own in its init (the fetch decides how to
 * send; undici's dispatcher is what Node's and undici's fetch understand), and that alone needs
 * the `undici` package (6 or 7): without it, this throws MODULE_NOT_FOUND, which the caller turns
 * into KFP_MISSING_DEPENDENCY.
 */
exports.makeFetch = (options, userFetch) => {
  if (!options.skipTlsVerify && !options.caCert) return userFetch ?? globalThis.fetch;
  const rejectUnauthorized = !options.skipTlsVerify;
  if (!userFetch) return require("./node-https-fetch.cjs").createAgentFetch({ caCert: options.caCert, rejectUnauthorized });
  const undici = require("undici");
  const connect = { rejectUnauthorized };
  if (options.caCert) connect.ca = [...require("node:tls").rootCertificates, options.caCert];
  const dispatcher = new undici.Agent({ connect });
  return (url, init) => userFetch(url, { ...init, dispatcher });
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
