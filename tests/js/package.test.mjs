// The packed package, installed into an empty project the way a user gets it: ESM import and
// CommonJS require both work, share one module instance, and log in for real.
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
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
  assert.ok(existsSync(join(installed, "pkg", "kfp_wasm_bg.wasm")));
  assert.ok(existsSync(join(installed, "js", "index.d.ts")), "TypeScript declarations ship");
  for (const absent of ["src", "sandbox", "tests", "Cargo.toml"]) assert.ok(!existsSync(join(installed, absent)), `${absent} is not shipped`);
  assert.deepEqual(readdirSync(join(installed, "js")).sort(), ["index.cjs", "index.d.ts", "index.mjs", "node-host.cjs"]);
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
