#!/usr/bin/env node
// Start one sandbox from the command line (see sandbox/index.mjs).
//   node sandbox/cli.mjs --profile deploykf-0.1.5 [--https] [--host 127.0.0.1] [--port 8080]
//                        [--public-host localhost:8080] [--session-ttl 3600] [--refresh 3600] [--csrf-ttl 900]
//                        [--pending-ms 150] [--running-ms 600] [--cancel-ms 100]   (KFP run lifecycle)
//   node sandbox/cli.mjs --list
import { parseArgs } from "node:util";
import { PROFILE_DEFS, PROFILES, startSandbox } from "./index.mjs";

const { values } = parseArgs({
  options: {
    profile: { type: "string" },
    https: { type: "boolean", default: false },
    host: { type: "string" },
    port: { type: "string" },
    "public-host": { type: "string" },
    "session-ttl": { type: "string" },
    refresh: { type: "string" },
    "csrf-ttl": { type: "string" },
    "pending-ms": { type: "string" },
    "running-ms": { type: "string" },
    "cancel-ms": { type: "string" },
    list: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.list) {
  for (const id of PROFILES) console.log(`${id.padEnd(24)} ${PROFILE_DEFS[id].description}`);
  process.exit(0);
}
if (values.help || !values.profile) {
  console.log("usage: node sandbox/cli.mjs --profile <id> [--https] [--host H] [--port N] [--public-host host:port] [--session-ttl S] [--refresh S] [--csrf-ttl S] [--pending-ms N] [--running-ms N] [--cancel-ms N]\n       node sandbox/cli.mjs --list");
  process.exit(values.help ? 0 : 2);
}

const num = (v) => (v === undefined ? undefined : Number(v));
const sb = await startSandbox({
  profile: values.profile,
  https: values.https,
  host: values.host,
  port: num(values.port),
  publicHost: values["public-host"],
  sessionTtlSeconds: num(values["session-ttl"]),
  refreshSeconds: num(values.refresh),
  csrfTtlSeconds: num(values["csrf-ttl"]),
  kfp: { pendingMs: num(values["pending-ms"]), runningMs: num(values["running-ms"]), cancelMs: num(values["cancel-ms"]) },
});

console.log(`profile:  ${sb.profile} — ${sb.description}`);
console.log(`origin:   ${sb.origin}`);
console.log(`apiUrl:   ${sb.apiUrl}`);
if (sb.https) console.log(`CA cert:  sandbox/certs/ca.pem`);
if (sb.users.length) {
  console.log("users:");
  for (const u of sb.users) {
    const ns = Object.entries(u.namespaces).map(([n, a]) => `${n}:${a}`).join(", ");
    console.log(`  ${u.username} / ${u.password ?? "(token: see issueToken)"}  [connector ${u.connector ?? "-"}; ${ns}]`);
  }
}
if (sb.profile === "service-account") {
  const token = sb.issueToken(sb.users[0].username, { namespace: sb.users[0].namespace });
  console.log(`bearer token: ${token}`);
}
console.log("Ctrl-C to stop.");

let closing = false;
for (const sig of ["SIGINT", "SIGTERM"]) {
  process.on(sig, async () => {
    if (closing) return;
    closing = true;
    await sb.close();
    process.exit(0);
  });
}
