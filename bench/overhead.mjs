// Measures, on this machine and in one run: the Dex login per deployment shape, and the cost
// of an API call through kfp-wasm against the same call made with plain fetch and the same
// session cookie (the ratio is the library's overhead: wasm, cookie jar, decoding).
//
//   node bench/overhead.mjs [--rounds 200]
import { parseArgs } from "node:util";
import { createKfpClient } from "kfp-wasm";
import { startSandbox } from "../sandbox/index.mjs";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "200" } } });
const rounds = Number(values.rounds);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => `${x.toFixed(2)} ms`;

async function time(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

console.log(`| profile | login hops | login (median of 20) | listExperiments, kfp-wasm | plain fetch | ratio |`);
console.log(`|---|---|---|---|---|---|`);
for (const profile of ["deploykf-0.1.5", "kubeflow-1.9.0", "kubeflow-1.9.1", "kubeflow-1.8", "kubeflow-1.5"]) {
  const sb = await startSandbox({ profile });
  try {
    const user = sb.users.find((u) => !("*" in u.namespaces)) ?? sb.users[0];
    const namespace = Object.keys(user.namespaces)[0];
    const options = { apiUrl: sb.apiUrl, namespace, auth: { type: "dex", username: user.username, password: user.password } };
    const logins = [];
    let client;
    for (let i = 0; i < 20; i++) logins.push(await time(async () => (client = await createKfpClient(options))));
    const hops = sb.stats.requests.length / 20;
    await client.listExperiments(); // settles the API version
    const cookie = client.getSessionCookies();
    const path = client.apiVersion === "v1beta1"
      ? `/apis/v1beta1/experiments?resource_reference_key.type=NAMESPACE&resource_reference_key.id=${namespace}`
      : `/apis/v2beta1/experiments?namespace=${namespace}`;
    const plain = async () => {
      const r = await fetch(sb.apiUrl + path, { headers: { cookie, accept: "application/json" }, redirect: "manual" });
      const body = await r.json();
      if (!r.ok) throw new Error(`plain fetch: ${r.status}`);
      return body.experiments ?? [];
    };
    const ours = [];
    const theirs = [];
    for (let i = 0; i < rounds; i++) {
      // alternate, so that both see the same machine state
      ours.push(await time(() => client.listExperiments()));
      theirs.push(await time(plain));
    }
    const a = median(ours);
    const b = median(theirs);
    console.log(`| ${profile} | ${hops} | ${ms(median(logins))} | ${ms(a)} | ${ms(b)} | ${(a / b).toFixed(2)} |`);
  } finally {
    await sb.close();
  }
}
