// A very large valid answer: one list page of `--mb` megabytes (default 200), fetched by
//   - plain `fetch(url).then(r => r.json())`, and
//   - kfp-wasm `listRuns()` (auth none, `maxResponseBytes` raised to fit),
// each in its own fresh Node process (so that one's garbage does not count against the other),
// `--rounds` times (default 3), alternating. Per process it reports the wall time of the call,
// the peak RSS growth over the process's RSS just before the call (`process.resourceUsage()
// .maxRSS`, the kernel's own high-water mark), and for kfp-wasm the size of the WebAssembly
// memory before and after the call (wasm memory can grow but never shrink, so "after" is what
// the call kept). A benchmark, not a test: it prints Markdown; tests/js/faults.test.mjs asserts
// the memory side of it at 48 MB.
//
//   node bench/large-page.mjs [--mb 200] [--rounds 3] [--json]
//   node bench/large-page.mjs --child fetch|kfp --url <url> --mb <n>     (one measurement, JSON)
import { spawn } from "node:child_process";
import http from "node:http";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

// The package measured: KFP_WASM_PACKAGE (an installed copy, as the tests use) or this checkout.
const packageDir = process.env.KFP_WASM_PACKAGE ?? join(import.meta.dirname, "..");

const isMain = process.argv[1] === fileURLToPath(import.meta.url);
const { values } = !isMain ? { values: {} } : parseArgs({
  options: {
    mb: { type: "string", default: "200" },
    rounds: { type: "string", default: "3" },
    json: { type: "boolean" },
    child: { type: "string" },
    url: { type: "string" },
  },
});
const MB = 1e6;

if (values.child) {
  console.log(JSON.stringify(await measureChild(values.child, values.url, Number(values.mb))));
  process.exit(0);
}

/** One measurement in this (fresh) process. */
async function measureChild(mode, url, mb) {
  let call;
  let wasmBytes = () => null;
  if (mode === "kfp") {
    // The package does not export its WebAssembly memory; catch it as the module is instantiated.
    const instances = [];
    const Instance = WebAssembly.Instance;
    WebAssembly.Instance = function (module, imports) {
      const instance = new Instance(module, imports);
      instances.push(instance);
      return instance;
    };
    const { createKfpClient } = await import(pathToFileURL(join(packageDir, "js", "index.mjs")).href);
    WebAssembly.Instance = Instance;
    const memory = instances.map((i) => i.exports.memory).find((m) => m instanceof WebAssembly.Memory);
    if (!memory) throw new Error("large-page: the package's WebAssembly memory was not found");
    wasmBytes = () => memory.buffer.byteLength;
    const kfp = await createKfpClient({ apiUrl: url, auth: { type: "none" }, apiVersion: "v2beta1", maxResponseBytes: Math.ceil(mb * 1.1 * MB) + (1 << 20) });
    await kfp.healthz().catch(() => {}); // warm: the module, the first call
    call = () => kfp.listRuns({ pageSize: 1 });
  } else {
    await fetch(`${url}/apis/v2beta1/healthz`).then((r) => r.json()).catch(() => {});
    call = () => fetch(`${url}/apis/v2beta1/runs?page_size=1`).then((r) => r.json());
  }
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const wasmBefore = wasmBytes();
  const started = performance.now();
  const page = await call();
  const ms = performance.now() - started;
  const runs = page.runs?.length ?? 0;
  const peakRss = process.resourceUsage().maxRSS * 1024;
  return { mode, ms, runs, peakGrowthBytes: peakRss - rssBefore, wasmBefore, wasmAfter: wasmBytes() };
}

/** A list page of about `mb` megabytes: runs of about 1 kB each, as KFP 2.x writes them. */
export function bigPage(mb) {
  const run = (i) => ({
    experiment_id: "4b7c4f2e-0d2b-4c2e-9d8f-0a1b2c3d4e5f",
    run_id: `run-${String(i).padStart(9, "0")}-8a6f-4a7e-b1c2-d3e4f5a6b7c8`,
    display_name: `training run ${i} (nightly sweep, learning rate ${(i % 97) / 1000})`,
    storage_state: "AVAILABLE",
    pipeline_version_reference: { pipeline_id: "pl-0001", pipeline_version_id: `ver-${i % 13}` },
    runtime_config: { parameters: { learning_rate: (i % 97) / 1000, epochs: i % 50, dataset: "gs://bucket/datasets/imagenet-subset/train" } },
    service_account: "pipeline-runner",
    created_at: "2026-11-30T10:00:00Z",
    scheduled_at: "2026-11-30T10:00:00Z",
    finished_at: "2026-11-30T10:42:17Z",
    state: i % 7 ? "SUCCEEDED" : "FAILED",
    state_history: [
      { update_time: "2026-11-30T10:00:01Z", state: "PENDING" },
      { update_time: "2026-11-30T10:00:09Z", state: "RUNNING" },
      { update_time: "2026-11-30T10:42:17Z", state: i % 7 ? "SUCCEEDED" : "FAILED" },
    ],
    run_details: { task_details: [{ run_id: `run-${i}`, task_id: `task-${i}`, display_name: "train", state: "SUCCEEDED" }] },
  });
  const one = JSON.stringify(run(0)).length + 1;
  const n = Math.max(1, Math.round((mb * MB) / one));
  const parts = ['{"runs":['];
  for (let i = 0; i < n; i++) parts.push((i ? "," : "") + JSON.stringify(run(i)));
  parts.push(`],"total_size":${n},"next_page_token":""}`);
  return { body: Buffer.from(parts.join("")), runs: n };
}

/** Serves the page; resolves with the URL and a close function. */
export async function servePage(body) {
  const server = http.createServer((req, res) => {
    if (req.url.startsWith("/apis/v2beta1/healthz")) {
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
      return;
    }
    res.writeHead(200, { "content-type": "application/json", "content-length": body.length });
    res.end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

/** Runs one measurement in a fresh Node process (asynchronously, so this process keeps serving). */
export async function measureInChild(mode, url, mb) {
  const child = spawn(process.execPath, ["--expose-gc", fileURLToPath(import.meta.url), "--child", mode, "--url", url, "--mb", String(mb)], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const code = await new Promise((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`large-page: the ${mode} child exited with ${code}`);
  return JSON.parse(out.trim().split("\n").pop());
}

if (isMain && !values.child) {
  const mb = Number(values.mb);
  const rounds = Number(values.rounds);
  const { body, runs } = bigPage(mb);
  const { url, close } = await servePage(body);
  const results = { fetch: [], kfp: [] };
  for (let r = 0; r < rounds; r++) {
    for (const mode of r % 2 ? ["kfp", "fetch"] : ["fetch", "kfp"]) {
      const m = await measureInChild(mode, url, mb);
      if (m.runs !== runs) throw new Error(`large-page: ${mode} got ${m.runs} runs, expected ${runs}`);
      results[mode].push(m);
    }
  }
  await close();
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const of = (mode, key) => median(results[mode].map((m) => m[key]));
  const row = (mode) => ({ ms: of(mode, "ms"), peakMb: of(mode, "peakGrowthBytes") / MB });
  const f = row("fetch");
  const k = { ...row("kfp"), wasmBeforeMb: of("kfp", "wasmBefore") / MB, wasmAfterMb: of("kfp", "wasmAfter") / MB };
  const summary = { mb: body.length / MB, runs, rounds, fetch: f, kfp: k, timeRatio: k.ms / f.ms, memoryRatio: k.peakMb / f.peakMb };
  if (values.json) {
    console.log(JSON.stringify(summary));
  } else {
    console.log(`## One ${summary.mb.toFixed(0)} MB list page (${runs} runs), fresh process each, median of ${rounds} (Node ${process.version})\n`);
    console.log("| client | time | peak RSS growth | wasm memory before → after |");
    console.log("|---|---:|---:|---:|");
    console.log(`| fetch + res.json() | ${f.ms.toFixed(0)} ms | ${f.peakMb.toFixed(0)} MB | — |`);
    console.log(`| kfp-wasm listRuns() | ${k.ms.toFixed(0)} ms | ${k.peakMb.toFixed(0)} MB | ${k.wasmBeforeMb.toFixed(1)} → ${k.wasmAfterMb.toFixed(1)} MB |`);
    console.log(`| ratio kfp-wasm / fetch | ${summary.timeRatio.toFixed(2)}× | ${summary.memoryRatio.toFixed(2)}× | |`);
  }
}
