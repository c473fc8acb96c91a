// Builds the npm package's wasm: wasm-pack (target nodejs, release), then binaryen's wasm-opt
// from node_modules (so nothing is downloaded), then removes wasm-pack's extra files.
// Prints the size of the .wasm, raw and gzipped.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const root = join(import.meta.dirname, "..");
const pkg = join(root, "pkg");
const wasm = join(pkg, "kfp_wasm_bg.wasm");
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

run("wasm-pack", ["build", "--target", "nodejs", "--release", "--out-dir", "pkg", "--out-name", "kfp_wasm", "--no-pack"]);

const wasmOpt = join(root, "node_modules", ".bin", "wasm-opt");
if (existsSync(wasmOpt)) {
  // The features rustc enables by default for wasm32-unknown-unknown, all supported by Node 20.
  const features = ["bulk-memory", "nontrapping-float-to-int", "sign-ext", "mutable-globals", "reference-types", "multivalue"];
  run(wasmOpt, [wasm, "-Oz", ...features.map((f) => `--enable-${f}`), "-o", wasm]);
} else {
  console.warn("build: node_modules/.bin/wasm-opt not found (npm install); the .wasm is not size-optimised");
}
for (const extra of [".gitignore", "package.json", "README.md", "LICENSE"]) rmSync(join(pkg, extra), { force: true });

const bytes = readFileSync(wasm);
console.log(`build: pkg/kfp_wasm_bg.wasm ${(bytes.length / 1024).toFixed(0)} KiB, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(0)} KiB gzipped`);
