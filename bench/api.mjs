#!/usr/bin/env node
// `npm run bench`: what the client costs, measured in one run against the sandbox (a benchmark,
// not a test: it asserts nothing about the figures, it prints them).
//
// 1. API workloads on the `no-auth` profile (http, 127.0.0.1) seeded with 10,000 finished runs:
//    - paging: every run, page_size 200 (50 requests), and
//    - getRun: 1,000 sequential `GET /apis/v2beta1/runs/{id}`,
//    each made with plain `fetch` + `JSON.parse` (`r.json()`), with kfp-wasm (`iterRuns`, `getRun`;
//    as variants a `listRuns()` loop without the async iterator, and `request()` without the typed
//    wrappers), and with the Python `kfp.Client`
//    2.17.3 (installed into bench/.venv on the first run; a failure there is reported, and the
//    JS figures are still printed).
//    CPU time is `process.cpuUsage()` (user + system) of this process, wall time
//    `performance.now()`; Python measures itself with `time.process_time()` / `perf_counter()`.
//    The sandbox runs in a child process (bench/serve.mjs), so its CPU time is not counted.
//    Each figure is the median of --rounds measured rounds after one warm-up round; in a round
//    the implementations take turns in a rotating order (getRun: in turns of 100 calls), and the
//    heap is collected before each measurement. The kfp-wasm / fetch ratios are the median of the
//    per-round ratios.
//    Then the same calls over an in-memory `fetch` (no sockets): the client's own CPU per call.
// 2. Login per deployment shape and the cost of one API call through kfp-wasm against plain
//    fetch with the same session cookie (what bench/overhead.mjs printed).
//
//   node bench/api.mjs [--rounds 11] [--py-rounds 3] [--runs 10000] [--gets 1000] [--page-size 200]
//                      [--login-rounds 200] [--keep-alive-ms 60000] [--no-python] [--no-login] [--no-api] [--json out.json]
//
// --keep-alive-ms is the sandbox server's keepAliveTimeout (see bench/serve.mjs): with the sandbox's
// own 1000 ms, Node's fetch opens a new connection for every request.
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import v8 from "node:v8";
import vm from "node:vm";
import { createKfpClient } from "../js/index.mjs";

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const SERVE = path.join(BENCH_DIR, "serve.mjs");
const PY_SCRIPT = path.join(BENCH_DIR, "kfp_client_bench.py");
const VENV = path.join(BENCH_DIR, ".venv");
const KFP_VERSION = "2.17.3";

const { values: opt } = parseArgs({
  options: {
    rounds: { type: "string", default: "11" },
    "py-rounds": { type: "string", default: "3" },
    runs: { type: "string", default: "10000" },
    gets: { type: "string", default: "1000" },
    "page-size": { type: "string", default: "200" },
    "login-rounds": { type: "string", default: "200" },
    "keep-alive-ms": { type: "string", default: "60000" },
    "no-python": { type: "boolean", default: false },
    "no-login": { type: "boolean", default: false },
    "no-api": { type: "boolean", default: false },
    json: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (opt.help) {
  console.log("usage: node bench/api.mjs [--rounds 11] [--py-rounds 3] [--runs 10000] [--gets 1000] [--page-size 200] [--login-rounds 200] [--keep-alive-ms 60000] [--no-python] [--no-login] [--no-api] [--json out.json]");
  process.exit(0);
}
const ROUNDS = Number(opt.rounds);
const PY_ROUNDS = Number(opt["py-rounds"]);
const RUNS = Number(opt.runs);
const GETS = Number(opt.gets);
const PAGE_SIZE = Number(opt["page-size"]);
const LOGIN_ROUNDS = Number(opt["login-rounds"]);
const KEEP_ALIVE = ["--keep-alive-ms", String(Number(opt["keep-alive-ms"]))];

// A full collection before each measurement, so that one does not pay for the garbage of another.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc");

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const f0 = (x) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(0));
const f1 = (x) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(1));
const f2 = (x) => (x === undefined || Number.isNaN(x) ? "–" : x.toFixed(2));
const ratio = (a, b) => (a === undefined || b === undefined ? undefined : a / b);
/** The median of the per-round ratios a[i] / b[i] (the implementations of one round ran back to back). */
const paired = (a, b, key) => (a && b ? median(a.samples.map((s, i) => s[key] / b.samples[i][key])) : undefined);
const log = (...a) => console.error(...a);

/** CPU (user + system) and wall time of `fn`, in ms. */
async function measure(fn) {
  gc();
  const c = process.cpuUsage();
  const t = performance.now();
  const n = await fn();
  const wall = performance.now() - t;
  const d = process.cpuUsage(c);
  return { cpu: (d.user + d.system) / 1000, wall, n };
}

// ------------------------------------------------------------------------------------------------
// The sandbox, in a child process
// ------------------------------------------------------------------------------------------------

const children = new Set();
process.on("exit", () => {
  for (const c of children) c.kill();
});

async function startServer(args) {
  const child = spawn(process.execPath, [SERVE, ...args], { stdio: ["pipe", "pipe", "inherit"] });
  children.add(child);
  child.on("exit", () => children.delete(child));
  const lines = readline.createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`bench/serve.mjs ${args.join(" ")} exited with ${code}`);
  });
  exited.catch(() => {});
  const next = async () => {
    const r = await Promise.race([lines.next(), exited]);
    if (r.done) throw new Error("bench/serve.mjs closed its output");
    return JSON.parse(r.value);
  };
  const info = await next();
  return {
    info,
    async cmd(c) {
      child.stdin.write(c + "\n");
      return next();
    },
    async close() {
      if (child.exitCode !== null) return;
      const done = once(child, "exit");
      child.stdin.end();
      await done;
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Python: bench/.venv with kfp==2.17.3
// ------------------------------------------------------------------------------------------------

function venvPython() {
  return process.platform === "win32" ? path.join(VENV, "Scripts", "python.exe") : path.join(VENV, "bin", "python");
}

function run(cmd, args, timeoutMs) {
  const r = spawnSync(cmd, args, { encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 << 20 });
  const why = r.error ? r.error.message : r.status !== 0 ? `exit ${r.status ?? r.signal}: ${(r.stderr || r.stdout || "").trim().split("\n").slice(-3).join(" / ")}` : null;
  return { ok: !why, why, stdout: r.stdout ?? "" };
}

/** @returns {{python: string} | {error: string}} */
function setupPython() {
  const py = venvPython();
  const check = () => fs.existsSync(py) && run(py, ["-c", "import kfp; print(kfp.__version__)"], 60_000).stdout.trim() === KFP_VERSION;
  if (check()) return { python: py };
  if (!fs.existsSync(py)) {
    const base = ["python3", "python"].find((p) => run(p, ["--version"], 10_000).ok);
    if (!base) return { error: "no python3 / python on PATH" };
    log(`creating ${path.relative(process.cwd(), VENV)} (${base} -m venv)…`);
    const v = run(base, ["-m", "venv", VENV], 120_000);
    if (!v.ok) return { error: `python -m venv failed: ${v.why}` };
  }
  log(`pip install kfp==${KFP_VERSION} into ${path.relative(process.cwd(), VENV)} (about a minute, once)…`);
  const p = run(py, ["-m", "pip", "install", "--disable-pip-version-check", "-q", `kfp==${KFP_VERSION}`], 300_000);
  if (!p.ok) return { error: `pip install kfp==${KFP_VERSION} failed: ${p.why}` };
  if (!check()) return { error: `kfp ${KFP_VERSION} is not importable from ${py} after pip install` };
  return { python: py };
}

async function runPython(python, apiUrl, ids) {
  const idsFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kfp-bench-")), "ids.json");
  fs.writeFileSync(idsFile, JSON.stringify(ids));
  try {
    const child = spawn(python, [PY_SCRIPT, "--host", apiUrl, "--ids-file", idsFile, "--page-size", String(PAGE_SIZE), "--rounds", String(PY_ROUNDS)], { stdio: ["ignore", "pipe", "pipe"] });
    children.add(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => {
      err += d;
      process.stderr.write(d);
    });
    const timer = setTimeout(() => child.kill(), 240_000);
    const [code, signal] = await once(child, "exit");
    clearTimeout(timer);
    children.delete(child);
    if (code !== 0) return { error: `kfp_client_bench.py: exit ${code ?? signal}: ${err.trim().split("\n").slice(-3).join(" / ")}` };
    const res = JSON.parse(out.trim().split("\n").pop());
    return { kfp: res.kfp, page: summarize(res.page.map((x) => ({ cpu: x.cpu_ms, wall: x.wall_ms, n: x.n }))), get: summarize(res.get.map((x) => ({ cpu: x.cpu_ms, wall: x.wall_ms, n: x.n }))) };
  } catch (e) {
    return { error: `kfp_client_bench.py: ${e.message}` };
  } finally {
    fs.rmSync(path.dirname(idsFile), { recursive: true, force: true });
  }
}

function summarize(samples) {
  return { cpu: median(samples.map((s) => s.cpu)), wall: median(samples.map((s) => s.wall)), n: samples[0]?.n, samples };
}

// ------------------------------------------------------------------------------------------------
// 1. paging and getRun
// ------------------------------------------------------------------------------------------------

async function apiSection(python) {
  log(`starting the no-auth sandbox with ${RUNS} runs…`);
  const server = await startServer(["--profile", "no-auth", "--runs", String(RUNS), "--ids", String(GETS), ...KEEP_ALIVE]);
  try {
    const url = server.info.apiUrl;
    const ids = server.info.runIds;
    const kfp = await createKfpClient({ apiUrl: url });

    const impls = {
      fetch: {
        page: async () => {
          let n = 0;
          let token = "";
          do {
            const r = await fetch(`${url}/apis/v2beta1/runs?page_size=${PAGE_SIZE}${token ? `&page_token=${encodeURIComponent(token)}` : ""}`);
            if (!r.ok) throw new Error(`plain fetch: ${r.status}`);
            const body = await r.json();
            for (const run of body.runs ?? []) if (run.run_id) n++;
            token = body.next_page_token;
          } while (token);
          return n;
        },
        get: async (some) => {
          let n = 0;
          for (const id of some) {
            const r = await fetch(`${url}/apis/v2beta1/runs/${id}`);
            if (!r.ok) throw new Error(`plain fetch: ${r.status}`);
            if ((await r.json()).run_id === id) n++;
          }
          return n;
        },
      },
      "kfp-wasm": {
        page: async () => {
          let n = 0;
          for await (const run of kfp.iterRuns({ pageSize: PAGE_SIZE })) if (run.run_id) n++;
          return n;
        },
        get: async (some) => {
          let n = 0;
          for (const id of some) if ((await kfp.getRun(id)).run_id === id) n++;
          return n;
        },
      },
      "kfp-wasm listRuns()": {
        // the same pages without the async iterator
        page: async () => {
          let n = 0;
          let pageToken;
          do {
            const page = await kfp.listRuns({ pageSize: PAGE_SIZE, pageToken });
            for (const run of page.runs ?? []) if (run.run_id) n++;
            pageToken = page.next_page_token;
          } while (pageToken);
          return n;
        },
      },
      "kfp-wasm request()": {
        page: async () => {
          let n = 0;
          let token = "";
          do {
            const body = await kfp.request("GET", "/apis/v2beta1/runs", { query: token ? { page_size: PAGE_SIZE, page_token: token } : { page_size: PAGE_SIZE } });
            for (const run of body.runs ?? []) if (run.run_id) n++;
            token = body.next_page_token;
          } while (token);
          return n;
        },
        get: async (some) => {
          let n = 0;
          for (const id of some) if ((await kfp.request("GET", `/apis/v2beta1/runs/${id}`)).run_id === id) n++;
          return n;
        },
      },
    };
    const names = Object.keys(impls);
    const expected = { page: RUNS, get: ids.length };
    const samples = {};
    for (const name of names) samples[name] = { page: [], get: [] };

    // getRun goes in chunks of 100 calls, the implementations taking turns chunk by chunk, so
    // that they see the same machine state (other processes on a shared machine) at a finer grain.
    const CHUNK = 100;
    const chunks = [];
    for (let i = 0; i < ids.length; i += CHUNK) chunks.push(ids.slice(i, i + CHUNK));
    for (let round = 0; round <= ROUNDS; round++) {
      const order = names.map((_, i) => names[(i + round) % names.length]).filter((name) => impls[name].page);
      for (const name of order) {
        const m = await measure(impls[name].page);
        if (m.n !== expected.page) throw new Error(`${name} paging: got ${m.n} runs, expected ${expected.page}`);
        if (round > 0) samples[name].page.push(m);
      }
      const getters = order.filter((name) => impls[name].get);
      const sums = Object.fromEntries(getters.map((name) => [name, { cpu: 0, wall: 0, n: 0 }]));
      for (const [c, some] of chunks.entries()) {
        for (let i = 0; i < getters.length; i++) {
          const name = getters[(i + c) % getters.length];
          const m = await measure(() => impls[name].get(some));
          sums[name].cpu += m.cpu;
          sums[name].wall += m.wall;
          sums[name].n += m.n;
        }
      }
      for (const name of getters) {
        if (sums[name].n !== expected.get) throw new Error(`${name} getRun: got ${sums[name].n} runs, expected ${expected.get}`);
        if (round > 0) samples[name].get.push(sums[name]);
      }
      log(round === 0 ? "warm-up round done" : `round ${round}/${ROUNDS} done`);
    }
    const results = {};
    for (const name of names) results[name] = { page: summarize(samples[name].page), get: samples[name].get.length ? summarize(samples[name].get) : undefined };

    let py;
    if (python.python) {
      log(`Python kfp.Client: 1 light warm-up + ${PY_ROUNDS} rounds…`);
      py = await runPython(python.python, url, ids);
    } else py = python;
    if (py.error) log(`Python kfp.Client skipped: ${py.error}`);
    else results["Python kfp.Client"] = { page: py.page, get: py.get };
    // for the in-memory section: one answer of each kind, as the server sent them
    const bodies = {
      get: new Uint8Array(await (await fetch(`${url}/apis/v2beta1/runs/${ids[0]}`)).arrayBuffer()),
      page: new Uint8Array(await (await fetch(`${url}/apis/v2beta1/runs?page_size=${PAGE_SIZE}`)).arrayBuffer()),
    };
    return { results, pythonError: py.error, kfpPython: py.kfp, bodies };
  } finally {
    await server.close();
  }
}

function printApi({ results, pythonError, kfpPython }) {
  const titles = {
    page: `paging through ${RUNS.toLocaleString("en")} runs (page_size ${PAGE_SIZE}, ${Math.ceil(RUNS / PAGE_SIZE)} requests)`,
    get: `${GETS.toLocaleString("en")} sequential getRun calls`,
  };
  const labels = { fetch: "plain fetch + JSON.parse", "kfp-wasm": "kfp-wasm (iterRuns / getRun)", "kfp-wasm listRuns()": "kfp-wasm listRuns() loop", "kfp-wasm request()": "kfp-wasm request()", "Python kfp.Client": `Python kfp.Client ${kfpPython ?? ""}`.trim() };
  console.log(`\n## API calls: CPU time of the client process (median of ${ROUNDS}${results["Python kfp.Client"] ? `; Python ${PY_ROUNDS}` : ""}), sandbox in another process\n`);
  const wasmFile = fileURLToPath(new URL("../pkg/kfp_wasm_bg.wasm", import.meta.url));
  const built = fs.existsSync(wasmFile) ? fs.statSync(wasmFile).mtime.toISOString().replace(/\.\d+Z$/, "Z") : "?";
  console.log(`Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}, load average ${os.loadavg().map(f2).join(" ")}; pkg/kfp_wasm_bg.wasm of ${built}; server keepAliveTimeout ${KEEP_ALIVE[1]} ms\n`);
  for (const w of ["page", "get"]) {
    const per = w === "page" ? RUNS : GETS;
    console.log(`### ${titles[w]}\n`);
    console.log(`| client | CPU ms | wall ms | CPU µs per ${w === "page" ? "run" : "call"} | CPU ms of each round |`);
    console.log(`|---|---:|---:|---:|---|`);
    for (const [name, r] of Object.entries(results)) {
      const x = r[w];
      if (!x) continue;
      console.log(`| ${labels[name]} | ${f0(x.cpu)} | ${f0(x.wall)} | ${f1((x.cpu * 1000) / per)} | ${x.samples.map((s) => f0(s.cpu)).join(", ")} |`);
    }
    console.log();
  }
  console.log(`### Ratios: CPU (wall)\n`);
  console.log(`kfp-wasm variants / fetch: the median of the ${ROUNDS} per-round ratios (in each round the variants ran back to back; getRun in turns of 100 calls).`);
  console.log(`Python / kfp-wasm: the ratio of the medians.\n`);
  const py = results["Python kfp.Client"];
  const cell = (x, digits = 2) => (x === undefined ? "–" : `${x.toFixed(digits)}×`);
  console.log(`| workload | kfp-wasm / fetch | listRuns() loop / fetch | request() / fetch | Python / kfp-wasm | target kfp-wasm ≤ 1.10× fetch (CPU) |`);
  console.log(`|---|---:|---:|---:|---:|---|`);
  for (const w of ["page", "get"]) {
    const f = results.fetch[w];
    const o = results["kfp-wasm"][w];
    const l = results["kfp-wasm listRuns()"][w];
    const q = results["kfp-wasm request()"][w];
    const rc = paired(o, f, "cpu");
    const both = (x) => (x ? `${cell(paired(x, f, "cpu"))} (${cell(paired(x, f, "wall"))})` : "–");
    const pyCell = py ? `${cell(ratio(py[w].cpu, o.cpu), 1)} (${cell(ratio(py[w].wall, o.wall), 1)})` : "–";
    console.log(`| ${w === "page" ? "paging" : "getRun"} | ${both(o)} | ${both(l)} | ${both(q)} | ${pyCell} | ${rc <= 1.1 ? "met" : "NOT met"} |`);
  }
  if (pythonError) console.log(`\nPython kfp.Client: not measured (${pythonError}).`);
}

// ------------------------------------------------------------------------------------------------
// 1b. the client's own cost per call: the same calls over an in-memory fetch (no sockets)
// ------------------------------------------------------------------------------------------------

async function inMemorySection(bodies) {
  const headers = { "content-type": "application/json", date: new Date().toUTCString(), connection: "keep-alive", "keep-alive": "timeout=60" };
  const answer = (url) => {
    const body = url.includes("/runs/") ? bodies.get : bodies.page;
    return Promise.resolve(new Response(body, { status: 200, headers: { ...headers, "content-length": String(body.length) } }));
  };
  const kfp = await createKfpClient({ apiUrl: "http://127.0.0.1:9", fetch: answer });
  const N = { get: 2000, page: 200 };
  const impls = {
    fetch: { get: () => answer("/runs/x").then((r) => r.json()), page: () => answer("/runs?").then((r) => r.json()) },
    "kfp-wasm": { get: () => kfp.getRun("x"), page: () => kfp.listRuns({ pageSize: PAGE_SIZE }) },
  };
  const rounds = 7;
  const samples = { fetch: { get: [], page: [] }, "kfp-wasm": { get: [], page: [] } };
  for (let round = 0; round <= rounds; round++) {
    for (const w of ["get", "page"]) {
      const order = round % 2 ? ["kfp-wasm", "fetch"] : ["fetch", "kfp-wasm"];
      for (const name of order) {
        const m = await measure(async () => {
          for (let i = 0; i < N[w]; i++) await impls[name][w]();
          return N[w];
        });
        if (round > 0) samples[name][w].push((m.cpu * 1000) / N[w]);
      }
    }
  }
  const out = {};
  for (const w of ["get", "page"]) {
    const f = median(samples.fetch[w]);
    const o = median(samples["kfp-wasm"][w]);
    out[w] = { fetch: f, ours: o, extra: median(samples["kfp-wasm"][w].map((x, i) => x - samples.fetch[w][i])) };
  }
  return out;
}

function printInMemory(r, bodies) {
  console.log(`\n## The client's own CPU per call, over an in-memory fetch (no sockets; median of 7)\n`);
  console.log(`\`options.fetch\` answers with a new \`Response\` holding the server's bytes; "fetch" is that fetch + \`r.json()\`.\n`);
  console.log(`| call | fetch + r.json() | kfp-wasm | kfp-wasm's extra CPU per call |`);
  console.log(`|---|---:|---:|---:|`);
  console.log(`| getRun (${bodies.get.length} B) | ${f1(r.get.fetch)} µs | ${f1(r.get.ours)} µs | ${f1(r.get.extra)} µs |`);
  console.log(`| listRuns, ${PAGE_SIZE} runs (${(bodies.page.length / 1024).toFixed(0)} KiB) | ${f1(r.page.fetch)} µs | ${f1(r.page.ours)} µs | ${f1(r.page.extra)} µs |`);
}

// ------------------------------------------------------------------------------------------------
// 2. login per profile (formerly bench/overhead.mjs)
// ------------------------------------------------------------------------------------------------

const LOGIN_PROFILES = ["deploykf-0.1.5", "kubeflow-1.9.0", "kubeflow-1.9.1", "kubeflow-1.8", "kubeflow-1.5"];

async function loginSection() {
  const rows = [];
  for (const profile of LOGIN_PROFILES) {
    log(`login: ${profile}…`);
    const server = await startServer(["--profile", profile, ...KEEP_ALIVE]);
    try {
      const { apiUrl, users } = server.info;
      const user = users.find((u) => !("*" in u.namespaces)) ?? users[0];
      const namespace = Object.keys(user.namespaces)[0];
      const options = { apiUrl, namespace, auth: { type: "dex", username: user.username, password: user.password } };
      const logins = [];
      let client;
      for (let i = 0; i < 20; i++) logins.push(await measure(async () => (client = await createKfpClient(options))));
      const hops = (await server.cmd("stats")).requests / 20;
      await client.listExperiments(); // settles the API version
      const cookie = client.getSessionCookies();
      const apiPath = client.apiVersion === "v1beta1"
        ? `/apis/v1beta1/experiments?resource_reference_key.type=NAMESPACE&resource_reference_key.id=${namespace}`
        : `/apis/v2beta1/experiments?namespace=${namespace}`;
      const plain = async () => {
        const r = await fetch(apiUrl + apiPath, { headers: { cookie, accept: "application/json" }, redirect: "manual" });
        const body = await r.json();
        if (!r.ok) throw new Error(`plain fetch: ${r.status}`);
        return body.experiments ?? [];
      };
      const ours = { wall: [], cpu: 0 };
      const theirs = { wall: [], cpu: 0 };
      const once1 = async (acc, fn) => {
        const c = process.cpuUsage();
        const t = performance.now();
        await fn();
        acc.wall.push(performance.now() - t);
        const d = process.cpuUsage(c);
        acc.cpu += (d.user + d.system) / 1000;
      };
      gc();
      for (let i = 0; i < LOGIN_ROUNDS; i++) {
        // alternate, so that both see the same machine state
        await once1(ours, () => client.listExperiments());
        await once1(theirs, plain);
      }
      rows.push({
        profile,
        hops,
        loginWall: median(logins.map((l) => l.wall)),
        loginCpu: median(logins.map((l) => l.cpu)),
        oursWall: median(ours.wall),
        theirsWall: median(theirs.wall),
        oursCpu: ours.cpu / LOGIN_ROUNDS,
        theirsCpu: theirs.cpu / LOGIN_ROUNDS,
      });
    } finally {
      await server.close();
    }
  }
  return rows;
}

function printLogin(rows) {
  console.log(`\n## Login per deployment shape, and one listExperiments call (median of ${LOGIN_ROUNDS}; CPU: mean)\n`);
  console.log(`| profile | login hops | login wall (median of 20) | login CPU | listExperiments kfp-wasm wall / CPU | plain fetch wall / CPU | ratio wall / CPU |`);
  console.log(`|---|---:|---:|---:|---:|---:|---:|`);
  for (const r of rows) {
    console.log(`| ${r.profile} | ${r.hops} | ${f2(r.loginWall)} ms | ${f2(r.loginCpu)} ms | ${f2(r.oursWall)} / ${f2(r.oursCpu)} ms | ${f2(r.theirsWall)} / ${f2(r.theirsCpu)} ms | ${f2(r.oursWall / r.theirsWall)} / ${f2(r.oursCpu / r.theirsCpu)} |`);
  }
}

// ------------------------------------------------------------------------------------------------

const started = performance.now();
let api;
if (!opt["no-api"]) {
  const python = opt["no-python"] ? { error: "--no-python" } : setupPython();
  if (python.error && !opt["no-python"]) log(`Python kfp.Client will be skipped: ${python.error}`);
  api = await apiSection(python);
  printApi(api);
  api.inMemory = await inMemorySection(api.bodies);
  printInMemory(api.inMemory, api.bodies);
  delete api.bodies;
}
let login;
if (!opt["no-login"]) {
  login = await loginSection();
  printLogin(login);
}
console.log(`\n(bench took ${f0((performance.now() - started) / 1000)} s)`);
if (opt.json) {
  fs.writeFileSync(opt.json, JSON.stringify({ node: process.version, cpus: os.cpus().length, loadavg: os.loadavg(), api, login }, null, 2) + "\n");
}
