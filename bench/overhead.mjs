// Folded into bench/api.mjs (its "Login per deployment shape" section); kept so that
// `node bench/overhead.mjs [--rounds 200]` still prints that table alone.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "200" } } });
const api = fileURLToPath(new URL("./api.mjs", import.meta.url));
const r = spawnSync(process.execPath, [api, "--no-api", "--login-rounds", values.rounds], { stdio: "inherit" });
process.exit(r.status ?? 1);
