// Type tests for js/index.d.ts: `node_modules/.bin/tsc -p tests/types` must pass. Nothing here
// runs; every line is code a user could write, and each `@ts-expect-error` line is a mistake
// the types must reject.

import { createKfpClient, Filter, KfpClient, KfpClientManager, KfpError } from "kfp-wasm";
import type {
  ArtifactList,
  BearerAuth,
  CallOptions,
  CookiesAuth,
  CreateExperimentOptions,
  CreateRecurringRunOptions,
  CreateRunFromPipelinePackageOptions,
  CronSchedule,
  DeletePipelineOptions,
  DexAuth,
  Experiment,
  FilterBuilder,
  Healthz,
  HealthzResponse,
  KfpApiServerHealthz,
  KfpApiVersion,
  KfpArgumentError,
  KfpAuth,
  KfpAuthType,
  KfpClientOptions,
  KfpErrorCode,
  KfpExperiment,
  KfpFetch,
  KfpFilter,
  KfpFilterOperation,
  KfpPredicate,
  KfpRetryOptions,
  KfpSession,
  KfpSessionCookie,
  KfpUiHealthz,
  ListExperimentsResponse,
  ListOptions,
  ListParams,
  ListPipelinesResponse,
  ListPipelineVersionsResponse,
  ListRecurringRunsOptions,
  ListRecurringRunsResponse,
  ListRunsOptions,
  ListRunsResponse,
  MetadataValue,
  NameQuery,
  NamespaceOptions,
  NoAuth,
  BrowserAuth,
  PagingOptions,
  PeriodicSchedule,
  Pipeline,
  PipelinePackage,
  PipelineTaskDetail,
  PipelineTaskDetailChildTask,
  PipelineTaskExecutorDetail,
  PipelineVersion,
  PipelineVersionReference,
  PluginOutput,
  PluginState,
  Predicate,
  PredicateOperation,
  ProtobufAny,
  RecurringRun,
  RecurringRunMode,
  RecurringRunSchedule,
  RecurringRunSettings,
  RecurringRunStatus,
  Run,
  RunDetails,
  RunPipelineOptions,
  RunPipelineSource,
  RunSettings,
  RuntimeConfig,
  RuntimeState,
  RuntimeStatus,
  ServiceAccountTokenAuth,
  Status,
  StorageState,
  Trigger,
  UploadPipelineOptions,
  UploadPipelineVersionOptions,
  Url,
  V1beta1Experiment,
  V2beta1Experiment,
  V2beta1ExperimentStorageState,
  WaitForRunOptions,
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
const page: BrowserAuth = { type: "browser" };
const allAuths: KfpAuth[] = [dex, dexLdap, sa, saPath, bearer, bearerFn, bearerAsync, cookies, page, none];
assertType<Equals<KfpAuthType, "dex" | "serviceAccountToken" | "bearer" | "cookies" | "browser" | "none">>();

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
  retry: { retries: 3, minDelayMs: 200, maxDelayMs: 5_000 },
  maxResponseBytes: 16 * 1024 * 1024,
};
const noRetry: KfpClientOptions = { apiUrl: "https://kf.example.com/pipeline", retry: false };
const defaultRetry: KfpRetryOptions = {};
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
    // Every page is in v2beta1 shape, v1-line servers included (the client converts it).
    const e: Experiment = experiment;
    const v2: V2beta1Experiment = e;
    console.log(v2.namespace, v2.storage_state === "ARCHIVED", v2.last_run_created_at);
    // Code written for both shapes still compiles: the v1 names are declared, always undefined.
    const id: string | undefined = experiment.experiment_id ?? experiment.id;
    const name: string | undefined = experiment.display_name ?? experiment.name;
    console.log(id, name, experiment.created_at, experiment.description);
  }
  // The v1beta1 shape itself is what request() gets from a v1-line server.
  const raw = await kfp.request<{ experiments?: V1beta1Experiment[] }>("GET", "/apis/v1beta1/experiments");
  for (const experiment of raw.experiments ?? []) {
    const either: KfpExperiment = experiment;
    const ns = experiment.resource_references?.find((r) => r.key?.type === "NAMESPACE")?.key?.id;
    console.log(either, ns, experiment.id, experiment.name, experiment.storage_state === "STORAGESTATE_ARCHIVED");
  }
  const mixed: KfpExperiment[] = [...page.experiments, ...(raw.experiments ?? [])];
  const v1Only: V1beta1Experiment[] = mixed.filter((e): e is V1beta1Experiment => e.id !== undefined);
  const v2Only: Experiment[] = mixed.filter((e): e is Experiment => e.experiment_id !== undefined);
  console.log(v1Only, v2Only);
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

// =============================================================================================
// The full client API
// =============================================================================================

declare const yamlText: string;
declare const bytes: Uint8Array;
declare const buffer: ArrayBuffer;
declare const blob: Blob;
declare const savedSessionJson: string;

// --- sessions, retries, response limits ------------------------------------------------------

export async function sessions(kfp: KfpClient): Promise<KfpClient> {
  const session: KfpSession = kfp.exportSession();
  const version: 1 = session.version;
  const authType: KfpAuthType = session.authType;
  const user: string | undefined = session.username;
  const ns: string | undefined = session.namespace;
  const expiresAt: number | undefined = session.expiresAt;
  for (const c of session.cookies) {
    const cookie: KfpSessionCookie = c;
    const expires: number | undefined = cookie.expires;
    const flags: boolean[] = [cookie.secure, cookie.httpOnly, cookie.hostOnly];
    console.log(cookie.name, cookie.value.length, cookie.domain, cookie.path, expires, flags);
  }
  console.log(version, authType, user, ns, expiresAt, session.apiUrl);

  // Stored as JSON, read back, and resumed; with Dex auth too, the client can log in again.
  const stored = JSON.stringify(session);
  const restored = JSON.parse(savedSessionJson || stored) as KfpSession;
  const resumed = await createKfpClient({ apiUrl: restored.apiUrl, session: restored });
  const relogging = await createKfpClient({
    apiUrl: restored.apiUrl,
    session: restored,
    auth: { type: "dex", username: "user@example.com", password: env.KF_PASSWORD ?? "" },
    retry: { retries: 0 },
  });
  const handMade: KfpSession = {
    version: 1,
    apiUrl: "https://kf.example.com/pipeline",
    authType: "cookies",
    cookies: [{ name: "oauth2_proxy", value: "abc", domain: "kf.example.com", path: "/", secure: true, httpOnly: true, hostOnly: true }],
  };
  console.log(relogging, handMade, noRetry, defaultRetry);

  // The user namespace, like kfp.Client's get/set_user_namespace.
  const current: string | undefined = kfp.getUserNamespace();
  kfp.setUserNamespace("team-b");
  kfp.setUserNamespace(undefined);
  console.log(current);
  return resumed;
}

// --- health ----------------------------------------------------------------------------------

export async function health(kfp: KfpClient): Promise<string | undefined> {
  const h: Healthz = await kfp.healthz({ signal: AbortSignal.timeout(5_000) });
  const same: HealthzResponse = h;
  if (h.commit_sha !== undefined) {
    const api: KfpApiServerHealthz = h;
    console.log(api.pipeline_store, api.multi_user);
  }
  if (h.apiServerTagName !== undefined) {
    const ui: KfpUiHealthz = h;
    console.log(ui.apiServerReady, ui.frontendTagName, ui.buildDate);
  }
  console.log(same);
  return h.tag_name ?? h.apiServerTagName;
}

// --- experiments -----------------------------------------------------------------------------

export async function experiments(kfp: KfpClient): Promise<void> {
  const created = await kfp.createExperiment("nightly", { description: "d", namespace: "team-a", signal: AbortSignal.timeout(1_000) });
  const id = created.experiment_id!;
  const byId: Experiment = await kfp.getExperiment(id);
  const byName: Experiment = await kfp.getExperiment({ name: "nightly" });
  const byNameNs = await kfp.getExperiment({ name: "nightly", namespace: "team-a" }, { signal: AbortSignal.timeout(1_000) });
  const query: NameQuery = { name: "nightly" };
  await kfp.getExperiment(query);
  await kfp.archiveExperiment(id);
  await kfp.unarchiveExperiment(id, {});
  const done: void = await kfp.deleteExperiment(id, { signal: AbortSignal.timeout(1_000) });

  // The v2beta1 model, with every field.
  {
    const e: Experiment = byId;
    const same: V2beta1Experiment = e;
    const state: StorageState | undefined = e.storage_state;
    const alias: V2beta1ExperimentStorageState | undefined = state;
    console.log(same, alias, e.display_name, e.description, e.created_at, e.namespace, e.last_run_created_at);
  }

  // Lists: a page, and every item with both iterators.
  const options: ListOptions = { namespace: "team-a", pageSize: 10, sortBy: "display_name", filter: Filter.isSubstring("display_name", "night") };
  const page: ListExperimentsResponse = await kfp.listExperiments(options);
  const all: Experiment[] = [];
  for await (const e of kfp.iterExperiments(options)) all.push(e);
  for await (const e of kfp.iterateExperiments()) all.push(e);
  const iter: AsyncIterableIterator<Experiment> = kfp.iterExperiments({ pageSize: 200 });
  const first: IteratorResult<Experiment> = await iter.next();
  console.log(page.experiments.length, all.length, first.done, byName, byNameNs, done);
}

// --- pipelines and versions ------------------------------------------------------------------

export async function pipelines(kfp: KfpClient): Promise<void> {
  // Every kind of package.
  const packages: PipelinePackage[] = [yamlText, bytes, buffer, blob, JSON.stringify({ pipelineInfo: { name: "p" } })];
  const uploadOptions: UploadPipelineOptions = { name: "sum", displayName: "Sum numbers", description: "adds", namespace: "team-a" };
  const pipeline: Pipeline = await kfp.uploadPipeline(yamlText, uploadOptions);
  await kfp.uploadPipeline(bytes);
  await kfp.uploadPipeline(blob, { signal: AbortSignal.timeout(60_000) });
  const pipelineId = pipeline.pipeline_id!;

  // A version, by pipeline id or by pipeline name.
  const v1: PipelineVersion = await kfp.uploadPipelineVersion(buffer, { pipelineId, versionName: "v2", description: "faster" });
  const byName: UploadPipelineVersionOptions = { pipelineName: "sum", versionName: "v3", namespace: "team-a" };
  const v2 = await kfp.uploadPipelineVersion(yamlText, byName);
  await kfp.uploadPipelineVersion(yamlText, { pipelineId, pipelineName: undefined });

  // Reads.
  const listed: ListPipelinesResponse = await kfp.listPipelines({ namespace: "team-a", filter: Filter.equals("display_name", "Sum numbers") });
  for (const p of listed.pipelines) console.log(p.pipeline_id, p.name, p.tags?.["team"]);
  for await (const p of kfp.iterPipelines({ sortBy: "created_at desc" })) console.log(p.display_name);
  const got: Pipeline = await kfp.getPipeline(pipelineId);
  const gotByName: Pipeline = await kfp.getPipeline({ name: "sum", namespace: "team-a" });
  const maybeId: string | null = await kfp.getPipelineId("sum");
  const nsOptions: NamespaceOptions = { namespace: "team-a" };
  const nsId = await kfp.getPipelineId("sum", nsOptions);
  if (nsId !== null) console.log(nsId.length);

  const versionsPage: ListPipelineVersionsResponse = await kfp.listPipelineVersions(pipelineId, { pageSize: 5, sortBy: "created_at desc" });
  const paging: PagingOptions = { pageToken: versionsPage.next_page_token, filter: '{"predicates":[]}' };
  await kfp.listPipelineVersions(pipelineId, paging);
  for await (const v of kfp.iterPipelineVersions(pipelineId)) console.log(v.pipeline_version_id);
  for await (const v of kfp.iterPipelineVersions(pipelineId, { filter: Filter.isSubstring("display_name", "v") })) console.log(v.name);
  const version = await kfp.getPipelineVersion(pipelineId, v1.pipeline_version_id!);
  const spec: Record<string, unknown> | undefined = version.pipeline_spec;

  // Deletes.
  await kfp.deletePipelineVersion(pipelineId, v2.pipeline_version_id!);
  await kfp.deletePipelineVersion(pipelineId, v2.pipeline_version_id!, { signal: AbortSignal.timeout(1_000) });
  const cascade: DeletePipelineOptions = { cascade: true };
  await kfp.deletePipeline(pipelineId, cascade);
  await kfp.deletePipeline(pipelineId);

  // Every model field.
  const p: Pipeline = got;
  const perr: Status | undefined = p.error;
  console.log(p.pipeline_id, p.display_name, p.name, p.description, p.created_at, p.namespace, p.tags, perr?.code, perr?.message);
  const pv: PipelineVersion = version;
  const url: Url | undefined = pv.package_url;
  console.log(pv.pipeline_id, pv.pipeline_version_id, pv.display_name, pv.name, pv.description, pv.created_at, url?.pipeline_url);
  console.log(pv.code_source_url, pv.tags, pv.error?.details, packages, gotByName, maybeId, spec);
}

// --- runs ------------------------------------------------------------------------------------

export async function runs(kfp: KfpClient, experimentId: string, pipelineId: string, versionId: string): Promise<void> {
  // runPipeline: from an uploaded version, from a pipeline (latest version), from a package.
  const fromVersion: Run = await kfp.runPipeline(experimentId, "train", {
    pipelineId,
    versionId,
    params: { lr: 0.01, epochs: 3, tags: ["a"], config: { nested: true } },
    pipelineRoot: "minio://mlpipeline/v2/artifacts",
    enableCaching: false,
    serviceAccount: "pipeline-runner",
    description: "nightly",
    signal: AbortSignal.timeout(30_000),
  });
  await kfp.runPipeline(experimentId, "latest", { pipelineId });
  const fromPackage: RunPipelineOptions = { pipelinePackage: bytes, params: { a: 1 } };
  await kfp.runPipeline(experimentId, "embedded", fromPackage);
  const source: RunPipelineSource = { pipelinePackage: yamlText };
  const settings: RunSettings = { enableCaching: true };
  await kfp.runPipeline(experimentId, "composed", { ...settings, ...source });

  // createRunFromPipelinePackage: every option, and none.
  const packageOptions: CreateRunFromPipelinePackageOptions = {
    arguments: { a: 1, b: 2.5 },
    runName: "sum 2024-01-01",
    experimentName: "Default",
    experimentId,
    namespace: "team-a",
    pipelineRoot: "gs://bucket/root",
    enableCaching: true,
    serviceAccount: "default-editor",
    description: "one-off",
  };
  const r1 = await kfp.createRunFromPipelinePackage(yamlText, packageOptions);
  await kfp.createRunFromPipelinePackage(blob);

  // Lists.
  const runsOptions: ListRunsOptions = { experimentId, pageSize: 50, sortBy: "created_at desc", filter: Filter.equals("state", "FAILED") };
  const page: ListRunsResponse = await kfp.listRuns(runsOptions);
  await kfp.listRuns({ namespace: "team-a" });
  await kfp.listRuns();
  for await (const run of kfp.iterRuns({ namespace: "team-a" })) console.log(run.run_id);

  // Actions.
  const id = fromVersion.run_id!;
  const got: Run = await kfp.getRun(id);
  const actions: Array<Promise<void>> = [
    kfp.terminateRun(id),
    kfp.retryRun(id),
    kfp.archiveRun(id),
    kfp.unarchiveRun(id, { signal: AbortSignal.timeout(1_000) }),
    kfp.deleteRun(id),
  ];
  await Promise.all(actions);

  // Waiting.
  const seen: Array<RuntimeState | undefined> = [];
  const waitOptions: WaitForRunOptions = { timeoutMs: 60_000, pollIntervalMs: 2_000, signal: new AbortController().signal, onProgress: (r) => seen.push(r.state) };
  const finished: Run = await kfp.waitForRunCompletion(id, waitOptions);
  await kfp.waitForRunCompletion(id);
  const running: Run = await kfp.waitForRunStatus(id, "RUNNING");
  await kfp.waitForRunStatus(id, ["SUCCEEDED", "FAILED"], { timeoutMs: 5_000 });

  // Every model field.
  const run: Run = got;
  const state: RuntimeState | undefined = run.state;
  const storage: StorageState | undefined = run.storage_state;
  const ref: PipelineVersionReference | undefined = run.pipeline_version_reference;
  const config: RuntimeConfig | undefined = run.runtime_config;
  const parameters: Record<string, unknown> | undefined = config?.parameters;
  const details: RunDetails | undefined = run.run_details;
  const contexts: Array<string | undefined> = [details?.pipeline_context_id, details?.pipeline_run_context_id];
  const history: RuntimeStatus[] = run.state_history ?? [];
  for (const h of history) console.log(h.update_time, h.state, h.error?.message);
  const pluginIn: Record<string, Record<string, unknown>> | undefined = run.plugins_input;
  const pluginOut: PluginOutput | undefined = run.plugins_output?.["mlflow"];
  const pluginState: PluginState | undefined = pluginOut?.state;
  const entry: MetadataValue | undefined = pluginOut?.entries?.["experiment_url"];
  if (entry?.render_type === "URL") console.log(entry.value, pluginOut?.state_message);
  console.log(run.experiment_id, run.display_name, run.description, run.pipeline_version_id, run.pipeline_spec?.["pipelineInfo"]);
  console.log(run.service_account, run.created_at, run.scheduled_at, run.finished_at, run.recurring_run_id, ref?.pipeline_id, ref?.pipeline_version_id);
  console.log(state, storage, parameters, config?.pipeline_root, contexts, pluginIn, pluginState);

  // A run's tasks, with every field.
  for (const t of run.run_details?.task_details ?? []) {
    const task: PipelineTaskDetail = t;
    const executor: PipelineTaskExecutorDetail | undefined = task.executor_detail;
    const inputs: Record<string, ArtifactList> | undefined = task.inputs;
    const children: PipelineTaskDetailChildTask[] = task.child_tasks ?? [];
    console.log(task.run_id, task.task_id, task.display_name, task.create_time, task.start_time, task.end_time, task.state);
    console.log(task.execution_id, task.error?.code, inputs?.["x"]?.artifact_ids, task.outputs, task.parent_task_id, task.state_history, task.pod_name);
    console.log(executor?.main_job, executor?.pre_caching_check_job, executor?.failed_main_jobs, executor?.failed_pre_caching_check_jobs);
    console.log(children.map((c) => c.task_id ?? c.pod_name));
  }

  // An error detail is an Any: `@type` plus the message's own fields.
  const detail: ProtobufAny | undefined = run.error?.details?.[0];
  const typeUrl: string | undefined = detail?.["@type"];
  const reason: unknown = detail?.["reason"];
  console.log(typeUrl, reason, r1, page.runs.length, page.total_size, finished.state, running.state, seen);
}

// --- recurring runs --------------------------------------------------------------------------

export async function recurringRuns(kfp: KfpClient, experimentId: string, pipelineId: string, versionId: string): Promise<void> {
  const everything: CreateRecurringRunOptions = {
    description: "nightly",
    startTime: new Date("2024-01-01T00:00:00Z"),
    endTime: "2025-01-01T00:00:00Z",
    cronExpression: "0 0 2 * * *",
    maxConcurrency: 2,
    noCatchup: true,
    params: { epochs: 3 },
    pipelineId,
    versionId,
    enabled: false,
    pipelineRoot: "minio://mlpipeline/v2/artifacts",
    enableCaching: true,
    serviceAccount: "pipeline-runner",
    signal: AbortSignal.timeout(30_000),
  };
  const rr: RecurringRun = await kfp.createRecurringRun(experimentId, "nightly", everything);
  await kfp.createRecurringRun(experimentId, "hourly", { intervalSecond: 3600, pipelinePackage: yamlText });
  const schedule: RecurringRunSchedule = { intervalSecond: 60 };
  const recurringSettings: RecurringRunSettings = { maxConcurrency: 1 };
  await kfp.createRecurringRun(experimentId, "composed", { ...recurringSettings, ...schedule, pipelineId });

  const listOptions: ListRecurringRunsOptions = { experimentId, namespace: "team-a", pageSize: 20, filter: Filter.isSubstring("display_name", "nightly") };
  const page: ListRecurringRunsResponse = await kfp.listRecurringRuns(listOptions);
  const items: RecurringRun[] = page.recurringRuns; // camelCase, as KFP sends it
  await kfp.listRecurringRuns();
  for await (const r of kfp.iterRecurringRuns({ experimentId })) console.log(r.recurring_run_id);

  const id = rr.recurring_run_id!;
  const got: RecurringRun = await kfp.getRecurringRun(id);
  await kfp.disableRecurringRun(id);
  await kfp.enableRecurringRun(id, { signal: AbortSignal.timeout(1_000) });
  await kfp.deleteRecurringRun(id);

  // Every model field.
  const trigger: Trigger | undefined = got.trigger;
  const cron: CronSchedule | undefined = trigger?.cron_schedule;
  const periodic: PeriodicSchedule | undefined = trigger?.periodic_schedule;
  const interval: string | undefined = periodic?.interval_second; // int64 as a string
  const mode: RecurringRunMode | undefined = got.mode;
  const status: RecurringRunStatus | undefined = got.status;
  const concurrency: string | undefined = got.max_concurrency; // int64 as a string
  if (status === "ENABLED" && mode === "ENABLE") console.log("on");
  console.log(cron?.cron, cron?.start_time, cron?.end_time, periodic?.start_time, periodic?.end_time, interval, concurrency);
  console.log(got.display_name, got.description, got.pipeline_version_id, got.pipeline_spec, got.pipeline_version_reference, got.runtime_config);
  console.log(got.service_account, got.created_at, got.updated_at, got.error, got.no_catchup, got.namespace, got.experiment_id, got.plugins_input);
  console.log(items.length, page.next_page_token);
}

// --- the filter builder ----------------------------------------------------------------------

export function filters(): Filter[] {
  const builder: FilterBuilder = Filter;
  const since = new Date("2024-01-01T00:00:00Z");
  const built: Filter[] = [
    Filter.equals("display_name", "nightly"),
    Filter.equals("n", 3),
    Filter.equals("created_at", since),
    Filter.notEquals("state", "SUCCEEDED"),
    Filter.greaterThan("created_at", since),
    Filter.greaterThanEquals("n", 1),
    Filter.lessThan("finished_at", "2025-01-01T00:00:00Z"),
    Filter.lessThanEquals("n", 10),
    Filter.in("state", ["FAILED", "CANCELED"]),
    Filter.in("n", [1, 2, 3]),
    Filter.isSubstring("display_name", "night"),
    Filter.and(),
    Filter.and(Filter.equals("a", "b")),
    builder.and(Filter.in("state", ["RUNNING"]), Filter.greaterThan("created_at", since), Filter.isSubstring("display_name", "x")),
  ];
  // A built filter is a plain Filter: its predicates can be read and combined with hand-written ones.
  const combined: Filter = { predicates: [...Filter.equals("a", "b").predicates, { key: "name", op: "IS_SUBSTRING", string_value: "x" }] };
  const predicate: Predicate = combined.predicates[0]!;
  const op: PredicateOperation | undefined = predicate.operation ?? predicate.op;
  const aliases: [KfpFilter, KfpPredicate, KfpFilterOperation] = [combined, predicate, "EQUALS"];
  console.log(op, aliases);
  return [...built, combined];
}

// The two @example blocks of index.d.ts, as written there.
export async function docExamples(kfp: KfpClient, experimentId: string, pipelineId: string, versionId: string): Promise<void> {
  const readFile = async (path: string): Promise<Uint8Array> => new TextEncoder().encode(path);
  {
    const run = await kfp.createRunFromPipelinePackage(await readFile("pipeline.yaml"), {
      experimentName: "nightly",
      arguments: { a: 1, b: 2.5 },
    });
    try {
      const done = await kfp.waitForRunCompletion(run.run_id!, {
        timeoutMs: 30 * 60_000,
        onProgress: (r) => console.log(r.state),
      });
      if (done.state !== "SUCCEEDED") throw new Error(done.error?.message ?? done.state);
    } catch (err) {
      if (err instanceof KfpError && err.code === "KFP_TIMEOUT") console.log("still", err.run?.state);
      throw err;
    }
  }
  {
    const failed = Filter.and(
      Filter.in("state", ["FAILED", "CANCELED"]),
      Filter.greaterThan("created_at", new Date(Date.now() - 86_400_000)),
    );
    for await (const run of kfp.iterRuns({ experimentId, filter: failed, sortBy: "created_at desc" })) {
      console.log(run.run_id, run.display_name, run.state, run.error?.message);
    }
  }
  {
    const { run_id } = await kfp.runPipeline(experimentId, "train", { pipelineId, versionId });
    const done = await kfp.waitForRunCompletion(run_id!, { timeoutMs: 3_600_000, pollIntervalMs: 10_000 });
    console.log(done.state, done.finished_at);
  }
}

// --- the exact shapes of the enums and list pages --------------------------------------------

assertType<
  Equals<RuntimeState, "RUNTIME_STATE_UNSPECIFIED" | "PENDING" | "RUNNING" | "SUCCEEDED" | "SKIPPED" | "FAILED" | "CANCELING" | "CANCELED" | "PAUSED">
>();
assertType<Equals<StorageState, "AVAILABLE" | "ARCHIVED" | "STORAGE_STATE_UNSPECIFIED">>();
assertType<Equals<RecurringRunMode, "ENABLE" | "DISABLE" | "MODE_UNSPECIFIED">>();
assertType<Equals<RecurringRunStatus, "ENABLED" | "DISABLED" | "STATUS_UNSPECIFIED">>();
assertType<Equals<Healthz, HealthzResponse>>();
assertType<Equals<ListParams, ListOptions>>();
assertType<Equals<ListExperimentsResponse["experiments"], Experiment[]>>();
assertType<Equals<Awaited<ReturnType<KfpClient["createExperiment"]>>, Experiment>>();
assertType<Equals<ReturnType<KfpClient["iterExperiments"]>, AsyncIterableIterator<Experiment>>>();
assertType<Equals<ListPipelinesResponse["pipelines"], Pipeline[]>>();
assertType<Equals<ListPipelineVersionsResponse["pipeline_versions"], PipelineVersion[]>>();
assertType<Equals<ListRunsResponse["runs"], Run[]>>();
assertType<Equals<ListRecurringRunsResponse["recurringRuns"], RecurringRun[]>>();
assertType<Equals<ListRunsResponse["total_size"], number | undefined>>();
assertType<Equals<ListRunsResponse["next_page_token"], string | undefined>>();
assertType<Equals<NonNullable<RunDetails["task_details"]>, PipelineTaskDetail[]>>();
assertType<Equals<NonNullable<Run["state_history"]>, RuntimeStatus[]>>();
assertType<Equals<NonNullable<Run["error"]>, Status>>();
assertType<Equals<NonNullable<Run["runtime_config"]>, RuntimeConfig>>();
assertType<Equals<NonNullable<Run["pipeline_spec"]>, Record<string, unknown>>>();
assertType<Equals<NonNullable<RecurringRun["max_concurrency"]>, string>>();
assertType<Equals<NonNullable<RecurringRun["no_catchup"]>, boolean>>();
assertType<Equals<ReturnType<KfpClient["iterRuns"]>, AsyncIterableIterator<Run>>>();
assertType<Equals<ReturnType<KfpClient["iterExperiments"]>, ReturnType<KfpClient["iterateExperiments"]>>>();
assertType<Equals<Parameters<FilterBuilder["in"]>[1], string[] | number[]>>();
assertType<Equals<KfpError["run"], Run | undefined>>();
assertType<Equals<KfpError["attempts"], number | undefined>>();
assertType<Equals<KfpError["loginUrl"], string | undefined>>();
assertType<Equals<Awaited<ReturnType<KfpClient["getPipelineId"]>>, string | null>>();
assertType<Equals<Awaited<ReturnType<KfpClient["terminateRun"]>>, void>>();

// --- error narrowing -------------------------------------------------------------------------

export async function newErrors(kfp: KfpClient): Promise<void> {
  try {
    await kfp.waitForRunCompletion("run-1", { timeoutMs: 1_000 });
  } catch (err) {
    if (!(err instanceof KfpError)) throw err;
    switch (err.code) {
      case "KFP_TIMEOUT": {
        const last: Run | undefined = err.run;
        console.log("last seen:", last?.state, last?.state_history?.at(-1)?.update_time);
        break;
      }
      case "KFP_UNAUTHENTICATED": {
        const loginUrl: string | undefined = err.loginUrl;
        if (loginUrl !== undefined) console.log("log in at", loginUrl);
        break;
      }
      case "KFP_SERVER_ERROR":
      case "KFP_NETWORK_ERROR": {
        const attempts: number | undefined = err.attempts;
        console.log("gave up after", attempts, "requests");
        break;
      }
      case "KFP_UNSUPPORTED_API_VERSION":
        console.log("needs a v2beta1 server; this one is", kfp.apiVersion);
        break;
      case "KFP_RESPONSE_TOO_LARGE":
        console.log("raise maxResponseBytes");
        break;
      case "KFP_INVALID_PIPELINE":
        console.log("not a compiled pipeline:", err.message);
        break;
      default: {
        const rest: KfpErrorCode = err.code;
        console.log(rest);
      }
    }
  }
  const newCodes: KfpErrorCode[] = ["KFP_UNSUPPORTED_API_VERSION", "KFP_RESPONSE_TOO_LARGE", "KFP_INVALID_PIPELINE"];
  console.log(newCodes);
}

// --- mistakes the types reject (the full API) ------------------------------------------------

export function apiMistakes(kfp: KfpClient, pkg: PipelinePackage, run: Run, rr: RecurringRun): void {
  // -- options
  // @ts-expect-error retry is false or an object, not true
  void createKfpClient({ apiUrl: "https://kf/pipeline", retry: true });
  // @ts-expect-error retries is a number
  void createKfpClient({ apiUrl: "https://kf/pipeline", retry: { retries: "2" } });
  // @ts-expect-error retry options are closed
  void createKfpClient({ apiUrl: "https://kf/pipeline", retry: { attempts: 3 } });
  // @ts-expect-error maxResponseBytes is a number
  void createKfpClient({ apiUrl: "https://kf/pipeline", maxResponseBytes: "64MiB" });
  // @ts-expect-error only session format 1 exists
  const futureSession: KfpSession = { version: 2, apiUrl: "u", authType: "dex", cookies: [] };
  // @ts-expect-error a session needs its cookies
  const noCookies: KfpSession = { version: 1, apiUrl: "u", authType: "dex" };
  // @ts-expect-error a session cookie's expiry is a number of milliseconds, not a Date
  const dateExpiry: KfpSessionCookie = { name: "n", value: "v", domain: "d", path: "/", expires: new Date(), secure: true, httpOnly: true, hostOnly: true };
  // @ts-expect-error the session is an object, not its JSON text
  void createKfpClient({ apiUrl: "https://kf/pipeline", session: "{}" });
  // @ts-expect-error a namespace is a string
  kfp.setUserNamespace(42);
  // @ts-expect-error setUserNamespace takes one argument (undefined to clear)
  kfp.setUserNamespace();
  console.log(futureSession, noCookies, dateExpiry);

  // -- experiments
  // @ts-expect-error getExperiment needs an id or a name query
  void kfp.getExperiment();
  // @ts-expect-error a name query needs the name
  void kfp.getExperiment({ namespace: "team-a" });
  // @ts-expect-error a name query has no id field
  void kfp.getExperiment({ name: "x", id: "y" });
  // @ts-expect-error archiveExperiment needs the id
  void kfp.archiveExperiment();
  // @ts-expect-error unarchiveExperiment takes a string id
  void kfp.unarchiveExperiment(7);
  // @ts-expect-error list options are closed
  void kfp.iterExperiments({ limit: 10 });

  // -- pipelines
  // @ts-expect-error a package is text, bytes or a Blob
  void kfp.uploadPipeline(42);
  // @ts-expect-error a package is not a parsed object
  void kfp.uploadPipeline({ pipelineInfo: { name: "p" } });
  // @ts-expect-error upload options are camelCase and closed
  void kfp.uploadPipeline(pkg, { pipeline_name: "x" });
  // @ts-expect-error uploadPipelineVersion needs pipelineId or pipelineName
  void kfp.uploadPipelineVersion(pkg, { versionName: "v2" });
  // @ts-expect-error uploadPipelineVersion takes pipelineId or pipelineName, not both
  void kfp.uploadPipelineVersion(pkg, { pipelineId: "p", pipelineName: "n" });
  // @ts-expect-error uploadPipelineVersion needs its options
  void kfp.uploadPipelineVersion(pkg);
  // @ts-expect-error getPipeline needs an id or a name query
  void kfp.getPipeline();
  // @ts-expect-error getPipelineId takes the name, not a query object
  void kfp.getPipelineId({ name: "x" });
  // @ts-expect-error cascade is a boolean
  void kfp.deletePipeline("p", { cascade: "yes" });
  // @ts-expect-error listPipelineVersions needs the pipeline id
  void kfp.listPipelineVersions();
  // @ts-expect-error pipeline versions are listed per pipeline, without a namespace
  void kfp.listPipelineVersions("p", { namespace: "team-a" });
  // @ts-expect-error iterPipelineVersions needs the pipeline id first
  void kfp.iterPipelineVersions({ pageSize: 10 });
  // @ts-expect-error getPipelineVersion needs the pipeline id and the version id
  void kfp.getPipelineVersion("version-only");
  // @ts-expect-error deletePipelineVersion needs the pipeline id and the version id
  void kfp.deletePipelineVersion("version-only");

  // -- runs
  // @ts-expect-error runPipeline needs the experiment id first
  void kfp.runPipeline("run-name", { pipelineId: "p", versionId: "v" });
  // @ts-expect-error runPipeline needs its options (which pipeline to run)
  void kfp.runPipeline("exp", "run-name");
  // @ts-expect-error runPipeline needs a package, a pipeline id or a version id
  void kfp.runPipeline("exp", "run-name", { params: { a: 1 } });
  // @ts-expect-error a version id needs its pipeline id
  void kfp.runPipeline("exp", "run-name", { versionId: "v" });
  // @ts-expect-error a package, or an uploaded pipeline: not both
  void kfp.runPipeline("exp", "run-name", { pipelinePackage: pkg, pipelineId: "p" });
  // @ts-expect-error a pipeline id is a string
  void kfp.runPipeline("exp", "run-name", { pipelineId: 1 });
  // @ts-expect-error run options are camelCase and closed
  void kfp.runPipeline("exp", "run-name", { pipelineId: "p", pipeline_root: "gs://b" });
  // @ts-expect-error params are an object of JSON values, not a list
  void kfp.runPipeline("exp", "run-name", { pipelineId: "p", params: [1, 2] });
  // @ts-expect-error createRunFromPipelinePackage needs the package
  void kfp.createRunFromPipelinePackage();
  // @ts-expect-error its parameter values are `arguments`, not `params`
  void kfp.createRunFromPipelinePackage(pkg, { params: { a: 1 } });
  // @ts-expect-error enableCaching is a boolean
  void kfp.createRunFromPipelinePackage(pkg, { enableCaching: "true" });
  // @ts-expect-error list options are camelCase
  void kfp.listRuns({ experiment_id: "e" });
  // @ts-expect-error getRun needs the id
  void kfp.getRun();
  // @ts-expect-error terminateRun takes a string id
  void kfp.terminateRun(run);
  // @ts-expect-error retryRun needs the id
  void kfp.retryRun();
  // @ts-expect-error not a RuntimeState
  void kfp.waitForRunStatus("r", "DONE");
  // @ts-expect-error the v1beta1 status strings are not RuntimeStates
  void kfp.waitForRunStatus("r", ["Succeeded"]);
  // @ts-expect-error waitForRunStatus needs the states to wait for
  void kfp.waitForRunStatus("r");
  // @ts-expect-error wait options are closed: timeoutMs, not timeout
  void kfp.waitForRunCompletion("r", { timeout: 5 });
  // @ts-expect-error onProgress receives the run
  void kfp.waitForRunCompletion("r", { onProgress: (state: RuntimeState) => console.log(state) });
  // @ts-expect-error a run's state is a RuntimeState
  const badState: Run = { state: "DONE" };
  // @ts-expect-error run_details.task_details is a list of tasks
  const badDetails: Run = { run_details: { task_details: {} } };
  // @ts-expect-error int64 fields are strings
  const badContext: RunDetails = { pipeline_context_id: 12 };
  // @ts-expect-error models are closed: a misspelled field is an error
  console.log(run.runId, badState, badDetails, badContext);

  // -- recurring runs
  // @ts-expect-error a recurring run needs a schedule: cronExpression or intervalSecond
  void kfp.createRecurringRun("exp", "name", { pipelineId: "p" });
  // @ts-expect-error a cron expression or an interval, not both
  void kfp.createRecurringRun("exp", "name", { pipelineId: "p", cronExpression: "0 0 * * * *", intervalSecond: 60 });
  // @ts-expect-error intervalSecond is a number of seconds
  void kfp.createRecurringRun("exp", "name", { pipelineId: "p", intervalSecond: "60" });
  // @ts-expect-error maxConcurrency is a number
  void kfp.createRecurringRun("exp", "name", { pipelineId: "p", intervalSecond: 60, maxConcurrency: "1" });
  // @ts-expect-error startTime is a Date or RFC 3339 text
  void kfp.createRecurringRun("exp", "name", { pipelineId: "p", intervalSecond: 60, startTime: 1_700_000_000 });
  // @ts-expect-error a recurring run needs a pipeline
  void kfp.createRecurringRun("exp", "name", { intervalSecond: 60 });
  // @ts-expect-error createRecurringRun needs the experiment id and a name
  void kfp.createRecurringRun("name", { pipelineId: "p", intervalSecond: 60 });
  // @ts-expect-error recurring-run options are closed
  void kfp.createRecurringRun("exp", "name", { pipelineId: "p", intervalSecond: 60, trigger: {} });
  // @ts-expect-error enableRecurringRun needs the id
  void kfp.enableRecurringRun();
  // @ts-expect-error the list key is recurringRuns (camelCase)
  void kfp.listRecurringRuns().then((page) => page.recurring_runs);
  // @ts-expect-error mode is ENABLE/DISABLE; ENABLED is a status
  const badMode: RecurringRun = { mode: "ENABLED" };
  // @ts-expect-error max_concurrency is int64: a string
  const badConcurrency: RecurringRun = { max_concurrency: 1 };
  // @ts-expect-error the cron trigger field is cron_schedule
  const badTrigger: Trigger = { cron: { cron: "0 * * * * *" } };
  console.log(badMode, badConcurrency, badTrigger, rr.status);

  // -- the filter builder
  // @ts-expect-error filter values are strings, numbers or Dates
  Filter.equals("k", true);
  // @ts-expect-error a filter needs the key
  Filter.equals("k");
  // @ts-expect-error IN takes strings or numbers, not a mix
  Filter.in("k", ["a", 1]);
  // @ts-expect-error IN takes a list
  Filter.in("k", "a");
  // @ts-expect-error IS_SUBSTRING takes a string
  Filter.isSubstring("k", 1);
  // @ts-expect-error and() joins filters, not strings
  Filter.and("display_name = x");
  // @ts-expect-error there is no or(): KFP only ANDs
  Filter.or(Filter.equals("a", "b"));
  // @ts-expect-error a filter is built, not constructed
  void new Filter();

  // -- errors
  // @ts-expect-error error fields are read-only
  new KfpError("m", "KFP_TIMEOUT").run = run;
  // @ts-expect-error not an error code
  const oldCode: KfpErrorCode = "KFP_UNSUPPORTED_VERSION";
  console.log(oldCode);
}

// A value that satisfies CallOptions satisfies every method's last argument.
export async function sharedCallOptions(kfp: KfpClient, call: CallOptions): Promise<void> {
  await kfp.healthz(call);
  await kfp.getRun("r", call);
  await kfp.deleteRecurringRun("rr", call);
  await kfp.getPipelineVersion("p", "v", call);
  await kfp.listPipelineVersions("p", call);
  await kfp.listRuns(call);
  await kfp.createRunFromPipelinePackage(yamlText, call);
  await kfp.waitForRunCompletion("r", call);
  await kfp.deletePipeline("p", call);
  await kfp.getPipelineId("n", call);
  await kfp.uploadPipeline(yamlText, call);
}
