// `npm run size`: the size of the shipped .wasm modules (pkg/ for Node, pkg-web/ for browsers),
// raw and gzipped (level 9), against the budget; exits 1 when one is over it. Run it after
// `npm run build` (or `npm pack`, whose prepack builds).
//   node scripts/size.mjs [--json] [--dir <installed package>]   measure (default: this checkout)
//   node scripts/size.mjs --names                                 where the bytes go (below)
//
// Where the bytes go: `--names` optimises the last cargo build exactly as the shipped module is
// (wasm-bindgen, then wasm-opt with the same flags) but keeps the function names (wasm-opt -g),
// into target/size/kfp_wasm_bg.wasm, for twiggy (`cargo install twiggy`):
//   npm run build && node scripts/size.mjs --names
//   twiggy top -n 40 target/size/kfp_wasm_bg.wasm          the largest functions and data
//   twiggy monos target/size/kfp_wasm_bg.wasm              generic code stamped out many times
//   twiggy paths target/size/kfp_wasm_bg.wasm 'some::function'   who keeps it alive
// Names are the only difference (the "name" custom section, which twiggy lists and which the
// shipped module does not have).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BUILDS, findWasmOpt, GZIP_BUDGET_KB, kB, root, sizes, WASM_OPT_FLAGS } from "./wasm-tools.mjs";

const { values } = parseArgs({ options: { json: { type: "boolean" }, dir: { type: "string" }, names: { type: "boolean" } } });

if (values.names) {
  const built = join(root, "target", "wasm32-unknown-unknown", "release", "kfp_wasm.wasm");
  if (!existsSync(built)) {
    console.error(`size: ${built} is missing; run npm run build first`);
    process.exit(1);
  }
  const wasmOpt = findWasmOpt();
  if (!wasmOpt) {
    console.error("size: no wasm-opt found (npm install, or Debian's binaryen)");
    process.exit(1);
  }
  const out = join(root, "target", "size");
  mkdirSync(out, { recursive: true });
  execFileSync("wasm-bindgen", ["--target", "web", "--out-dir", out, "--out-name", "kfp_wasm", built], { stdio: "inherit" });
  const wasm = join(out, "kfp_wasm_bg.wasm");
  execFileSync(wasmOpt, [wasm, ...WASM_OPT_FLAGS, "-g", "-o", wasm], { stdio: "inherit" });
  console.log(`size: ${wasm} (names kept); twiggy top -n 40 ${wasm}`);
  process.exit(0);
}

const base = values.dir ?? root;
const report = BUILDS.map(({ dir }) => {
  const file = join(base, dir, "kfp_wasm_bg.wasm");
  if (!existsSync(file)) {
    console.error(`size: ${file} is missing; run npm run build first`);
    process.exit(1);
  }
  return { file: `${dir}/kfp_wasm_bg.wasm`, ...sizes(file) };
});
const over = report.filter((r) => r.gzip > GZIP_BUDGET_KB * 1000);

if (values.json) {
  console.log(JSON.stringify({ budgetKB: GZIP_BUDGET_KB, modules: report }));
} else {
  for (const r of report) console.log(`${r.file}  ${kB(r.raw)}  ${kB(r.gzip)} gzipped  (budget ${GZIP_BUDGET_KB} kB)`);
}
if (over.length) {
  console.error(`size: over the ${GZIP_BUDGET_KB} kB gzip budget: ${over.map((r) => `${r.file} ${kB(r.gzip)}`).join(", ")}`);
  process.exit(1);
}
