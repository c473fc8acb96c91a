// The command-line tool (bin/kfp-wasm.mjs), run as a user runs it: a separate process per
// command, against the sandbox, with its own config folder (XDG_CONFIG_HOME). Covers the ways a
// password arrives (environment, stdin, a hidden prompt on a pseudo-terminal), the session file
// (modes, reuse by a second process, renewal, refreshed cookies), every resource command, the
// output formats, exit statuses, and a scan of everything the CLI printed for secrets.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { after, before, describe, test } from "node:test";
import { PROFILE_DEFS, startSandbox } from "../../sandbox/index.mjs";
import { PACKAGE_DIR, consumerDir, withSandbox } from "./helpers.mjs";

const CLI = join(PACKAGE_DIR, "bin", "kfp-wasm.mjs");
const VERSION = JSON.parse(readFileSync(join(PACKAGE_DIR, "package.json"), "utf8")).version;
const TMP = mkdtempSync(join(tmpdir(), "kfp-wasm-cli-"));
after(() => rmSync(TMP, { recursive: true, force: true }));

// ------------------------------------------------------------------ secrets and what was printed

/** Every password, cookie value, token and OAuth parameter seen; none may appear in CLI output. */
const SECRETS = new Set();
const secret = (value) => (value && value.length >= 8 && SECRETS.add(value), value);
/** Everything the CLI printed: { label, text, mayShowCookies }. */
const PRINTED = [];
/** Every config folder a test used: their session files are scanned for the passwords. */
const HOMES = [];

/** The values of a Cookie header ("a=1; b=2"). */
const cookieValues = (header) => (header ?? "").split(";").map((p) => p.trim().split("=").slice(1).join("=")).filter((v) => v.length >= 8);

/** The OAuth parameters (code, state, hmac, req) the sandbox saw in the login hops. */
function collectLoginParams(sb) {
  for (const r of sb.stats.requests) {
    const q = r.path.indexOf("?");
    if (q < 0) continue;
    const params = new URLSearchParams(r.path.slice(q + 1));
    for (const key of ["code", "state", "hmac", "req"]) secret(params.get(key) ?? "");
  }
}

/** A fresh user's home: HOME and XDG_CONFIG_HOME inside it. */
function newHome(name) {
  const home = mkdtempSync(join(TMP, `${name}-`));
  HOMES.push(home);
  return home;
}
const sessionFile = (home) => join(home, "config", "kfp-wasm", "sessions.json");
function readSessions(home) {
  const text = readFileSync(sessionFile(home), "utf8");
  const data = JSON.parse(text);
  for (const ctx of Object.values(data.contexts)) for (const c of ctx.session?.cookies ?? []) secret(c.value);
  return { text, data };
}

/** The environment of a CLI process: nothing from ours that could steer it. */
function cliEnv(home, extra) {
  const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, "config"), LANG: "C.UTF-8", ...extra };
  for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
  return env;
}

/**
 * Runs `kfp-wasm ...args` on pipes. Resolves with { status, stdout, stderr }.
 * @param {string[]} args
 * @param {{ home: string, env?: object, input?: string, mayShowCookies?: boolean }} o
 */
function cli(args, { home, env = {}, input, mayShowCookies = false, cwd = home } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: cliEnv(home, env), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      PRINTED.push({ label: `kfp-wasm ${args.join(" ")}`, text: stdout + stderr, mayShowCookies });
      resolve({ status: status ?? signal, stdout, stderr });
    });
    child.stdin.on("error", () => {});
    child.stdin.end(input ?? "");
  });
}

/** Asserts an exit status, showing the output when it differs. */
function exits(r, status, what = "") {
  assert.equal(r.status, status, `${what} exit ${r.status}, expected ${status}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r;
}
const json = (r) => JSON.parse(exits(r, 0).stdout);

// ------------------------------------------------------------------ a pseudo-terminal (Python's pty module)

const PTY_DRIVER = String.raw`
import json, os, pty, select, sys, time
answers = json.loads(os.environ.pop("PTY_ANSWERS", "[]"))
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out = b""
seen = 0
i = 0
deadline = time.time() + 30
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.05)
    if fd in r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        out += data
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    if i < len(answers) and answers[i][0].encode() in out[seen:]:
        seen = len(out)
        os.write(fd, answers[i][1].encode())
        i += 1
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
`;
const HAVE_PTY = spawnSync("python3", ["-c", "import pty, select"], { stdio: "ignore" }).status === 0;

/**
 * Runs the CLI on a pseudo-terminal (stdin, stdout and stderr all the terminal). Each answer
 * [text, reply] is typed once `text` has appeared in the output, so nothing is typed before the
 * CLI asks (the terminal would echo it). Resolves with { status, output }.
 */
function cliOnTerminal(args, { home, env = {}, answers = [] }) {
  return new Promise((resolve, reject) => {
    const child = spawn("python3", ["-c", PTY_DRIVER, process.execPath, CLI, ...args], { cwd: home, env: cliEnv(home, { ...env, PTY_ANSWERS: JSON.stringify(answers) }), stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (output += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("close", (status) => {
      PRINTED.push({ label: `(terminal) kfp-wasm ${args.join(" ")}`, text: output, mayShowCookies: false });
      resolve({ status, output, stdout: output, stderr: "" });
    });
  });
}

// ------------------------------------------------------------------ fixtures

/** A small compiled pipeline (KFP IR YAML) with the sandbox's `sandbox_outcome` parameter. */
const PIPELINE = `# PIPELINE DEFINITION
# Name: cli-test
# Inputs:
#    message: str [Default: 'hello']
#    sandbox_outcome: str [Default: 'SUCCEEDED']
components:
  comp-echo:
    executorLabel: exec-echo
    inputDefinitions:
      parameters:
        message:
          parameterType: STRING
deploymentSpec:
  executors:
    exec-echo:
      container:
        args:
        - '{{$.inputs.parameters[''message'']}}'
        command:
        - echo
        image: python:3.11
pipelineInfo:
  name: cli-test
root:
  dag:
    tasks:
      echo:
        cachingOptions:
          enableCache: true
        componentRef:
          name: comp-echo
        inputs:
          parameters:
            message:
              componentInputParameter: message
        taskInfo:
          name: echo
  inputDefinitions:
    parameters:
      message:
        defaultValue: hello
        isOptional: true
        parameterType: STRING
      sandbox_outcome:
        defaultValue: SUCCEEDED
        isOptional: true
        parameterType: STRING
schemaVersion: 2.1.0
sdkVersion: kfp-2.17.3
`;
const PIPELINE_FILE = join(TMP, "pipeline.yaml");
writeFileSync(PIPELINE_FILE, PIPELINE);

/** deployKF users with distinctive random passwords. */
function usersWithSecretPasswords(profile) {
  return PROFILE_DEFS[profile].users.map((u) => ({ ...u, password: u.password === null ? null : secret(`Pa55-${randomBytes(9).toString("hex")}`) }));
}

const unique = (prefix) => `${prefix}-${randomBytes(4).toString("hex")}`;

// ------------------------------------------------------------------ usage

describe("usage", () => {
  const home = newHome("usage");

  test("no command, an unknown command, an unknown flag: exit 2 with a pointer to --help", async () => {
    const none = exits(await cli([], { home }), 2);
    assert.match(none.stderr, /Usage: kfp-wasm COMMAND/);
    const unknown = exits(await cli(["frobnicate"], { home }), 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
    const flag = exits(await cli(["experiments", "list", "--bogus"], { home }), 2);
    assert.match(flag.stderr, /unknown option --bogus/);
    assert.match(flag.stderr, /kfp-wasm experiments list --help/);
    exits(await cli(["runs"], { home }), 2);
  });

  test("a password is never taken as an argument, and never echoed back", async () => {
    const pw = secret(`Arg-Pa55-${randomBytes(6).toString("hex")}`);
    for (const args of [["login", "--api-url", "http://127.0.0.1:9/pipeline", "--password", pw], ["login", `--password=${pw}`], ["login", "--api-url", "http://127.0.0.1:9", "-p", pw]]) {
      const r = exits(await cli(args, { home }), 2, args.join(" "));
      assert.ok(!(r.stdout + r.stderr).includes(pw), "the password is not echoed");
    }
  });

  test("missing or malformed arguments exit 2", async () => {
    const cases = [
      ["login"],
      ["login", "--api-url", "not a url", "--username", "u"],
      ["login", "--api-url", "http://127.0.0.1:9/pipeline", "--username", "u"], // no password source on a pipe
      ["experiments", "get"],
      ["experiments", "get", "a", "b"],
      ["experiments", "list", "--timeout", "soon"],
      ["experiments", "list", "--output", "yaml"],
      ["experiments", "list", "--page-size", "zero"],
      ["runs", "create", "--pipeline", PIPELINE_FILE],
      ["runs", "create", "--experiment", "e"],
      ["runs", "create", "--pipeline", PIPELINE_FILE, "--pipeline-id", "x", "--experiment", "e"],
      ["runs", "create", "--pipeline", PIPELINE_FILE, "--experiment", "e", "--param", "novalue", "--api-url", "http://127.0.0.1:9"],
      ["runs", "wait"],
      ["versions", "list", "--api-url", "http://127.0.0.1:9"],
      ["recurring-runs", "create", "r", "--experiment", "e", "--pipeline", PIPELINE_FILE, "--api-url", "http://127.0.0.1:9"],
      ["experiments", "list", "--api-url", "http://127.0.0.1:9", "--filter", "{not json"],
      ["experiments", "list", "--api-url", "http://127.0.0.1:9", "--auth", "kerberos"],
    ];
    const results = await Promise.all(cases.map((args) => cli(args, { home })));
    results.forEach((r, i) => exits(r, 2, cases[i].join(" ")));
  });

  test("--help on every command, --version, help COMMAND", async () => {
    const commands = [
      "login", "logout", "contexts", "use", "session", "healthz",
      ...["list", "get", "create", "archive", "delete"].map((c) => `experiments ${c}`),
      ...["list", "get", "upload", "delete"].map((c) => `pipelines ${c}`),
      ...["list", "upload", "delete"].map((c) => `versions ${c}`),
      ...["list", "get", "create", "wait", "terminate", "archive", "delete"].map((c) => `runs ${c}`),
      ...["list", "get", "create", "enable", "disable", "delete"].map((c) => `recurring-runs ${c}`),
    ];
    const results = await Promise.all(commands.map((c) => cli([...c.split(" "), "--help"], { home })));
    results.forEach((r, i) => {
      exits(r, 0, commands[i]);
      assert.ok(r.stdout.startsWith(`Usage: kfp-wasm ${commands[i]}`), `${commands[i]} --help: ${r.stdout.slice(0, 80)}`);
    });
    const groups = ["experiments", "pipelines", "versions", "runs", "recurring-runs"];
    (await Promise.all(groups.map((g) => cli([g, "--help"], { home })))).forEach((r, i) => assert.match(exits(r, 0).stdout, new RegExp(`${groups[i]} list`)));
    const [top, version, help] = await Promise.all([cli(["--help"], { home }), cli(["--version"], { home }), cli(["help", "runs", "wait"], { home })]);
    assert.match(exits(top, 0).stdout, /Exit status: 0 success, 1 failure, 2 bad usage, 3 .*, 4 timeout/);
    assert.equal(exits(version, 0).stdout.trim(), `kfp-wasm ${VERSION}`);
    assert.match(exits(help, 0).stdout, /^Usage: kfp-wasm runs wait ID/);
  });

  test("not logged in: exit 1 with what to do", async () => {
    const r = exits(await cli(["experiments", "list"], { home }), 1);
    assert.match(r.stderr, /kfp-wasm login/);
    assert.ok(!existsSync(sessionFile(home)), "nothing was written");
  });
});

// ------------------------------------------------------------------ Dex logins and the stored session

describe("deployKF through Dex: login, the session file, reuse, renewal", () => {
  let sb;
  let user;
  let home;
  before(async () => {
    sb = await startSandbox({ profile: "deploykf-0.1.5", users: usersWithSecretPasswords("deploykf-0.1.5") });
    user = sb.users.find((u) => u.username === "user1@example.com");
    home = newHome("dex");
  });
  after(async () => {
    collectLoginParams(sb);
    await sb.close();
  });
  const host = () => new URL(sb.apiUrl).host;

  test("login with KFP_PASSWORD: who and until when, nothing secret; the file is 0600 in a 0700 folder", async () => {
    const r = exits(await cli(["login", "--api-url", sb.apiUrl, "--username", user.username, "--namespace", "team-1"], { home, env: { KFP_PASSWORD: user.password } }), 0);
    assert.match(r.stdout, /Logged in to .* as user1@example\.com/);
    assert.match(r.stdout, /valid until \d{4}-\d\d-\d\dT/);
    assert.match(r.stdout, new RegExp(`context ${host().replace(/[.]/g, "\\.")}`));
    assert.equal(sb.stats.passwordPosts, 1);
    assert.equal(statSync(sessionFile(home)).mode & 0o777, 0o600);
    assert.equal(statSync(join(home, "config", "kfp-wasm")).mode & 0o777, 0o700);
    const { text, data } = readSessions(home);
    assert.ok(!text.includes(user.password), "the password is not stored");
    assert.equal(data.current, host());
    const entry = data.contexts[host()];
    assert.equal(entry.apiUrl, sb.apiUrl);
    assert.equal(entry.namespace, "team-1");
    assert.equal(entry.auth.type, "dex");
    assert.equal(entry.auth.username, user.username);
    assert.ok(entry.session.cookies.length >= 1, "the session cookies are stored");
    assert.ok(entry.session.cookies.every((c) => typeof c.name === "string" && typeof c.value === "string"));
  });

  test("a second process reuses the stored session without logging in; --json and --output jsonl parse", async () => {
    const posts = sb.stats.passwordPosts;
    const list = json(await cli(["experiments", "list", "--json"], { home }));
    assert.ok(Array.isArray(list.experiments));
    assert.ok(list.experiments.some((e) => e.display_name === "Default"));
    const lines = exits(await cli(["experiments", "list", "--output", "jsonl"], { home }), 0).stdout.trim().split("\n");
    assert.equal(lines.length, list.experiments.length);
    assert.deepEqual(lines.map((l) => JSON.parse(l).experiment_id).sort(), list.experiments.map((e) => e.experiment_id).sort());
    const table = exits(await cli(["experiments", "list"], { home }), 0).stdout;
    assert.match(table, /^ID\s+NAME\s+NAMESPACE/);
    assert.match(table, /Default/);
    assert.equal(sb.stats.passwordPosts, posts, "no new login");
  });

  test("login with --password-stdin", async () => {
    const other = newHome("stdin");
    const posts = sb.stats.passwordPosts;
    exits(await cli(["login", "--api-url", sb.apiUrl, "--username", user.username, "--password-stdin", "-n", "team-1"], { home: other, input: `${user.password}\n` }), 0);
    assert.equal(sb.stats.passwordPosts, posts + 1);
    assert.ok(!readSessions(other).text.includes(user.password));
    assert.ok(json(await cli(["experiments", "list", "--json"], { home: other })).experiments.length >= 1);
  });

  test("login with the password typed at a hidden prompt on a terminal", { skip: !HAVE_PTY && "python3 with the pty module is needed" }, async () => {
    const other = newHome("pty");
    const posts = sb.stats.passwordPosts;
    const r = await cliOnTerminal(["login", "--api-url", sb.apiUrl, "--namespace", "team-1"], { home: other, answers: [["Username: ", `${user.username}\r`], ["Password for", `${user.password}\r`]] });
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /Password for user1@example\.com: /);
    assert.match(r.output, /Logged in to .* as user1@example\.com/);
    assert.ok(!r.output.includes(user.password), "nothing typed was shown");
    assert.equal(sb.stats.passwordPosts, posts + 1);
    assert.ok(json(await cli(["experiments", "list", "--json"], { home: other })).experiments.length >= 1);
  });

  test("session --cookie-header is the session, usable as it is (the one command that prints it)", async () => {
    const r = exits(await cli(["session", "--cookie-header"], { home, mayShowCookies: true }), 0);
    const header = r.stdout.trim();
    assert.match(header, /^[^=;\s]+=[^;]+(; [^=;\s]+=[^;]+)*$/);
    cookieValues(header).forEach(secret);
    const res = await fetch(`${sb.apiUrl}/apis/v2beta1/experiments?namespace=team-1`, { headers: { cookie: header, accept: "application/json" }, redirect: "manual" });
    assert.equal(res.status, 200);
    const info = json(await cli(["session", "--json"], { home }));
    assert.equal(info.username, user.username);
    assert.ok(info.cookieNames.length >= 1);
    assert.ok(!JSON.stringify(info).includes(cookieValues(header)[0]), "session without --cookie-header shows names only");
  });

  test("--verbose: every HTTP exchange on stderr, secrets redacted", async () => {
    const other = newHome("verbose");
    const login = exits(await cli(["login", "--verbose", "--api-url", sb.apiUrl, "--username", user.username, "-n", "team-1"], { home: other, env: { KFP_PASSWORD: user.password } }), 0);
    assert.match(login.stderr, /^kfp-wasm: GET http:\/\/\S+ → 30\d \(\d+ ms\)$/m);
    assert.match(login.stderr, /^kfp-wasm: POST http:\/\/\S+\/dex\/\S* → 303 \(\d+ ms\)$/m);
    assert.match(login.stderr, /state=\[redacted\]/);
    assert.doesNotMatch(login.stderr, /[?&](code|state|hmac|req)=(?!\[redacted\])[^&\s]/);
    const list = exits(await cli(["experiments", "list", "--verbose"], { home: other }), 0);
    assert.match(list.stderr, /GET http:\/\/[^ ]+\/pipeline\/apis\/v2beta1\/experiments\?[^ ]*namespace=team-1[^ ]* → 200 \(\d+ ms\)/);
  });

  test("contexts, use, logout", async () => {
    exits(await cli(["login", "--api-url", sb.apiUrl, "--username", user.username, "--context", "second", "-n", "team-1"], { home, env: { KFP_PASSWORD: user.password } }), 0);
    let list = json(await cli(["contexts", "--json"], { home }));
    assert.equal(list.current, "second");
    assert.deepEqual(list.contexts.map((c) => c.name).sort(), [host(), "second"].sort());
    assert.ok(!JSON.stringify(list).includes("value"), "no cookie values in the list");
    const table = exits(await cli(["contexts"], { home }), 0).stdout;
    assert.match(table, /^\s*\*\s+second\s/m);
    exits(await cli(["use", host()], { home }), 0);
    assert.equal(json(await cli(["contexts", "--json"], { home })).current, host());
    exits(await cli(["use", "nope"], { home }), 1);
    assert.ok(json(await cli(["experiments", "list", "--json", "--context", "second"], { home })).experiments.length >= 1, "--context picks a context");
    assert.ok(json(await cli(["experiments", "list", "--json"], { home, env: { KFP_CONTEXT: "second" } })).experiments.length >= 1, "KFP_CONTEXT too");
    exits(await cli(["experiments", "list", "--context", "nope"], { home }), 1);
    exits(await cli(["logout", "second"], { home }), 0);
    list = json(await cli(["contexts", "--json"], { home }));
    assert.deepEqual(list.contexts.map((c) => c.name), [host()]);
    assert.equal(list.current, host());
  });

  test("an expired session: without a password it fails and says to run kfp-wasm login; with KFP_PASSWORD it is renewed and saved", async () => {
    const before = readSessions(home).data.contexts[host()].session;
    sb.expireSessions();
    const posts = sb.stats.passwordPosts;
    const fail = exits(await cli(["experiments", "list"], { home }), 1);
    assert.match(fail.stderr, /run `kfp-wasm login/i);
    assert.doesNotMatch(fail.stderr, /\n\s+at /, "no stack trace");
    assert.equal(sb.stats.passwordPosts, posts);
    const ok = json(await cli(["experiments", "list", "--json"], { home, env: { KFP_PASSWORD: user.password } }));
    assert.ok(ok.experiments.length >= 1);
    assert.equal(sb.stats.passwordPosts, posts + 1, "one new login");
    const after = readSessions(home).data.contexts[host()].session;
    assert.notDeepEqual(after.cookies.map((c) => c.value), before.cookies.map((c) => c.value), "the renewed session was saved");
    assert.equal(statSync(sessionFile(home)).mode & 0o777, 0o600);
    exits(await cli(["experiments", "list"], { home }), 0);
    assert.equal(sb.stats.passwordPosts, posts + 1, "the renewed session is reused");
  });

  test("a session past its stored expiry is not even tried without a password", async () => {
    const other = newHome("expired");
    exits(await cli(["login", "--api-url", sb.apiUrl, "--username", user.username, "-n", "team-1"], { home: other, env: { KFP_PASSWORD: user.password } }), 0);
    const { data } = readSessions(other);
    const session = data.contexts[host()].session;
    const past = Date.now() - 60_000;
    session.expiresAt = past;
    for (const c of session.cookies) c.expires = past;
    writeFileSync(sessionFile(other), JSON.stringify(data), { mode: 0o600 });
    sb.resetStats();
    const r = exits(await cli(["experiments", "list"], { home: other }), 1);
    assert.match(r.stderr, /expired/);
    assert.match(r.stderr, /kfp-wasm login/);
    assert.equal(sb.stats.requests.length, 0, "no request was sent");
    exits(await cli(["experiments", "list"], { home: other, env: { KFP_PASSWORD: user.password } }), 0);
    assert.equal(sb.stats.passwordPosts, 1);
    assert.ok(readSessions(other).data.contexts[host()].session.expiresAt > Date.now(), "the new expiry was saved");
  });

  test("an expired session on a terminal asks for the password and carries on", { skip: !HAVE_PTY && "python3 with the pty module is needed" }, async () => {
    sb.expireSessions();
    const posts = sb.stats.passwordPosts;
    const r = await cliOnTerminal(["experiments", "list"], { home, answers: [["Password for", `${user.password}\r`]] });
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /Default/);
    assert.ok(!r.output.includes(user.password));
    assert.equal(sb.stats.passwordPosts, posts + 1);
    exits(await cli(["experiments", "list"], { home }), 0);
    assert.equal(sb.stats.passwordPosts, posts + 1, "the new session was saved");
  });

  test("--timeout: exit 4", async () => {
    const r = exits(await cli(["experiments", "list", "--all", "--timeout", "1ms"], { home }), 4);
    assert.match(r.stderr, /KFP_TIMEOUT/);
  });

  test("a KfpError: its code and message on stderr, exit 1, a stack trace only with --verbose", async () => {
    const r = exits(await cli(["experiments", "get", "00000000-0000-0000-0000-000000000000"], { home }), 1);
    assert.match(r.stderr, /^kfp-wasm: KFP_NOT_FOUND: /);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    const v = exits(await cli(["experiments", "get", "00000000-0000-0000-0000-000000000000", "--verbose"], { home }), 1);
    assert.match(v.stderr, /\n\s+at /);
  });

  // -------------------------------------------------------------- resources

  test("experiments: create, get (by id and name), list (pages, --all, --filter), archive, delete", async () => {
    const name = unique("cli-exp");
    const created = json(await cli(["experiments", "create", name, "--description", "from the CLI", "--json"], { home }));
    assert.equal(created.display_name, name);
    const id = created.experiment_id;
    assert.ok(id);
    const filter = JSON.stringify({ predicates: [{ key: "display_name", operation: "EQUALS", string_value: name }] });
    const [byId, byName, table, page1, all, filtered] = await Promise.all([
      cli(["experiments", "get", id, "--json"], { home }),
      cli(["experiments", "get", "--name", name, "--json"], { home }),
      cli(["experiments", "get", id], { home }),
      cli(["experiments", "list", "--page-size", "1", "--json"], { home }),
      cli(["experiments", "list", "--all", "--page-size", "1", "--json"], { home }),
      cli(["experiments", "list", "--filter", filter, "--json"], { home }),
    ]);
    assert.equal(json(byId).display_name, name);
    assert.equal(json(byName).experiment_id, id);
    assert.match(exits(table, 0).stdout, new RegExp(`NAME:\\s+${name}`));
    const first = json(page1);
    assert.equal(first.experiments.length, 1);
    assert.ok(first.next_page_token, "a next page");
    const everything = json(all);
    assert.ok(everything.experiments.length >= 3);
    assert.ok(everything.experiments.some((e) => e.experiment_id === id));
    assert.equal(everything.next_page_token, undefined);
    assert.deepEqual(json(filtered).experiments.map((e) => e.experiment_id), [id]);
    const page2 = json(await cli(["experiments", "list", "--page-size", "1", "--page-token", first.next_page_token, "--json"], { home }));
    assert.notEqual(page2.experiments[0].experiment_id, first.experiments[0].experiment_id);

    exits(await cli(["experiments", "archive", id], { home }), 0);
    assert.equal(json(await cli(["experiments", "get", id, "--json"], { home })).storage_state, "ARCHIVED");
    exits(await cli(["experiments", "unarchive", id], { home }), 0);
    exits(await cli(["experiments", "delete", id], { home }), 0);
    assert.match(exits(await cli(["experiments", "get", id], { home }), 1).stderr, /KFP_NOT_FOUND/);
  });

  test("pipelines and versions: upload, list, get, delete", async () => {
    const name = unique("cli-pipeline");
    const p = json(await cli(["pipelines", "upload", PIPELINE_FILE, "--name", name, "--description", "from the CLI", "--json"], { home }));
    assert.ok(p.pipeline_id);
    assert.equal(p.display_name ?? p.name, name);
    const [list, byId, byName, upload] = await Promise.all([
      cli(["pipelines", "list", "--all", "--json"], { home }),
      cli(["pipelines", "get", p.pipeline_id, "--json"], { home }),
      cli(["pipelines", "get", "--name", name, "--json"], { home }),
      cli(["versions", "upload", PIPELINE_FILE, "--pipeline", name, "--name", `${name}-v2`, "--json"], { home }),
    ]);
    assert.ok(json(list).pipelines.some((x) => x.pipeline_id === p.pipeline_id));
    assert.equal(json(byId).pipeline_id, p.pipeline_id);
    assert.equal(json(byName).pipeline_id, p.pipeline_id);
    const v = json(upload);
    assert.ok(v.pipeline_version_id);
    const [listed, lines] = await Promise.all([cli(["versions", "list", "--pipeline", name, "--json"], { home }), cli(["versions", "list", "--pipeline-id", p.pipeline_id, "--output", "jsonl"], { home })]);
    const versions = json(listed).pipeline_versions;
    assert.ok(versions.some((x) => x.pipeline_version_id === v.pipeline_version_id));
    assert.equal(exits(lines, 0).stdout.trim().split("\n").map((l) => JSON.parse(l)).length, versions.length);

    // A run of the uploaded pipeline: its newest version unless --version-id says otherwise.
    const run = json(await cli(["runs", "create", "--pipeline-id", p.pipeline_id, "--experiment", unique("cli-pipeline-runs"), "--wait", "--poll-interval", "100ms", "--json"], { home }));
    assert.equal(run.state, "SUCCEEDED");
    assert.ok(versions.some((x) => x.pipeline_version_id === run.pipeline_version_reference?.pipeline_version_id), "one of the pipeline's versions ran");

    exits(await cli(["versions", "delete", v.pipeline_version_id, "--pipeline", name], { home }), 0);
    const rest = json(await cli(["versions", "list", "--pipeline-id", p.pipeline_id, "--all", "--json"], { home })).pipeline_versions;
    assert.ok(rest.length >= 1, "the version the upload made is left");
    assert.ok(!rest.some((x) => x.pipeline_version_id === v.pipeline_version_id));
    exits(await cli(["pipelines", "delete", p.pipeline_id], { home }), 1, "a pipeline with versions");
    exits(await cli(["pipelines", "delete", p.pipeline_id, "--cascade"], { home }), 0);
    const [gone, byGoneName] = await Promise.all([cli(["pipelines", "get", p.pipeline_id], { home }), cli(["versions", "list", "--pipeline", name], { home })]);
    assert.match(exits(gone, 1).stderr, /KFP_NOT_FOUND/);
    assert.match(exits(byGoneName, 1).stderr, /no pipeline named/);
  });

  test("runs create --wait: exit 0 when the run succeeds, 3 when it fails", async () => {
    const experiment = unique("cli-runs");
    exits(await cli(["experiments", "create", experiment], { home }), 0);
    const [ok, failed] = await Promise.all([
      cli(["runs", "create", "--pipeline", PIPELINE_FILE, "--experiment", experiment, "--param", "message=hi", "--wait", "--poll-interval", "100ms"], { home }),
      cli(["runs", "create", "--pipeline", PIPELINE_FILE, "--experiment", experiment, "--param", "sandbox_outcome=FAILED", "--wait", "--poll-interval", "100ms", "--json"], { home }),
    ]);
    exits(ok, 0);
    assert.match(ok.stdout, /SUCCEEDED/);
    assert.doesNotMatch(ok.stderr, /\r/, "no live line on a pipe");
    exits(failed, 3);
    assert.equal(JSON.parse(failed.stdout).state, "FAILED");
    const runs = json(await cli(["runs", "list", "--experiment", experiment, "--json"], { home })).runs;
    assert.equal(runs.length, 2);
    assert.deepEqual(runs.map((r) => r.state).sort(), ["FAILED", "SUCCEEDED"]);
  });

  test("runs: create, wait (on a pipe: nothing until the end), get, list, terminate, archive, delete", async () => {
    const experiment = unique("cli-runs");
    exits(await cli(["experiments", "create", experiment], { home }), 0);
    const [first, second] = await Promise.all([
      cli(["runs", "create", "--pipeline", PIPELINE_FILE, "--experiment", experiment, "--name", "cli run", "--json"], { home }),
      cli(["runs", "create", "--pipeline", PIPELINE_FILE, "--experiment", experiment, "--json"], { home }),
    ]);
    const run = json(first);
    const long = json(second);
    assert.ok(run.run_id);
    assert.equal(run.display_name, "cli run");
    const terminated = (async () => {
      exits(await cli(["runs", "terminate", long.run_id], { home }), 0);
      return cli(["runs", "wait", long.run_id, "--poll-interval", "100ms", "--timeout", "20s", "--json"], { home });
    })();
    const waited = exits(await cli(["runs", "wait", run.run_id, "--poll-interval", "100ms", "--timeout", "20s", "--json"], { home }), 0);
    assert.equal(waited.stderr, "", "nothing on a pipe while waiting");
    assert.equal(JSON.parse(waited.stdout).state, "SUCCEEDED");
    const [got, table, listed] = await Promise.all([cli(["runs", "get", run.run_id, "--json"], { home }), cli(["runs", "get", run.run_id], { home }), cli(["runs", "list", "--all", "--json"], { home })]);
    assert.equal(json(got).run_id, run.run_id);
    assert.match(exits(table, 0).stdout, /STATE:\s+SUCCEEDED/);
    assert.ok(json(listed).runs.some((r) => r.run_id === run.run_id));

    const ended = await terminated;
    const state = JSON.parse(ended.stdout).state;
    assert.ok(["CANCELED", "SUCCEEDED"].includes(state), `a terminated run ends CANCELED (or had already SUCCEEDED): ${state}`);
    exits(ended, state === "CANCELED" ? 3 : 0);

    exits(await cli(["runs", "archive", run.run_id], { home }), 0);
    assert.equal(json(await cli(["runs", "get", run.run_id, "--json"], { home })).storage_state, "ARCHIVED");
    exits(await cli(["runs", "delete", run.run_id], { home }), 0);
    assert.match(exits(await cli(["runs", "get", run.run_id], { home }), 1).stderr, /KFP_NOT_FOUND/);
  });

  test("runs wait on a terminal: a live line with the state and time", { skip: !HAVE_PTY && "python3 with the pty module is needed" }, async () => {
    const run = json(await cli(["runs", "create", "--pipeline", PIPELINE_FILE, "--experiment", unique("cli-live"), "--json"], { home }));
    const r = await cliOnTerminal(["runs", "wait", run.run_id, "--poll-interval", "100ms", "--timeout", "20s"], { home });
    assert.equal(r.status, 0, r.output);
    assert.match(r.output, /\r\x1b\[2K\S+ run [^\r]* (PENDING|RUNNING|SUCCEEDED|WAITING)\s+\d+s/);
    assert.match(r.output, /Run \S+ .*SUCCEEDED after/);
  });

  test("recurring runs: create, list, get, disable, enable, delete", async () => {
    const experiment = unique("cli-recurring");
    const name = unique("nightly");
    const rr = json(await cli(["recurring-runs", "create", name, "--experiment", experiment, "--pipeline", PIPELINE_FILE, "--interval", "1h", "--param", "message=hi", "--max-concurrency", "1", "--json"], { home }));
    assert.ok(rr.recurring_run_id);
    const id = rr.recurring_run_id;
    assert.ok(json(await cli(["recurring-runs", "list", "--experiment", experiment, "--json"], { home })).recurringRuns.some((r) => r.recurring_run_id === id));
    assert.equal(json(await cli(["recurring-runs", "get", id, "--json"], { home })).display_name, name);
    exits(await cli(["recurring-runs", "disable", id], { home }), 0);
    assert.equal(json(await cli(["recurring-runs", "get", id, "--json"], { home })).status, "DISABLED");
    exits(await cli(["recurring-runs", "enable", id], { home }), 0);
    assert.equal(json(await cli(["recurring-runs", "get", id, "--json"], { home })).status, "ENABLED");
    exits(await cli(["recurring-runs", "delete", id], { home }), 0);
    exits(await cli(["recurring-runs", "get", id], { home }), 1);
  });
});

// ------------------------------------------------------------------ cookies the server refreshed

test("cookies the server refreshed during a command are saved", async () => {
  await withSandbox({ profile: "deploykf-0.1.5", refreshSeconds: 1, users: usersWithSecretPasswords("deploykf-0.1.5") }, async (sb) => {
    const user = sb.users.find((u) => u.username === "user1@example.com");
    const home = newHome("refresh");
    exits(await cli(["login", "--api-url", sb.apiUrl, "--username", user.username, "-n", "team-1"], { home, env: { KFP_PASSWORD: user.password } }), 0);
    const before = readSessions(home).data.contexts[new URL(sb.apiUrl).host].session.cookies.map((c) => c.value);
    await sleep(2100); // oauth2-proxy refreshes once `now - ts > cookie_refresh` in whole seconds
    exits(await cli(["experiments", "list"], { home }), 0);
    const after = readSessions(home).data.contexts[new URL(sb.apiUrl).host].session.cookies.map((c) => c.value);
    assert.notDeepEqual(after, before, "the refreshed cookie was stored");
    exits(await cli(["experiments", "list"], { home }), 0); // the old cookie would be refused now
    assert.equal(sb.stats.passwordPosts, 1, "no new login");
    collectLoginParams(sb);
  });
});

// ------------------------------------------------------------------ TLS

test("https with --ca-cert: the TLS choice is stored with the session; --verbose works through it", async () => {
  await withSandbox({ profile: "kubeflow-1.9.1", https: true, users: usersWithSecretPasswords("kubeflow-1.9.1") }, async (sb) => {
    const user = sb.users[0];
    const home = newHome("tls");
    const ca = join(home, "ca.pem");
    writeFileSync(ca, sb.caCertPem);
    const untrusted = exits(await cli(["login", "--api-url", sb.apiUrl, "--username", user.username], { home, env: { KFP_PASSWORD: user.password } }), 1);
    assert.match(untrusted.stderr, /^kfp-wasm: KFP_(TLS|NETWORK)_ERROR: /);
    exits(await cli(["login", "--api-url", sb.apiUrl, "--username", user.username, "--ca-cert", ca, "-n", user.namespace, "--verbose"], { home, env: { KFP_PASSWORD: user.password } }), 0);
    const { data } = readSessions(home);
    assert.match(data.contexts[new URL(sb.apiUrl).host].caCert, /BEGIN CERTIFICATE/);
    const list = exits(await cli(["experiments", "list", "--json", "--verbose"], { home }), 0);
    assert.ok(JSON.parse(list.stdout).experiments.length >= 1);
    assert.match(list.stderr, /GET https:\/\/\S+\/apis\/v2beta1\/experiments\S* → 200 \(\d+ ms\)/);
    collectLoginParams(sb);
  });
});

// ------------------------------------------------------------------ no stored session: --api-url

describe("--api-url without a stored session", () => {
  test("no-auth: --api-url (or KFP_API_URL), nothing stored", async () => {
    await withSandbox({ profile: "no-auth" }, async (sb) => {
      const home = newHome("no-auth");
      assert.ok(json(await cli(["experiments", "list", "--api-url", sb.apiUrl, "--json"], { home })).experiments.length >= 1);
      assert.ok(json(await cli(["experiments", "list", "--auth", "none", "--json"], { home, env: { KFP_API_URL: sb.apiUrl } })).experiments.length >= 1);
      assert.ok(!existsSync(sessionFile(home)), "no session file");
    });
  });

  test("service-account token: --auth service-account-token --token-path, and login --auth service-account-token / bearer", async () => {
    await withSandbox({ profile: "service-account" }, async (sb) => {
      const home = newHome("sa");
      const token = secret(sb.issueToken("system:serviceaccount:kubeflow-user-example-com:default-editor"));
      const tokenPath = join(home, "token");
      writeFileSync(tokenPath, token + "\n", { mode: 0o600 });
      const list = json(await cli(["experiments", "list", "--api-url", sb.apiUrl, "--auth", "service-account-token", "--token-path", tokenPath, "-n", "kubeflow-user-example-com", "--json"], { home }));
      assert.ok(list.experiments.length >= 1);
      assert.ok(!existsSync(sessionFile(home)), "no session file");
      assert.equal(exits(await cli(["experiments", "list", "--api-url", sb.apiUrl, "-n", "kubeflow-user-example-com"], { home }), 1).status, 1, "without the token the API refuses");

      exits(await cli(["login", "--api-url", sb.apiUrl, "--auth", "service-account-token", "--token-path", tokenPath, "--namespace", "kubeflow-user-example-com"], { home }), 0);
      const { text } = readSessions(home);
      assert.ok(!text.includes(token), "a service-account context stores the token's path, not the token");
      assert.ok(json(await cli(["experiments", "list", "--json"], { home, env: { KFP_NAMESPACE: "kubeflow-user-example-com" } })).experiments.length >= 1);

      const bearerHome = newHome("bearer");
      exits(await cli(["login", "--api-url", sb.apiUrl, "--auth", "bearer", "-n", "kubeflow-user-example-com"], { home: bearerHome, env: { KFP_TOKEN: token } }), 0);
      assert.ok(json(await cli(["experiments", "list", "--json"], { home: bearerHome })).experiments.length >= 1);
      assert.equal(statSync(sessionFile(bearerHome)).mode & 0o777, 0o600);
    });
  });
});

// ------------------------------------------------------------------ the installed package

test("the installed package links the kfp-wasm command (npx kfp-wasm)", { skip: !process.env.KFP_WASM_CONSUMERS && "runs against the packed package (npm test)" }, async () => {
  const dir = consumerDir("consumer");
  const bin = join(dir, "node_modules", ".bin", "kfp-wasm");
  assert.ok(existsSync(bin), "node_modules/.bin/kfp-wasm exists");
  const r = spawnSync(bin, ["--version"], { cwd: dir, encoding: "utf8", env: cliEnv(newHome("npx"), {}) });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), `kfp-wasm ${VERSION}`);
});

// ------------------------------------------------------------------ the secret scan

test("secret scan: no password, cookie value or token in anything printed; no password in a session file", () => {
  for (const home of HOMES) {
    if (!existsSync(sessionFile(home))) continue;
    readSessions(home); // adds the stored cookie values to the secrets
  }
  assert.ok(SECRETS.size >= 5, `the scan has secrets to look for (${SECRETS.size})`);
  assert.ok(PRINTED.length >= 50, `the scan has output to look at (${PRINTED.length})`);
  const passwords = [...SECRETS].filter((s) => /^(Pa55|Arg-Pa55)-/.test(s));
  for (const { label, text, mayShowCookies } of PRINTED) {
    for (const s of mayShowCookies ? passwords : SECRETS) {
      assert.ok(!text.includes(s), `${label} printed a secret (${s.slice(0, 4)}…)`);
    }
  }
  for (const home of HOMES) {
    if (!existsSync(sessionFile(home))) continue;
    const text = readFileSync(sessionFile(home), "utf8");
    for (const p of passwords) assert.ok(!text.includes(p), `a password is in ${sessionFile(home)}`);
  }
});
