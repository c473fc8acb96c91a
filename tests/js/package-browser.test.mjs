// The packed package in browsers: `import { createKfpClient } from "kfp-wasm"` and nothing
// else, (1) in a static page that maps "kfp-wasm" to the package's browser entry with an import
// map, and (2) in a page built by Vite from node_modules. Each page is served from 127.0.0.1
// together with a small same-origin KFP API, loaded in headless Chromium (playwright-core,
// /usr/bin/chromium), and lists experiments over two pages with the iterator, builds a Filter,
// and gets a KfpError for a 404: the wasm module really loaded and runs. Without Chromium the
// Vite build output is still checked. scripts/test.mjs installs the tarball into
// `consumer-no-undici` (the tarball alone) and `consumer-vite` (with vite@7).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { after, before, describe, test } from "node:test";

const root = join(import.meta.dirname, "..", "..");
const CHROMIUM = "/usr/bin/chromium";
const haveChromium = existsSync(CHROMIUM);

/** A project with the package installed: the test consumer, or a stand-in made from this checkout. */
function consumer(name) {
  if (process.env.KFP_WASM_CONSUMERS) return join(process.env.KFP_WASM_CONSUMERS, name);
  const dir = join(mkdtempSync(join(tmpdir(), "kfp-wasm-browser-")), name);
  const target = join(dir, "node_modules", "kfp-wasm");
  mkdirSync(target, { recursive: true });
  for (const part of ["js", "pkg", "pkg-web", "package.json"]) cpSync(join(root, part), join(target, part), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, version: "1.0.0" }));
  return dir;
}

// The page's script: only the package's public API, imported by its name.
const PAGE_SCRIPT = `
import { createKfpClient, Filter, KfpError } from "kfp-wasm";
const out = { createKfpClient: typeof createKfpClient };
try {
  const kfp = await createKfpClient({ apiUrl: location.origin + "/pipeline" });
  out.names = [];
  for await (const e of kfp.iterExperiments({ pageSize: 1, filter: Filter.equals("display_name", "x") })) out.names.push(e.display_name);
  try {
    await kfp.getExperiment("missing");
  } catch (err) {
    out.notFound = { code: err.code, status: err.status, isKfpError: err instanceof KfpError };
  }
} catch (err) {
  out.error = String(err?.code ?? "") + " " + String(err?.message ?? err);
}
window.__kfpResult = out;
`;

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".json": "application/json", ".css": "text/css" };

/**
 * Serves `dir` on 127.0.0.1, and under /pipeline/apis/v2beta1 a KFP API with two experiments
 * (one per page at pageSize 1) and a 404 for any other experiment. Records every path asked for.
 */
async function serve(dir) {
  const requested = [];
  const experiments = [{ experiment_id: "e1", display_name: "first" }, { experiment_id: "e2", display_name: "second" }];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    requested.push(url.pathname);
    const json = (status, body) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === "/pipeline/apis/v2beta1/experiments") {
      const at = Number(url.searchParams.get("page_token") || 0);
      const size = Number(url.searchParams.get("page_size") || 10);
      const page = experiments.slice(at, at + size);
      return json(200, { experiments: page, total_size: experiments.length, ...(at + size < experiments.length ? { next_page_token: String(at + size) } : {}) });
    }
    if (url.pathname.startsWith("/pipeline/apis/")) return json(404, { error: "not found", code: 5, message: "not found" });
    const file = normalize(join(dir, decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname)));
    if (!file.startsWith(dir + sep) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    origin: `http://127.0.0.1:${server.address().port}`,
    requested,
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

let browser;
before(async () => {
  if (!haveChromium) return;
  const { chromium } = await import("playwright-core");
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"] });
});
after(async () => {
  await browser?.close();
});

/** Loads `origin/` in Chromium and returns what the page script left in window.__kfpResult. */
async function runPage(origin) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (err) => errors.push(err.message));
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  try {
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.__kfpResult !== undefined, null, { timeout: 20_000 }).catch(() => {});
    const result = await page.evaluate(() => window.__kfpResult);
    assert.ok(result, `the page script did not finish: ${errors.join("; ")}`);
    return { result, errors };
  } finally {
    await page.close();
  }
}

function assertWorked(result) {
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.createKfpClient, "function");
  assert.deepEqual(result.names, ["first", "second"], "the iterator went through both pages");
  assert.deepEqual(result.notFound, { code: "KFP_NOT_FOUND", status: 404, isKfpError: true });
}

describe("browser: import map to the package's browser entry", () => {
  test("a static page with an import map loads the wasm and uses the API", { skip: !haveChromium && `${CHROMIUM} is missing` }, async () => {
    const dir = consumer("consumer-no-undici");
    writeFileSync(
      join(dir, "index.html"),
      `<!doctype html><html><head><meta charset="utf-8"><title>kfp-wasm import map</title>
<script type="importmap">{"imports": {"kfp-wasm": "/node_modules/kfp-wasm/js/browser.mjs"}}</script>
<script type="module">${PAGE_SCRIPT}</script></head><body></body></html>`,
    );
    const site = await serve(dir);
    try {
      const { result } = await runPage(site.origin);
      assertWorked(result);
      assert.ok(site.requested.includes("/node_modules/kfp-wasm/pkg-web/kfp_wasm_bg.wasm"), "the web build's .wasm was fetched");
      assert.ok(!site.requested.some((p) => p.includes("/pkg/")), "nothing of the Node build was fetched");
    } finally {
      await site.close();
    }
  });
});

describe("browser: a Vite build", () => {
  const dir = consumer("consumer-vite");
  const vite = join(dir, "node_modules", "vite", "bin", "vite.js");
  const skip = !existsSync(vite) && "vite is not installed in consumer-vite (scripts/test.mjs installs it)";
  let dist;

  before(async () => {
    if (skip) return;
    writeFileSync(join(dir, "index.html"), `<!doctype html><html><head><meta charset="utf-8"><title>kfp-wasm vite</title></head><body><script type="module" src="/main.js"></script></body></html>`);
    writeFileSync(join(dir, "main.js"), PAGE_SCRIPT);
    await new Promise((resolve, reject) =>
      execFile(process.execPath, [vite, "build", "--logLevel", "warn", "--outDir", "dist", "--emptyOutDir"], { cwd: dir, timeout: 120_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`vite build failed: ${err.message}\n${stdout}\n${stderr}`)) : resolve(),
      ),
    );
    dist = join(dir, "dist");
  });

  test("vite build emits the web build's .wasm as an asset, and no Node code", { skip }, () => {
    const assets = readdirSync(join(dist, "assets"));
    const wasm = assets.filter((f) => f.endsWith(".wasm"));
    assert.equal(wasm.length, 1, `one .wasm asset: ${assets.join(", ")}`);
    const shipped = readFileSync(join(dir, "node_modules", "kfp-wasm", "pkg-web", "kfp_wasm_bg.wasm"));
    assert.ok(readFileSync(join(dist, "assets", wasm[0])).equals(shipped), "the asset is pkg-web/kfp_wasm_bg.wasm");
    const js = assets.filter((f) => f.endsWith(".js")).map((f) => readFileSync(join(dist, "assets", f), "utf8")).join("\n");
    assert.ok(js.includes(wasm[0]), "the bundle refers to the asset");
    assert.ok(!/node:fs|node:https|readFileSync|installHost\(require/.test(js), "no Node-only code in the bundle");
  });

  test("the built page loads in Chromium and uses the API", { skip: skip || (!haveChromium && `${CHROMIUM} is missing`) }, async () => {
    const site = await serve(dist);
    try {
      const { result } = await runPage(site.origin);
      assertWorked(result);
      assert.ok(site.requested.some((p) => p.startsWith("/assets/") && p.endsWith(".wasm")), "the .wasm asset was fetched");
    } finally {
      await site.close();
    }
  });
});

describe("TypeScript: the browser entry's declarations", () => {
  const USE = `import { createKfpClient, Filter, KfpError, type KfpClient, type Run } from "kfp-wasm";
import api, { createKfpClient as fromBrowser } from "kfp-wasm/browser";
export const same: typeof createKfpClient = fromBrowser;
export const sameClass: typeof KfpError = api.KfpError;
export async function failed(k: KfpClient): Promise<Run[]> {
  const out: Run[] = [];
  for await (const r of k.iterRuns({ filter: Filter.equals("state", "FAILED") })) out.push(r);
  return out;
}
`;
  for (const [mode, options] of [
    ["a bundler resolving the browser condition", { module: "esnext", moduleResolution: "bundler", customConditions: ["browser"] }],
    ["Node (nodenext)", { module: "nodenext", moduleResolution: "nodenext" }],
  ]) {
    test(`"kfp-wasm" and "kfp-wasm/browser" type-check the same API, in ${mode}`, async () => {
      const dir = mkdtempSync(join(consumer("consumer-no-undici"), "types-"));
      writeFileSync(join(dir, "use.ts"), USE);
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: "es2022", lib: ["es2022", "dom"], types: [], skipLibCheck: false, ...options }, files: ["use.ts"] }));
      await new Promise((resolve, reject) =>
        execFile(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", dir], { timeout: 60_000 }, (err, stdout) => (err ? reject(new Error(`tsc failed:\n${stdout}`)) : resolve())),
      );
    });
  }
});
