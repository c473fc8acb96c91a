// Shared helpers for the node:test suites. The package under test is the packed tarball
// installed into a scratch project by scripts/test.mjs (KFP_WASM_PACKAGE points at it);
// run directly, the suites use the working tree's entry point.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startSandbox } from "../../sandbox/index.mjs";

const root = join(import.meta.dirname, "..", "..");
const packageDir = process.env.KFP_WASM_PACKAGE ?? root;

/** The package's ESM entry, as a user imports it. */
export const kfp = await import(pathToFileURL(join(packageDir, "js", "index.mjs")).href);
export const { createKfpClient, KfpClientManager, KfpError } = kfp;

/** Where the package under test is installed (its directory). */
export const PACKAGE_DIR = packageDir;

/** Starts a sandbox, runs `fn(sb)`, always closes it. */
export async function withSandbox(opts, fn) {
  const sb = await startSandbox(opts);
  try {
    return await fn(sb);
  } finally {
    await sb.close();
  }
}

/** Dex auth options for a sandbox user. */
export function dex(user, overrides = {}) {
  return { type: "dex", username: user.username, password: user.password, connector: user.connector ?? "local", ...overrides };
}

/** Client options for a sandbox: TLS trust for https sandboxes comes from its CA. */
export function optionsFor(sb, auth, extra = {}) {
  return { apiUrl: sb.apiUrl, auth, ...(sb.https ? { caCert: sb.caCertPem } : {}), ...extra };
}

/** A namespace the user may edit. */
export function editableNamespace(user) {
  const entry = Object.entries(user.namespaces ?? {}).find(([ns, role]) => role === "edit" && ns !== "*");
  return entry ? entry[0] : user.namespace;
}

/** Awaits `promise` and returns what it rejected with; fails if it resolved. */
export async function rejection(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error("expected a rejection, but the promise resolved");
}

/** Requests the sandbox saw, as "METHOD path" strings (query dropped). */
export function hops(sb) {
  return sb.stats.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`);
}
