// The packed package, installed into an empty project the way a user gets it: ESM import and
// CommonJS require both work, share one module instance, and log in for real.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { consumerDir, runIn, withSandbox } from "./helpers.mjs";

const consumer = consumerDir("consumer");

test("CommonJS require and ESM import expose the same API and the same KfpError", async () => {
  const cjs = await runIn(consumer, ["-e", "const k = require('kfp-wasm'); console.log(Object.keys(k).sort().join(','))"]);
  assert.equal(cjs, "Filter,KfpClient,KfpClientManager,KfpError,createKfpClient");
  const esm = await runIn(consumer, [
    "--input-type=module",
    "-e",
    "import { createKfpClient, KfpError } from 'kfp-wasm'; import { createRequire } from 'node:module'; const k = createRequire(process.cwd() + '/')('kfp-wasm'); console.log(typeof createKfpClient, KfpError === k.KfpError, k.createKfpClient === createKfpClient)",
  ]);
  assert.equal(esm, "function true true");
});

test("the installed package holds the built module and entry points, not the sources", () => {
  const installed = join(consumer, "node_modules", "kfp-wasm");
  assert.ok(existsSync(join(installed, "pkg", "kfp_wasm_bg.wasm")), "Node's build ships");
  assert.ok(existsSync(join(installed, "pkg", "api.cjs")), "with the CommonJS copy of js/api.mjs");
  assert.ok(existsSync(join(installed, "pkg-web", "kfp_wasm_bg.wasm")), "the browsers' build ships");
  assert.ok(existsSync(join(installed, "js", "index.d.ts")), "TypeScript declarations ship");
  for (const absent of ["src", "sandbox", "tests", "Cargo.toml"]) assert.ok(!existsSync(join(installed, absent)), `${absent} is not shipped`);
  assert.deepEqual(readdirSync(join(installed, "js")).sort(), ["api.mjs", "browser.d.mts", "browser.mjs", "index.cjs", "index.d.ts", "index.mjs", "node-host.cjs", "node-https-fetch.cjs"]);
});

test("the exports map: Node gets its build (import and require), browsers and bundlers the web build", async () => {
  const resolve = (conditions, how) =>
    runIn(consumer, [...conditions.flatMap((c) => ["--conditions", c]), "--input-type=module", "-e", how === "import" ? "console.log(import.meta.resolve('kfp-wasm'))" : "import { createRequire } from 'node:module'; console.log(createRequire(process.cwd() + '/').resolve('kfp-wasm'))"]);
  assert.match(await resolve([], "import"), /\/kfp-wasm\/js\/index\.mjs$/);
  assert.match(await resolve([], "require"), /\/kfp-wasm\/js\/index\.cjs$/);
  // A bundler for the browser matches "browser" as well as "node"-less "import": "browser" comes first.
  assert.match(await resolve(["browser"], "import"), /\/kfp-wasm\/js\/browser\.mjs$/);
  assert.match(await resolve(["browser"], "require"), /\/kfp-wasm\/js\/browser\.mjs$/);
  const exportsMap = JSON.parse(readFileSync(join(consumer, "node_modules", "kfp-wasm", "package.json"), "utf8")).exports["."];
  assert.deepEqual(Object.keys(exportsMap).slice(0, 2), ["browser", "node"], "browser is listed before node and import");
});

for (const [kind, args] of [
  ["CommonJS", ["-e", "require('kfp-wasm').createKfpClient(JSON.parse(process.env.OPTS)).then(c => c.listExperiments()).then(r => console.log(r.experiments.length), e => { console.error(e.code, e.message); process.exit(1); })"]],
  ["ESM", ["--input-type=module", "-e", "import { createKfpClient } from 'kfp-wasm'; const c = await createKfpClient(JSON.parse(process.env.OPTS)); console.log((await c.listExperiments()).experiments.length)"]],
]) {
  test(`${kind}: the installed package logs in over https with the sandbox CA and lists experiments`, async () => {
    await withSandbox({ profile: "kubeflow-1.9.1", https: true }, async (sb) => {
      const user = sb.users[0];
      const opts = { apiUrl: sb.apiUrl, caCert: sb.caCertPem, namespace: "kubeflow-user-example-com", auth: { type: "dex", username: user.username, password: user.password } };
      const count = await runIn(consumer, args, { OPTS: JSON.stringify(opts) });
      assert.ok(Number(count) >= 1, count);
      assert.equal(sb.stats.logins, 1);
    });
  });
}
