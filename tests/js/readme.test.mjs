// The README's examples: every JS block parses, and the opening example runs as written
// against the sandbox (only its URL points at the sandbox instead of deploykf.example.com).
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { runIn, withSandbox } from "./helpers.mjs";

const root = join(import.meta.dirname, "..", "..");
const blocks = [...readFileSync(join(root, "README.md"), "utf8").matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

test("every JS example in the README parses as a module", async () => {
  assert.ok(blocks.length >= 2);
  const dir = mkdtempSync(join(tmpdir(), "kfp-wasm-readme-"));
  try {
    for (const [i, code] of blocks.entries()) {
      const file = join(dir, `example-${i}.mjs`);
      // snippets use names a real program would define earlier
      writeFileSync(file, `const apiUrl = "", username = "", password = "", myOidc = {};\n${code}`);
      await runIn(dir, ["--check", file]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the README's first example logs in, runs a pipeline package and waits for it, as written", async () => {
  await withSandbox({ profile: "deploykf-0.1.5", https: true }, async (sb) => {
    const code = blocks[0]
      .replace("https://deploykf.example.com:8443/pipeline", sb.apiUrl)
      .replace('"pipeline.yaml"', JSON.stringify(join(root, "tests", "fixtures", "sum_numbers_pipeline.yaml")));
    const out = await runIn(root, ["--input-type=module", "-e", code]);
    assert.equal(out, "SUCCEEDED");
    assert.equal(sb.stats.logins, 1);
  });
});
