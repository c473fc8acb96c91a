// Starts one sandbox in this process (so that its CPU time is not counted by the benchmark that
// spawns it), optionally seeds finished runs, and prints one JSON line on stdout:
//   {"apiUrl", "origin", "profile", "users", "runIds"?}
// Then it answers line commands on stdin, one JSON line each on stdout:
//   stats  → {"requests": <count of gateway requests>, "logins": …}
//   reset  → {"ok": true}        (sb.resetStats())
//   close  → closes the sandbox and exits (so does end of stdin)
//
//   node bench/serve.mjs --profile no-auth --runs 10000 [--ids 1000] [--keep-alive-ms 60000]
//
// --keep-alive-ms: the HTTP server's keepAliveTimeout. The sandbox sets 1000 ms, and Node's fetch
// (undici) drops a connection whose `Keep-Alive: timeout=` hint is within its 2 s safety margin, so
// with 1000 ms every request opens a new TCP connection (and the benchmark would mostly measure
// connects). Real KFP front ends (the Go API server, Envoy/Istio) keep connections open and send
// no such hint, so the benchmark raises it; pass 1000 to see the sandbox's own behaviour.
import http from "node:http";
import https from "node:https";
import readline from "node:readline";
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    profile: { type: "string", default: "no-auth" },
    runs: { type: "string", default: "0" },
    ids: { type: "string", default: "0" },
    "keep-alive-ms": { type: "string", default: "60000" },
  },
});

// startSandbox does not expose its server: catch it as it is created.
const servers = [];
for (const mod of [http, https]) {
  const create = mod.createServer;
  mod.createServer = (...args) => {
    const server = create.apply(mod, args);
    servers.push(server);
    return server;
  };
}
const { startSandbox } = await import("../sandbox/index.mjs");

const sb = await startSandbox({ profile: values.profile });
for (const server of servers) server.keepAliveTimeout = Number(values["keep-alive-ms"]);
const runs = Number(values.runs);
let runIds;
if (runs > 0) {
  const ids = sb.kfp.seedRuns({ count: runs });
  const n = Math.min(Number(values.ids), ids.length);
  // spread over the whole range, so that getRun does not hit one corner of the store
  runIds = Array.from({ length: n }, (_, i) => ids[Math.floor((i * ids.length) / n)]);
}
const out = (x) => process.stdout.write(JSON.stringify(x) + "\n");
out({ profile: sb.profile, origin: sb.origin, apiUrl: sb.apiUrl, users: sb.users, runIds });

let closing = false;
async function close() {
  if (closing) return;
  closing = true;
  await sb.close();
  process.exit(0);
}
const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
  const cmd = line.trim();
  if (cmd === "stats") out({ requests: sb.stats.requests.length, logins: sb.stats.logins, passwordPosts: sb.stats.passwordPosts, approvalPosts: sb.stats.approvalPosts });
  else if (cmd === "reset") {
    sb.resetStats();
    out({ ok: true });
  } else if (cmd === "close") close();
  else out({ error: `unknown command ${JSON.stringify(cmd)}` });
});
rl.on("close", close);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, close);
