// `npm start`: builds the package if needed, starts the sandbox (deployKF 0.1.5 over https by
// default) and runs the demo, which logs in through Dex as a user would and prints the
// experiments of the user's namespace. The sandbox also serves the browser dashboard (www/) at
// /dashboard/ on the gateway's own origin, as a public page beside the gateway (see
// sandbox/README.md), and prints its URL. The sandbox keeps running until Ctrl-C, so that other
// scripts and the browser can use it; `--once` stops after the demo.
//
//   npm start [-- --profile kubeflow-1.9.1] [-- --http] [-- --port 8443] [-- --once]
import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, statSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PROFILES, startSandbox } from "../sandbox/index.mjs";
import { browserBuildPresent, DASHBOARD_PATH, dashboardStatic } from "../www/serve.mjs";

const root = join(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    profile: { type: "string", default: "deploykf-0.1.5" },
    http: { type: "boolean", default: false },
    port: { type: "string", default: "0" },
    once: { type: "boolean", default: false },
  },
});
if (!PROFILES.includes(values.profile)) {
  console.error(`Unknown profile "${values.profile}". Profiles: ${PROFILES.join(", ")}`);
  process.exit(2);
}

// Build when a wasm (Node's pkg/, the browsers' pkg-web/ for the dashboard) is missing or older
// than the Rust sources.
const wasms = ["pkg", "pkg-web"].map((dir) => join(root, dir, "kfp_wasm_bg.wasm"));
const newest = (dir) => Math.max(...readdirSync(dir, { recursive: true }).map((f) => statSync(join(dir, f)).mtimeMs));
const sources = Math.max(newest(join(root, "src")), statSync(join(root, "Cargo.toml")).mtimeMs);
if (wasms.some((wasm) => !existsSync(wasm) || statSync(wasm).mtimeMs < sources)) {
  const built = spawnSync(process.execPath, [join(root, "scripts", "build.mjs")], { stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const sb = await startSandbox({ profile: values.profile, https: !values.http, port: Number(values.port), static: dashboardStatic() });
const user = sb.users.find((u) => Object.values(u.namespaces ?? {}).includes("edit") && !("*" in (u.namespaces ?? {}))) ?? sb.users[0];
console.log(`Sandbox "${values.profile}" at ${sb.apiUrl}`);
// The page must be opened at this exact origin (127.0.0.1, not localhost): the login and its
// cookies belong to the gateway's host.
const dashboard = `${sb.origin}${DASHBOARD_PATH}`;
console.log(`Dashboard: ${dashboard}${browserBuildPresent() ? "" : " (needs the browser build: npm run build makes pkg-web/)"}`);
if (sb.https) console.log("  (https: the browser must trust sandbox/certs/ca.pem, or start with -- --http)");

const env = { KFP_API_URL: sb.apiUrl };
if (user) {
  Object.assign(env, {
    KFP_USERNAME: user.username,
    KFP_PASSWORD: user.password,
    KFP_CONNECTOR: user.connector ?? "local",
    KFP_NAMESPACE: Object.keys(user.namespaces).find((ns) => ns !== "*"),
  });
}
if (sb.https) {
  const ca = join(mkdtempSync(join(tmpdir(), "kfp-wasm-")), "sandbox-ca.pem");
  writeFileSync(ca, sb.caCertPem);
  env.KFP_CA_CERT_FILE = ca;
}
console.log(`Demo: examples/list-experiments.mjs as ${env.KFP_USERNAME ?? "anonymous"}\n`);
// The sandbox runs in this process, so the demo must run beside it, not block it.
const demo = spawn(process.execPath, [join(root, "examples", "list-experiments.mjs")], { stdio: "inherit", env: { ...process.env, ...env } });
const [status] = await once(demo, "exit");

if (values.once || status !== 0) {
  await sb.close();
  process.exit(status ?? 1);
}
console.log(`\nThe sandbox keeps running at ${sb.apiUrl} (users: ${sb.users.map((u) => `${u.username}/${u.password}`).join(", ")}). Ctrl-C stops it.`);
console.log(`Open the dashboard: ${dashboard}${user?.namespace ? ` (namespace ${env.KFP_NAMESPACE})` : ""}`);
const stop = async () => {
  await sb.close();
  process.exit(0);
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
