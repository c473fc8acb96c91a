// Type tests for js/index.d.ts: `node_modules/.bin/tsc -p tests/types` must pass. Nothing here
// runs; every line is code a user could write, and each `@ts-expect-error` line is a mistake
// the types must reject.

import { createKfpClient, KfpClient, KfpClientManager, KfpError } from "kfp-wasm";
import type {
  BearerAuth,
  CookiesAuth,
  CreateExperimentOptions,
  DexAuth,
  HealthzResponse,
  KfpApiVersion,
  KfpArgumentError,
  KfpAuth,
  KfpAuthType,
  KfpClientOptions,
  KfpErrorCode,
  KfpExperiment,
  KfpFetch,
  KfpFilter,
  ListExperimentsResponse,
  ListParams,
  NoAuth,
  ServiceAccountTokenAuth,
  V1beta1Experiment,
  V2beta1Experiment,
} from "kfp-wasm";
import * as kfpNamespace from "kfp-wasm";

/** Fails to compile unless `T` is exactly `U`. */
type Equals<T, U> = (<G>() => G extends T ? 1 : 2) extends <G>() => G extends U ? 1 : 2 ? true : false;
function assertType<T extends true>(): T | void {}

declare const env: Record<string, string | undefined>;
declare const pem: string;

// --- every auth type -------------------------------------------------------------------------

const dex: DexAuth = { type: "dex", username: "user@example.com", password: "secret" };
const dexLdap: KfpAuth = { type: "dex", username: "jdoe", password: "secret", connector: "ldap" };
const sa: ServiceAccountTokenAuth = { type: "serviceAccountToken" };
const saPath: KfpAuth = { type: "serviceAccountToken", path: "/var/run/secrets/kubeflow/pipelines/token" };
const bearer: BearerAuth = { type: "bearer", token: "eyJhbGciOi..." };
const bearerFn: KfpAuth = { type: "bearer", token: () => "eyJ..." };
const bearerAsync: KfpAuth = { type: "bearer", token: async () => (await Promise.resolve("eyJ...")).trim() };
const cookies: CookiesAuth = { type: "cookies", cookies: "authservice_session=abc; other=1" };
const none: NoAuth = { type: "none" };
const allAuths: KfpAuth[] = [dex, dexLdap, sa, saPath, bearer, bearerFn, bearerAsync, cookies, none];
assertType<Equals<KfpAuthType, "dex" | "serviceAccountToken" | "bearer" | "cookies" | "none">>();

// --- every option ----------------------------------------------------------------------------

const fullOptions: KfpClientOptions = {
  apiUrl: "https://kubeflow.example.com/pipeline",
  auth: dex,
  namespace: "kubeflow-user-example-com",
  skipTlsVerify: false,
  caCert: pem,
  timeoutMs: 30_000,
  headers: { "x-team": "ml" },
  fetch: globalThis.fetch,
  apiVersion: "auto",
};
const minimalOptions: KfpClientOptions = { apiUrl: "http://localhost:8080/pipeline" };

// A custom fetch: a wrapper that logs, and one that adds an option of its own.
const loggingFetch: KfpFetch = async (url, init) => {
  const method: string = init.method;
  const redirect: "manual" = init.redirect;
  const headers: Record<string, string> = init.headers;
  console.log(method, url, redirect, Object.keys(headers), init.body?.byteLength);
  return fetch(url, init);
};
const keepaliveFetch: KfpClientOptions["fetch"] = (url, init) => fetch(url, { ...init, keepalive: true });
const versions: Array<KfpClientOptions["apiVersion"]> = ["auto", "v2beta1", "v1beta1", undefined];

// --- entry points ----------------------------------------------------------------------------

async function entryPoints(): Promise<KfpClient[]> {
  const a = await createKfpClient(fullOptions);
  const b = await createKfpClient({ apiUrl: "https://kf.example.com/pipeline", auth: { type: "bearer", token: () => env.TOKEN ?? "" }, fetch: loggingFetch });
  const c = await createKfpClient({ ...minimalOptions, fetch: keepaliveFetch, apiVersion: "v1beta1" });

  const manager = new KfpClientManager({ apiUrl: "https://kf.example.com/pipeline", auth: cookies });
  const d = await manager.createKfpClient();
  manager.free();

  // The namespace import sees the same declarations.
  const e: KfpClient = await kfpNamespace.createKfpClient({ apiUrl: "http://ml-pipeline-ui.kubeflow", auth: sa });
  for (const auth of allAuths) await createKfpClient({ apiUrl: "https://kf.example.com/pipeline", auth });
  return [a, b, c, d, e];
}

// --- every method and getter -----------------------------------------------------------------

async function methods(kfp: KfpClient): Promise<void> {
  // healthz: the union of both shapes; multi_user is common, and the version is read from either.
  const health: HealthzResponse = await kfp.healthz();
  const multiUser: boolean | undefined = health.multi_user;
  const tag: string | undefined = health.tag_name ?? health.apiServerTagName;
  if (health.apiServerReady !== undefined) {
    const frontend: string | undefined = health.frontendTagName;
    console.log(frontend);
  }
  if (health.pipeline_store === "kubernetes") console.log("fewer filter operations");
  console.log(multiUser, tag);

  // listExperiments with every parameter, an object filter, a v1-style filter and a JSON filter.
  const filter: KfpFilter = {
    predicates: [
      { key: "display_name", operation: "IS_SUBSTRING", string_value: "nightly" },
      { key: "created_at", operation: 3, timestamp_value: "2024-01-01T00:00:00Z" },
      { key: "storage_state", operation: "IN", string_values: { values: ["AVAILABLE"] } },
      { key: "id", op: "NOT_EQUALS", long_value: "9007199254740993" },
      { key: "n", op: 8, int_values: { values: [1, 2] }, long_values: { values: [1, "2"] } },
      { key: "k", operation: "EQUALS", int_value: 1 },
    ],
  };
  const params: ListParams = { namespace: "team-a", pageSize: 50, pageToken: "abc", sortBy: "created_at desc", filter };
  const page: ListExperimentsResponse = await kfp.listExperiments(params);
  await kfp.listExperiments({ filter: JSON.stringify(filter) });
  await kfp.listExperiments({ filter: { predicates: [{ key: "name", op: "EQUALS", string_value: "x" }] } });
  await kfp.listExperiments();
  await kfp.listExperiments({});
  const next: string | undefined = page.next_page_token;
  const total: number | undefined = page.total_size;
  for (const experiment of page.experiments) {
    // Reading either version's fields works on the union...
    const id: string | undefined = experiment.experiment_id ?? experiment.id;
    const name: string | undefined = experiment.display_name ?? experiment.name;
    // ...and checking a field only one version has narrows to that version.
    if (experiment.experiment_id !== undefined) {
      const v2: V2beta1Experiment = experiment;
      console.log(v2.namespace, v2.storage_state === "ARCHIVED", v2.last_run_created_at);
    } else {
      // Still the union (a v2beta1 answer might lack the id), but v1beta1's fields are readable.
      const ns = experiment.resource_references?.find((r) => r.key?.type === "NAMESPACE")?.key?.id;
      console.log(ns, experiment.storage_state === "STORAGESTATE_ARCHIVED");
    }
    const v1Only: V1beta1Experiment[] = page.experiments.filter((e): e is V1beta1Experiment => e.id !== undefined);
    console.log(v1Only);
    console.log(id, name, experiment.created_at, experiment.description);
  }
  console.log(next, total);

  // get / create / delete
  const one: KfpExperiment = await kfp.getExperiment("0a1b2c");
  const createOptions: CreateExperimentOptions = { description: "nightly training", namespace: "team-a" };
  const created: KfpExperiment = await kfp.createExperiment("nightly", createOptions);
  await kfp.createExperiment("plain");
  await kfp.createExperiment("only-description", { description: "d" });
  const deleted: void = await kfp.deleteExperiment(created.experiment_id ?? created.id ?? "");
  console.log(one, deleted);

  // request: typed and untyped, every method, query arrays, a body, lower-case methods.
  const runs = await kfp.request<{ runs?: Array<{ run_id?: string; state?: string }>; next_page_token?: string }>("GET", "/apis/v2beta1/runs", {
    query: { namespace: "team-a", page_size: 10, archived: false, experiment_id: ["a", "b"], page_token: undefined },
  });
  const firstRun: string | undefined = runs.runs?.[0]?.run_id;
  const anything: unknown = await kfp.request("POST", "/apis/v2beta1/runs/abc:terminate");
  await kfp.request("PUT", "/apis/v1beta1/x", { body: { a: 1 } });
  await kfp.request("PATCH", "/apis/v2beta1/pipelines/p", { body: { display_name: "x", tags: { team: "ml" } } });
  await kfp.request("DELETE", "/apis/v2beta1/runs/abc");
  await kfp.request("get", "/apis/v1alpha1/runs/r/nodes/n/log");
  const log = await kfp.request<string>("GET", "/apis/v1alpha1/runs/r/nodes/n/log");
  console.log(firstRun, anything, log.length);

  // session and getters
  const cookieHeader: string | undefined = kfp.getSessionCookies();
  const relogin: void = await kfp.login();
  const ns: string | undefined = kfp.namespace;
  const apiUrl: string = kfp.apiUrl;
  const authType: KfpAuthType = kfp.authType;
  const apiVersion: KfpApiVersion | undefined = kfp.apiVersion;
  const loginCount: number = kfp.loginCount;
  const authenticated: boolean = kfp.authenticated;
  console.log(cookieHeader, relogin, ns, apiUrl, authType, apiVersion, loginCount, authenticated);
  if (kfp.apiVersion === "v1beta1") console.log("a v1-line backend");
  kfp.free();
}

// --- errors ----------------------------------------------------------------------------------

async function errors(): Promise<void> {
  try {
    await createKfpClient({ apiUrl: "https://kf.example.com/pipeline", auth: { type: "dex", username: "u", password: "wrong" } });
  } catch (err) {
    if (err instanceof KfpError && err.code === "KFP_INVALID_CREDENTIALS") {
      const status: number | undefined = err.status;
      const message: string = err.message;
      console.log(status, message);
    } else if (err instanceof KfpError && err.code === "KFP_UNKNOWN_CONNECTOR") {
      const offered: string[] | undefined = err.offeredConnectors;
      console.log(offered?.join(", "));
    } else if (err instanceof KfpError) {
      const code: KfpErrorCode = err.code;
      const grpc: number | undefined = err.grpcCode;
      const cause: unknown = err.cause;
      const name: "KfpError" = err.name;
      const isError: Error = err;
      console.log(code, grpc, cause, name, isError);
    } else if (err instanceof TypeError && "code" in err) {
      const argError = err as KfpArgumentError;
      if (argError.code === "ERR_INVALID_ARG_VALUE") console.log(argError.message);
    } else {
      throw err;
    }
  }
  const codes: KfpErrorCode[] = ["KFP_NOT_FOUND", "KFP_SESSION_EXPIRED", "KFP_MISSING_DEPENDENCY", "KFP_TLS_ERROR"];
  console.log(codes);
}

// --- mistakes the types reject ---------------------------------------------------------------

function mistakes(kfp: KfpClient): void {
  // @ts-expect-error apiUrl is required
  void createKfpClient({ auth: { type: "none" } });
  // @ts-expect-error the options object is required
  void createKfpClient();
  // @ts-expect-error an unknown auth type
  void createKfpClient({ apiUrl: "https://kf/pipeline", auth: { type: "oauth", token: "t" } });
  // @ts-expect-error dex auth without password
  void createKfpClient({ apiUrl: "https://kf/pipeline", auth: { type: "dex", username: "u" } });
  // @ts-expect-error dex auth takes username, not user
  const dexTypo: DexAuth = { type: "dex", user: "u", password: "p" };
  // @ts-expect-error bearer auth without a token
  const noToken: BearerAuth = { type: "bearer" };
  // @ts-expect-error a token function must return a string (or a promise of one)
  const numericToken: BearerAuth = { type: "bearer", token: () => 42 };
  // @ts-expect-error cookies are one string, not an object
  const cookieObject: CookiesAuth = { type: "cookies", cookies: { authservice_session: "x" } };
  // @ts-expect-error apiVersion is "auto", "v2beta1" or "v1beta1"
  const badVersion: KfpClientOptions = { apiUrl: "https://kf/pipeline", apiVersion: "v2" };
  // @ts-expect-error header values are strings
  const badHeaders: KfpClientOptions = { apiUrl: "https://kf/pipeline", headers: { "x-n": 1 } };
  // @ts-expect-error timeoutMs is a number
  const badTimeout: KfpClientOptions = { apiUrl: "https://kf/pipeline", timeoutMs: "30s" };
  // @ts-expect-error KfpClient has no public constructor
  const direct = new KfpClient();
  // @ts-expect-error the manager needs options
  const noOptions = new KfpClientManager();
  console.log(dexTypo, noToken, numericToken, cookieObject, badVersion, badHeaders, badTimeout, direct, noOptions);

  // @ts-expect-error ids are strings
  void kfp.getExperiment(42);
  // @ts-expect-error the id is required
  void kfp.deleteExperiment();
  // @ts-expect-error createExperiment takes the name first, then an options object
  void kfp.createExperiment({ name: "x" });
  // @ts-expect-error createExperiment options have no displayName
  void kfp.createExperiment("x", { displayName: "x" });
  // @ts-expect-error list parameters are camelCase
  void kfp.listExperiments({ page_size: 10 });
  // @ts-expect-error pageSize is a number
  void kfp.listExperiments({ pageSize: "10" });
  // @ts-expect-error a filter predicate needs an operation
  void kfp.listExperiments({ filter: { predicates: [{ key: "display_name", string_value: "x" }] } });
  // @ts-expect-error 4 is not an operation
  void kfp.listExperiments({ filter: { predicates: [{ key: "k", operation: 4, int_value: 1 }] } });
  // @ts-expect-error the path is a string
  void kfp.request("GET", ["apis", "v2beta1", "runs"]);
  // @ts-expect-error query values are strings, numbers, booleans or arrays of them
  void kfp.request("GET", "/apis/v2beta1/runs", { query: { filter: { predicates: [] } } });
  // @ts-expect-error the method comes first
  void kfp.request("/apis/v2beta1/runs");
  // @ts-expect-error getters are read-only
  kfp.namespace = "other";
  // @ts-expect-error not a KFP error code
  const badCode: KfpErrorCode = "ERR_INVALID_ARG_TYPE";
  console.log(badCode);
}

async function listResult(kfp: KfpClient): Promise<void> {
  const page = await kfp.listExperiments();
  // `experiments` is always present.
  const count: number = page.experiments.length;
  // @ts-expect-error an experiment field that neither version has
  console.log(count, page.experiments[0]?.displayName);
  const health = await kfp.healthz();
  // @ts-expect-error healthz has no such field
  console.log(health.version);
}

export { entryPoints, methods, errors, mistakes, listResult };

// Per-call signals and the list iterator.
export async function signalsAndIteration(kfp: KfpClient): Promise<number> {
  const controller = new AbortController();
  await kfp.healthz({ signal: controller.signal });
  await kfp.getExperiment("id", { signal: AbortSignal.timeout(1000) });
  await kfp.deleteExperiment("id", { signal: controller.signal });
  await kfp.request("GET", "/apis/v2beta1/runs", { signal: controller.signal });
  let n = 0;
  for await (const e of kfp.iterateExperiments({ namespace: "team-1", pageSize: 50 })) {
    if ((e.experiment_id ?? e.id) !== undefined) n += 1;
  }
  // @ts-expect-error a signal is an AbortSignal
  await kfp.healthz({ signal: "soon" });
  return n;
}
