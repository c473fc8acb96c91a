// What scripts/build.mjs and scripts/size.mjs share: finding wasm-opt, its flags, and how the
// shipped modules are measured.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { gzipSync } from "node:zlib";

export const root = join(import.meta.dirname, "..");

/** The shipped modules: Node's build (wasm-pack --target nodejs) and the browsers' (--target web). */
export const BUILDS = [
  { dir: "pkg", target: "nodejs" },
  { dir: "pkg-web", target: "web" },
];

/** The budget `npm run size` and the package test hold the gzipped .wasm to, in kB (1000 bytes). */
export const GZIP_BUDGET_KB = 200;

// The features rustc enables by default for wasm32-unknown-unknown (Rust >= 1.82), all supported
// by Node 20 and by the browsers the package targets (Chrome/Edge 91, Firefox 89, Safari 15).
export const WASM_FEATURES = ["bulk-memory", "nontrapping-float-to-int", "sign-ext", "mutable-globals", "reference-types", "multivalue"];
// A function called from one place is inlined only when it is tiny (20 bytes of code, not any
// size): the module is 2 % larger raw (+12 kB) but 4.9 kB smaller gzipped, since separate
// functions repeat more than inlined copies (README "Size").
export const WASM_OPT_FLAGS = ["-Oz", "--one-caller-inline-max-function-size=20", ...WASM_FEATURES.map((f) => `--enable-${f}`)];

/**
 * The wasm-opt to use: binaryen's from node_modules (the `binaryen` devDependency), else one on
 * PATH (Debian's `binaryen` package). Never downloads one; returns null when there is none.
 */
export function findWasmOpt() {
  const local = join(root, "node_modules", ".bin", "wasm-opt");
  if (existsSync(local)) return local;
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, "wasm-opt"))) return join(dir, "wasm-opt");
  }
  return null;
}

export function wasmOptVersion(wasmOpt) {
  try {
    return execFileSync(wasmOpt, ["--version"], { encoding: "utf8" }).trim();
  } catch {
    return "unknown version";
  }
}

/** Raw and gzipped (level 9) size of a file, in bytes. */
export function sizes(file) {
  const bytes = readFileSync(file);
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}

export const kB = (n) => `${(n / 1000).toFixed(1)} kB`;

/**
 * ES module → CommonJS, for the few small modules Node's build loads with `require`: the
 * wasm-bindgen snippets (the Rust side's `inline_js`, which wasm-bindgen writes as ES modules
 * even for `--target nodejs`) and js/api.mjs. Loading them as CommonJS keeps Node's ES module
 * loader out of `require("kfp-wasm")` (about 5 ms of the import) and the package off
 * `require(esm)`. They may only use `export function|async function|class|const|let NAME` at
 * the start of a line, and no `import`; anything else fails the build instead of converting
 * wrongly.
 */
export function esmToCjs(source, name) {
  const names = [];
  const body = source.replace(/^export\s+((?:async\s+)?function\*?|class|const|let)\s+([A-Za-z_$][\w$]*)/gm, (_, kind, id) => {
    names.push(id);
    return `${kind} ${id}`;
  });
  const leftover = body.match(/^\s*(?:export|import)\b.*$/m) ?? body.match(/\bimport\s*(?:\.\s*meta|\()/);
  if (leftover) throw new Error(`${name}: "${leftover[0].trim()}" cannot be converted to CommonJS; keep to \`export function|class|const NAME\` without imports`);
  return `"use strict";\n// Converted from an ES module by scripts/build.mjs (esmToCjs).\n${body}\nmodule.exports = { ${names.join(", ")} };\n`;
}
