#!/usr/bin/env node
// kfp-wasm's command line: `npx kfp-wasm --help`. Built on the package's public API only; see
// docs/cli.md. The library is imported only by commands that need it (help and usage errors do
// not load the wasm module).
import { main } from "./cli/main.mjs";

const verbose = process.argv.includes("--verbose");
const die = (err) => {
  process.stderr.write(`kfp-wasm: ${verbose ? (err?.stack ?? err) : (err?.message ?? err)}\n`);
  process.exit(1);
};
process.on("uncaughtException", die);
process.on("unhandledRejection", die);
// `kfp-wasm runs list | head -1`: the reader went away; that is not an error.
process.stdout.on("error", (err) => (err.code === "EPIPE" ? process.exit(0) : die(err)));
process.on("SIGINT", () => {
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[2K"); // the live line of `runs wait`
  process.exit(130);
});

const status = await main(process.argv.slice(2), { loadLibrary: () => import("../js/index.mjs") });
// Exit once stdout is flushed: an idle keep-alive socket must not hold the process open.
process.stdout.write("", () => process.exit(status));
