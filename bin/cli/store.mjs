// The session file: one entry per context, in `$XDG_CONFIG_HOME/kfp-wasm/sessions.json` (else
// `~/.config/kfp-wasm/sessions.json`). The folder is 0700 and the file 0600, because the entries
// hold session cookies. A password is never written here.
//
//   { "version": 1, "current": "kubeflow.example.com",
//     "contexts": { "kubeflow.example.com": {
//        "apiUrl": "https://kubeflow.example.com/pipeline",
//        "auth": { "type": "dex", "username": "user@example.com", "connector": "local" },
//        "namespace": "team-1", "skipTlsVerify": false, "caCert": "-----BEGIN CERTIFICATE-----...",
//        "session": <kfp.exportSession()>, "loggedInAt": 1735689600000 } } }
//
// Writes go to a temporary file in the same folder, then rename over the old one, so a reader
// never sees half a file. Each save reads the file again and changes only its own context.
import { chmodSync, closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, join } from "node:path";
import { randomBytes } from "node:crypto";

export const STORE_VERSION = 1;

/** The folder of the session file. */
export function configDir(env = process.env) {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || homedir(), ".config");
  return join(base, "kfp-wasm");
}

/** The session file's path. */
export function storePath(env = process.env) {
  return join(configDir(env), "sessions.json");
}

/** The stored contexts; an empty store when there is no file yet. */
export function loadStore(path = storePath()) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if (err.code === "ENOENT") return { version: STORE_VERSION, current: undefined, contexts: {} };
    throw err;
  }
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    throw Object.assign(new Error(`the session file ${path} is not valid JSON; delete it and run \`kfp-wasm login\` again`), { exitCode: 1 });
  }
  if (!data || typeof data !== "object" || typeof data.contexts !== "object" || data.contexts === null) {
    throw Object.assign(new Error(`the session file ${path} is not a kfp-wasm session file; delete it and run \`kfp-wasm login\` again`), { exitCode: 1 });
  }
  return { version: data.version ?? STORE_VERSION, current: data.current ?? undefined, contexts: data.contexts };
}

/** Writes the whole store: folder 0700, file 0600, atomically. */
export function writeStore(store, path = storePath()) {
  const dir = dirname(path);
  mkdirSync(dirname(dir), { recursive: true });
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (err) {
    if (err.code !== "EEXIST") throw err;
  }
  if ((statSync(dir).mode & 0o777) !== 0o700) chmodSync(dir, 0o700);
  const tmp = join(dir, `.sessions.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const fd = openSync(tmp, "wx", 0o600);
  try {
    writeSync(fd, JSON.stringify({ version: STORE_VERSION, current: store.current, contexts: store.contexts }, null, 2) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    chmodSync(tmp, 0o600);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Reads the store, lets `change(store)` edit it, writes it back. Returns what `change` returned. */
export function updateStore(change, path = storePath()) {
  const store = loadStore(path);
  const result = change(store);
  writeStore(store, path);
  return result;
}

/** The context whose API URL is `apiUrl` (trailing slashes ignored), preferring the current one. */
export function contextForUrl(store, apiUrl) {
  const norm = (u) => String(u).replace(/\/+$/, "");
  const want = norm(apiUrl);
  if (store.current && norm(store.contexts[store.current]?.apiUrl ?? "") === want) return store.current;
  return Object.keys(store.contexts).find((name) => norm(store.contexts[name]?.apiUrl ?? "") === want);
}

/** A session's expiry in ms since the epoch, or undefined when it has none. */
export function sessionExpiry(session) {
  if (!session) return undefined;
  if (typeof session.expiresAt === "number") return session.expiresAt;
  const times = (session.cookies ?? []).map((c) => c.expires).filter((t) => typeof t === "number");
  return times.length ? Math.min(...times) : undefined;
}

/** A canonical text of a session, to tell whether the server changed it. */
export function sessionKey(session) {
  if (!session) return "";
  const cookies = [...(session.cookies ?? [])]
    .map((c) => [c.name, c.domain, c.path, c.value, c.expires ?? null, !!c.secure, !!c.httpOnly])
    .sort((a, b) => (a.slice(0, 3).join("\u0000") < b.slice(0, 3).join("\u0000") ? -1 : 1));
  return JSON.stringify([session.apiUrl, session.authType, session.username ?? null, session.expiresAt ?? null, cookies]);
}
