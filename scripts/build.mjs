// Builds the npm package's two wasm modules (`npm run build`, and `prepack`, so `npm pack` and
// `npm publish` always ship fresh ones):
//   pkg/      wasm-pack --target nodejs: Node's build (js/index.cjs, js/index.mjs)
//   pkg-web/  wasm-pack --target web:    the browsers' and bundlers' build (js/browser.mjs)
// Node's build is all CommonJS (snippets converted, pkg/api.cjs made from js/api.mjs), so that
// `require` never goes through Node's ES module loader.
// Both come from the same cargo build (release profile of Cargo.toml: opt-level z, LTO, one
// codegen unit, panic=abort), and each is then run through binaryen's wasm-opt -Oz, which also
// drops the name section. wasm-opt comes from node_modules (the `binaryen` devDependency) or from
// PATH (Debian's `binaryen`); nothing is downloaded, and without one the build fails rather than
// ship an unoptimised module. wasm-pack's extra files are removed. Prints each module's size.
import { execFileSync, spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { BUILDS, esmToCjs, findWasmOpt, kB, root, sizes, WASM_OPT_FLAGS, wasmOptVersion } from "./wasm-tools.mjs";

const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: "inherit" });

const wasmOpt = findWasmOpt();
if (!wasmOpt) {
  console.error(
    "build: no wasm-opt found, and the build does not ship an unoptimised module.\n" +
      "  Run `npm install` (the binaryen devDependency provides node_modules/.bin/wasm-opt),\n" +
      "  or install binaryen so that wasm-opt is on PATH (Debian: apt-get install binaryen).",
  );
  process.exit(1);
}

for (const { dir, target } of BUILDS) {
  // The second run finds cargo's output up to date and only runs wasm-bindgen again.
  run("wasm-pack", ["build", "--target", target, "--release", "--out-dir", dir, "--out-name", "kfp_wasm", "--no-pack"]);
  for (const extra of [".gitignore", "package.json", "README.md", "LICENSE"]) rmSync(join(root, dir, extra), { force: true });
}
// pkg-web holds ES modules (kfp_wasm.js and its snippets) in a package without "type": this
// tells Node-based tools (SSR, test runners) so; browsers and bundlers do not need it.
writeFileSync(join(root, "pkg-web", "package.json"), `${JSON.stringify({ type: "module" })}\n`);

// Node's build loads nothing as an ES module: its snippets become CommonJS, and so does a copy of
// js/api.mjs (the JS half of the API, whose one source the browser entry imports directly).
const toCjs = (from, to) => writeFileSync(to, esmToCjs(readFileSync(from, "utf8"), from));
try {
  for (const entry of readdirSync(join(root, "pkg", "snippets"), { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(".js")) toCjs(join(entry.parentPath ?? entry.path, entry.name), join(entry.parentPath ?? entry.path, entry.name));
  }
  toCjs(join(root, "js", "api.mjs"), join(root, "pkg", "api.cjs"));
} catch (err) {
  console.error(`build: ${err.message}`);
  process.exit(1);
}

// Both modules at once: wasm-opt is single-threaded for most of its run.
console.log(`build: ${wasmOpt} (${wasmOptVersion(wasmOpt)}) ${WASM_OPT_FLAGS.join(" ")}`);
await Promise.all(
  BUILDS.map(({ dir }) => {
    const wasm = join(root, dir, "kfp_wasm_bg.wasm");
    return new Promise((resolve, reject) => {
      const child = spawn(wasmOpt, [wasm, ...WASM_OPT_FLAGS, "-o", wasm], { cwd: root, stdio: "inherit" });
      child.on("error", reject);
      child.on("exit", (code, signal) => (code === 0 ? resolve() : reject(new Error(`wasm-opt on ${dir} failed (${code ?? signal})`))));
    });
  }),
).catch((err) => {
  console.error(`build: ${err.message}`);
  process.exit(1);
});

for (const { dir } of BUILDS) {
  const { raw, gzip } = sizes(join(root, dir, "kfp_wasm_bg.wasm"));
  console.log(`build: ${dir}/kfp_wasm_bg.wasm ${kB(raw)}, ${kB(gzip)} gzipped`);
}
