// Logs in to a Kubeflow Pipelines deployment through Dex and prints the experiments of a
// namespace. Works against a real deployment and against the sandbox (`npm start` runs it).
//
//   KFP_API_URL=https://deploykf.example.com/pipeline KFP_USERNAME=user1@example.com \
//   KFP_PASSWORD=user1 KFP_NAMESPACE=team-1 [KFP_CONNECTOR=local] [KFP_CA_CERT_FILE=ca.pem] \
//   [KFP_SKIP_TLS_VERIFY=1] node examples/list-experiments.mjs
import { readFileSync } from "node:fs";
import { createKfpClient, KfpError } from "kfp-wasm";

const env = process.env;
const options = {
  apiUrl: env.KFP_API_URL,
  auth: { type: "dex", username: env.KFP_USERNAME, password: env.KFP_PASSWORD, connector: env.KFP_CONNECTOR ?? "local" },
  namespace: env.KFP_NAMESPACE,
  ...(env.KFP_CA_CERT_FILE ? { caCert: readFileSync(env.KFP_CA_CERT_FILE, "utf8") } : {}),
  ...(env.KFP_SKIP_TLS_VERIFY === "1" ? { skipTlsVerify: true } : {}),
};

try {
  const started = performance.now();
  const kfp = await createKfpClient(options);
  const health = await kfp.healthz();
  const { experiments } = await kfp.listExperiments({ sortBy: "created_at desc" });
  const ms = Math.round(performance.now() - started);
  console.log(`Logged in to ${kfp.apiUrl} as ${env.KFP_USERNAME} (KFP ${health.tag_name ?? health.apiServerTagName ?? "?"}, API ${kfp.apiVersion}, ${ms} ms)`);
  console.log(`Experiments in namespace "${env.KFP_NAMESPACE}": ${experiments.length}`);
  for (const e of experiments) {
    const id = e.experiment_id ?? e.id;
    const name = e.display_name ?? e.name;
    console.log(`  ${String(name).padEnd(32)} ${id}  ${e.created_at ?? ""}`);
  }
} catch (err) {
  if (err instanceof KfpError || err instanceof TypeError) {
    console.error(`${err.code}: ${err.message}`);
    process.exit(1);
  }
  throw err;
}
