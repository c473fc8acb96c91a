// Shared helpers for the node:test suites. The package under test is the packed tarball
// installed into a scratch project by scripts/test.mjs (KFP_WASM_PACKAGE points at it);
// run directly, the suites use the working tree's entry point.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { startSandbox } from "../../sandbox/index.mjs";

const root = join(import.meta.dirname, "..", "..");
const packageDir = process.env.KFP_WASM_PACKAGE ?? root;

/** The package's ESM entry, as a user imports it. */
export const kfp = await import(pathToFileURL(join(packageDir, "js", "index.mjs")).href);
export const { createKfpClient, KfpClientManager, KfpError, Filter } = kfp;

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

/**
 * A project with kfp-wasm installed, as a user has it: scripts/test.mjs installs the packed
 * tarball into `consumer` (with undici) and `consumer-no-undici`. Run directly, the suites get
 * a stand-in made by copying the package files into a temporary node_modules.
 */
export function consumerDir(name) {
  if (process.env.KFP_WASM_CONSUMERS) return join(process.env.KFP_WASM_CONSUMERS, name);
  const dir = join(mkdtempSync(join(tmpdir(), "kfp-wasm-consumer-")), name);
  const target = join(dir, "node_modules", "kfp-wasm");
  mkdirSync(target, { recursive: true });
  for (const part of ["js", "pkg", "pkg-web", "package.json"]) cpSync(join(root, part), join(target, part), { recursive: true });
  if (name === "consumer") cpSync(join(root, "node_modules", "undici"), join(dir, "node_modules", "undici"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, version: "1.0.0" }));
  return dir;
}

/** Runs a Node script inside a consumer project; resolves with its stdout, rejects with stderr. */
export function runIn(dir, args, env = {}) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { cwd: dir, env: { ...process.env, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

/** Starts a node:http server on 127.0.0.1 with `handler`; `close()` also drops open sockets. */
export async function listen(handler) {
  const server = http.createServer(handler);
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort() {
  const s = http.createServer();
  await new Promise((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address();
  await new Promise((resolve) => s.close(resolve));
  return port;
}
