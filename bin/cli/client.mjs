// Connecting: which API URL and credentials a command uses (flags, environment, the stored
// context), prompts, the --verbose fetch, renewing an expired session, and saving the cookies
// the server refreshed.
import { readFileSync } from "node:fs";
import readline from "node:readline";
import { Writable } from "node:stream";
import { CliError, UsageError } from "./args.mjs";
import { contextForUrl, loadStore, sessionExpiry, sessionKey, storePath, updateStore } from "./store.mjs";

// ------------------------------------------------------------------ terminal input

/** A person is at the keyboard: stdin and stderr are terminals. */
export function isInteractive() {
  return !!(process.stdin.isTTY && process.stderr.isTTY);
}

/**
 * Asks on the terminal. With `hidden`, nothing typed is shown: readline writes to a stream that
 * drops everything while the answer is typed.
 */
export function prompt(question, { hidden = false } = {}) {
  return new Promise((resolve, reject) => {
    let muted = false;
    let answered = false;
    const output = new Writable({
      write(chunk, _enc, cb) {
        if (!muted) process.stderr.write(chunk);
        cb();
      },
    });
    const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
    rl.on("SIGINT", () => {
      rl.close();
    });
    rl.on("close", () => {
      if (answered) return;
      muted = false;
      process.stderr.write("\n");
      reject(new CliError("cancelled", { exitCode: 130 }));
    });
    rl.question(question, (answer) => {
      answered = true;
      muted = false;
      rl.close();
      if (hidden) process.stderr.write("\n");
      resolve(answer);
    });
    muted = hidden;
  });
}

/** All of stdin as text, without the final newline. */
export async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

// ------------------------------------------------------------------ --verbose

const KEEP_PARAMS = new Set(["page_token", "next_page_token", "page_size", "sort_by", "filter", "namespace", "resource_reference_key.type", "resource_reference_key.id", "experiment_id", "pipeline_id", "back", "connector_id", "client_id", "redirect_uri", "response_type", "scope", "rd", "prompt", "approval_prompt", "code_challenge_method"]);
const SECRET_PARAM = /code|state|token|pass|pwd|secret|hmac|^req$|session|key|auth|cookie|assertion|nonce|signature|sig$|credential/i;

/** A URL fit for a log: no user info, no fragment, secret-looking query values replaced. */
export function redactUrl(url) {
  let text = String(url).split("#")[0];
  text = text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@?]*@/i, "$1");
  const q = text.indexOf("?");
  if (q < 0) return text;
  const query = text
    .slice(q + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 0) return pair;
      let key = pair.slice(0, eq);
      try {
        key = decodeURIComponent(key.replace(/\+/g, " "));
      } catch {
        /* keep it as sent */
      }
      return !KEEP_PARAMS.has(key) && SECRET_PARAM.test(key) && eq < pair.length - 1 ? `${pair.slice(0, eq)}=[redacted]` : pair;
    })
    .join("&");
  return `${text.slice(0, q)}?${query}`;
}

/** A `fetch` for `options.fetch` that logs each exchange on stderr. */
export function verboseFetch(log = (line) => process.stderr.write(`kfp-wasm: ${line}\n`)) {
  let undiciFetch;
  return async (url, init = {}) => {
    let send = globalThis.fetch;
    // With TLS options the client hands us an undici dispatcher: send it through undici's own
    // fetch, as the library would without our wrapper.
    if (init.dispatcher) send = undiciFetch ??= (await import("undici")).fetch;
    const t0 = performance.now();
    const method = init.method ?? "GET";
    try {
      const res = await send(url, init);
      log(`${method} ${redactUrl(url)} → ${res.status} (${Math.round(performance.now() - t0)} ms)`);
      return res;
    } catch (err) {
      log(`${method} ${redactUrl(url)} → ${err?.name === "AbortError" || err?.name === "TimeoutError" ? "aborted" : `failed (${err?.cause?.code ?? err?.name ?? "error"})`} (${Math.round(performance.now() - t0)} ms)`);
      throw err;
    }
  };
}

// ------------------------------------------------------------------ errors

/** A library error: KfpError, or a TypeError with an ERR_INVALID_ARG_* code. */
export const isKfpError = (err) => typeof err?.code === "string" && err.code.startsWith("KFP_");

const SESSION_LOSS = new Set(["KFP_SESSION_EXPIRED", "KFP_UNAUTHENTICATED"]);

// ------------------------------------------------------------------ auth from flags

const AUTH_TYPES = { dex: "dex", "service-account-token": "serviceAccountToken", serviceAccountToken: "serviceAccountToken", sa: "serviceAccountToken", bearer: "bearer", none: "none" };

/** The library's auth type for an --auth value. */
export function authTypeOf(flag) {
  const type = AUTH_TYPES[flag];
  if (!type) throw new UsageError(`--auth takes dex, service-account-token, bearer or none (got ${JSON.stringify(String(flag).slice(0, 30))})`);
  return type;
}

/** The password for a Dex login: --password-stdin, KFP_PASSWORD, or a hidden prompt on a terminal. */
export async function dexPassword(values, env, username) {
  if (values["password-stdin"]) {
    const pw = process.stdin.isTTY ? await prompt(`Password for ${username}: `, { hidden: true }) : await readStdin();
    if (!pw) throw new UsageError("--password-stdin: stdin was empty");
    return pw;
  }
  if (env.KFP_PASSWORD) return env.KFP_PASSWORD;
  if (isInteractive()) {
    const pw = await prompt(`Password for ${username}: `, { hidden: true });
    if (!pw) throw new UsageError("no password given");
    return pw;
  }
  throw new UsageError("no password: set KFP_PASSWORD, pass --password-stdin, or run on a terminal to be asked (a password is never taken as an argument)");
}

/** The token for --auth bearer: KFP_TOKEN, stdin, or a hidden prompt. */
export async function bearerToken(env) {
  if (env.KFP_TOKEN) return env.KFP_TOKEN;
  if (process.stdin.isTTY) {
    if (!process.stderr.isTTY) throw new UsageError("no token: set KFP_TOKEN or pipe the token on stdin");
    const t = await prompt("Token: ", { hidden: true });
    if (!t) throw new UsageError("no token given");
    return t.trim();
  }
  const t = (await readStdin()).trim();
  if (!t) throw new UsageError("no token: set KFP_TOKEN or pipe the token on stdin");
  return t;
}

/** The Dex user name: --username, or asked on a terminal. */
export async function dexUsername(values) {
  if (values.username) return values.username;
  if (isInteractive()) {
    const u = (await prompt("Username: ")).trim();
    if (u) return u;
  }
  throw new UsageError("--username is needed for a Dex login");
}

/** Library `auth` from --auth and its companions (a Dex password or a token is read here). */
export async function authFromFlags(values, env) {
  const type = authTypeOf(values.auth ?? "dex");
  if (type === "dex") {
    const username = await dexUsername(values);
    return { type, username, password: await dexPassword(values, env, username), connector: values.connector ?? "local" };
  }
  if (type === "serviceAccountToken") return values["token-path"] ? { type, path: values["token-path"] } : { type };
  if (type === "bearer") return { type, token: await bearerToken(env) };
  return { type: "none" };
}

/** TLS options from --skip-tls-verify and --ca-cert FILE. */
export function tlsFromFlags(values) {
  const tls = {};
  if (values["skip-tls-verify"]) tls.skipTlsVerify = true;
  if (values["ca-cert"]) {
    try {
      tls.caCert = readFileSync(values["ca-cert"], "utf8");
    } catch (err) {
      throw new CliError(`--ca-cert: cannot read ${values["ca-cert"]} (${err.code ?? err.message})`);
    }
    if (!tls.caCert.includes("-----BEGIN CERTIFICATE-----")) throw new CliError(`--ca-cert: ${values["ca-cert"]} holds no PEM certificate`);
  }
  return tls;
}

// ------------------------------------------------------------------ the connection of one command

/**
 * How one command reaches KFP. Either a stored context (its session, renewed when needed and
 * saved back when the server refreshed it) or, with --auth or an --api-url no context knows,
 * credentials that live only as long as the command.
 */
export class Connection {
  constructor({ lib, values, env = process.env, timeoutMs }) {
    this.lib = lib;
    this.values = values;
    this.env = env;
    this.timeoutMs = timeoutMs;
    this.kfp = undefined;
    this.deadline = undefined;
    this.verbose = !!values.verbose;
    this.path = storePath(env);
  }

  log(line) {
    if (this.verbose) process.stderr.write(`kfp-wasm: ${line}\n`);
  }

  /** The signal every call gets: fires when --timeout runs out. */
  get signal() {
    if (this.timeoutMs === undefined) return undefined;
    this.deadline ??= AbortSignal.timeout(this.timeoutMs);
    return this.deadline;
  }

  /** Options every client gets. */
  baseOptions() {
    const o = {};
    const namespace = this.values.namespace ?? this.env.KFP_NAMESPACE;
    if (namespace) o.namespace = namespace;
    if (this.timeoutMs !== undefined) o.timeoutMs = Math.max(1, Math.min(this.timeoutMs, 2 ** 31 - 1));
    if (this.verbose) o.fetch = verboseFetch();
    const signal = this.signal;
    if (signal) o.signal = signal;
    return o;
  }

  /** Decides where the command goes; reads the store once. */
  resolve() {
    if (this.target) return this.target;
    const apiUrl = this.values["api-url"] ?? this.env.KFP_API_URL;
    const contextFlag = this.values.context ?? this.env.KFP_CONTEXT;
    const store = loadStore(this.path);
    if (contextFlag && !store.contexts[contextFlag]) {
      const known = Object.keys(store.contexts);
      throw new CliError(`no context named "${contextFlag}"${known.length ? ` (known: ${known.join(", ")})` : ""}; run \`kfp-wasm login --context ${contextFlag} --api-url URL\``);
    }
    if (this.values.auth) {
      if (authTypeOf(this.values.auth) === "dex") throw new UsageError("--auth dex works with `kfp-wasm login`, which stores the session; other commands then use it");
      const entry = contextFlag ? store.contexts[contextFlag] : store.current ? store.contexts[store.current] : undefined;
      const url = apiUrl ?? entry?.apiUrl;
      if (!url) throw new UsageError("--auth needs --api-url (or KFP_API_URL)");
      this.target = { kind: "flags", apiUrl: url };
      return this.target;
    }
    let name = contextFlag;
    if (!name && apiUrl) name = contextForUrl(store, apiUrl);
    if (!name && !apiUrl) name = store.current;
    const entry = name ? store.contexts[name] : undefined;
    if (entry && apiUrl && contextFlag && entry.apiUrl.replace(/\/+$/, "") !== apiUrl.replace(/\/+$/, "")) {
      throw new UsageError(`context "${name}" is for ${entry.apiUrl}, not ${apiUrl}; pass one of --context and --api-url`);
    }
    if (entry) {
      this.target = { kind: "context", name, entry, apiUrl: entry.apiUrl };
    } else if (apiUrl) {
      this.target = { kind: "flags", apiUrl, noAuthFlag: true };
    } else {
      throw new CliError("not logged in: run `kfp-wasm login --api-url URL`, or pass --api-url (with --auth none or --auth service-account-token no login is needed)");
    }
    return this.target;
  }

  /** The client; created on first use. */
  async client() {
    if (this.kfp) return this.kfp;
    const target = this.resolve();
    if (target.kind === "flags") {
      const auth = target.noAuthFlag ? { type: "none" } : await authFromFlags(this.values, this.env);
      this.log(`${target.apiUrl}, auth ${auth.type}, no stored session`);
      this.kfp = await this.lib.createKfpClient({ apiUrl: target.apiUrl, auth, ...tlsFromFlags(this.values), ...this.baseOptions() });
      return this.kfp;
    }
    const { name, entry } = target;
    this.log(`context "${name}" (${entry.apiUrl}, auth ${entry.auth?.type ?? "none"}) from ${this.path}`);
    const options = { apiUrl: entry.apiUrl, ...this.storedTls(entry), ...this.baseOptions() };
    if (!options.namespace && entry.namespace) options.namespace = entry.namespace;
    const type = entry.auth?.type ?? "none";
    if (type === "dex") {
      const expiry = sessionExpiry(entry.session);
      const expired = expiry !== undefined && expiry <= Date.now();
      let password = this.env.KFP_PASSWORD || undefined;
      if (expired && !password) password = await this.askPasswordOrFail(`expired at ${new Date(expiry).toISOString()}`);
      if (password) {
        this.passwordInUse = true;
        options.auth = { type: "dex", username: entry.auth.username, password, connector: entry.auth.connector ?? "local" };
      }
      if (!expired && entry.session) options.session = entry.session;
      if (expired) this.log(`the stored session expired at ${new Date(expiry).toISOString()}; logging in again`);
    } else if (type === "serviceAccountToken") {
      options.auth = entry.auth.path ? { type, path: entry.auth.path } : { type };
    } else if (type === "bearer") {
      const token = this.env.KFP_TOKEN || entry.auth.token;
      if (!token) throw new CliError(`context "${name}" has no token: set KFP_TOKEN or run \`kfp-wasm login --auth bearer\``);
      options.auth = { type, token };
    } else {
      options.auth = { type: "none" };
      if (entry.session?.cookies?.length) options.session = entry.session;
    }
    this.kfp = await this.lib.createKfpClient(options);
    return this.kfp;
  }

  storedTls(entry) {
    const tls = {};
    if (entry.skipTlsVerify) tls.skipTlsVerify = true;
    if (entry.caCert) tls.caCert = entry.caCert;
    return tls;
  }

  /** On a terminal: asks for the password. Otherwise: the "run kfp-wasm login" failure. */
  async askPasswordOrFail(why, code = "KFP_SESSION_EXPIRED") {
    const { name, entry } = this.target;
    if (isInteractive()) {
      process.stderr.write(`The session for context "${name}" ${why}.\n`);
      const pw = await prompt(`Password for ${entry.auth.username}: `, { hidden: true });
      if (pw) return pw;
    }
    throw new CliError(`the stored session for context "${name}" ${why}. Run \`kfp-wasm login${name === hostOf(entry.apiUrl) ? "" : ` --context ${name}`} --api-url ${entry.apiUrl} --username ${entry.auth.username}\` to log in again, or set KFP_PASSWORD to renew it by itself.`, { code });
  }

  /**
   * Runs `fn(kfp)`. When a stored Dex session turns out to be gone and the library could not
   * renew it (no password at hand), asks for the password on a terminal, logs in and runs `fn`
   * again; elsewhere it fails with the hint to run `kfp-wasm login`.
   */
  async call(fn) {
    const kfp = await this.client();
    try {
      return await fn(kfp, this.signal);
    } catch (err) {
      const t = this.target;
      if (!(t?.kind === "context" && t.entry.auth?.type === "dex" && !this.passwordInUse && SESSION_LOSS.has(err?.code))) throw err;
      const password = await this.askPasswordOrFail("has expired", err.code);
      this.passwordInUse = true;
      const options = { apiUrl: t.entry.apiUrl, ...this.storedTls(t.entry), ...this.baseOptions() };
      if (!options.namespace && t.entry.namespace) options.namespace = t.entry.namespace;
      options.auth = { type: "dex", username: t.entry.auth.username, password, connector: t.entry.auth.connector ?? "local" };
      this.kfp = await this.lib.createKfpClient(options);
      return await fn(this.kfp, this.signal);
    }
  }

  /** After the command: stores the session again if the server refreshed or renewed it. */
  save() {
    const t = this.target;
    if (!this.kfp || t?.kind !== "context") return;
    let now;
    try {
      now = this.kfp.exportSession();
    } catch {
      return;
    }
    if (!now || !Array.isArray(now.cookies)) return;
    if (sessionKey(now) === sessionKey(t.entry.session)) return;
    if (now.cookies.length === 0 && t.entry.auth?.type !== "dex") return;
    updateStore((store) => {
      const entry = store.contexts[t.name];
      if (!entry || entry.apiUrl !== t.entry.apiUrl) return; // logged out or replaced meanwhile
      entry.session = now;
      if (this.kfp.loginCount > 0) entry.loggedInAt = Date.now();
    }, this.path);
    this.log(`saved the ${this.kfp.loginCount > 0 ? "renewed" : "refreshed"} session of context "${t.name}"`);
  }
}

/** The default context name: the API URL's host (with its port). */
export function hostOf(apiUrl) {
  try {
    return new URL(apiUrl).host;
  } catch {
    return apiUrl;
  }
}

