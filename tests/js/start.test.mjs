// `npm start`'s main job: the sandbox plus the demo, which logs in through Dex and prints the
// experiments of the user's namespace.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

const root = join(import.meta.dirname, "..", "..");

function start(args) {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [join(root, "scripts", "start.mjs"), "--once", ...args], { cwd: root, timeout: 60_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
    );
  });
}

for (const args of [[], ["--profile", "kubeflow-1.9.0", "--http"]]) {
  test(`npm start ${args.join(" ")}: logs in and prints the user's experiments`, async () => {
    const out = await start(args);
    assert.match(out, /Logged in to https?:\/\/127\.0\.0\.1:\d+\/pipeline as \S+@example\.com/);
    const count = Number(out.match(/Experiments in namespace "[^"]+": (\d+)/)?.[1]);
    assert.ok(count >= 1, out);
    assert.match(out, /Default/);
  });
}
