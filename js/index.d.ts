/**
 * kfp-wasm: a Kubeflow Pipelines (KFP) client for JavaScript. It logs in through Dex (behind
 * oauth2-proxy or oidc-authservice, as in Kubeflow 1.3–1.11 and deployKF) and wraps the KFP REST
 * API. The core is Rust compiled to WebAssembly. It runs in Node ≥ 20 and, with the browser's own
 * session, in browsers.
 *
 * These declarations serve both entry points: `import { createKfpClient } from "kfp-wasm"` (ESM)
 * and `const { createKfpClient } = require("kfp-wasm")` (CommonJS). The ESM default export is the
 * same object as the CommonJS `module.exports`.
 *
 * Response objects are KFP's own JSON, passed through unchanged: field names are snake_case. KFP
 * leaves out zero values (`false`, `0`, `""`, empty lists, unspecified enums), so every field is
 * optional. int64 values come as strings, timestamps as RFC 3339 strings. The models
 * ({@link Experiment}, {@link Pipeline}, {@link PipelineVersion}, {@link Run},
 * {@link RecurringRun}) declare every field of KFP's v2beta1 API (2.3.0), plus the fields later
 * servers add (2.5, 2.14, 2.17; each says from which version). List answers always have their
 * array, even when KFP leaves it out.
 *
 * The methods follow the Python SDK's `kfp.Client`: each one's doc names its REST call, the
 * `kfp.Client` method it corresponds to, and, for v1-line servers, the v1beta1 call used there.
 * On a v1beta1-only server, arguments are written in v2beta1 terms and answers come back in
 * v2beta1 shape (`id` becomes `run_id`, `name` becomes `display_name`, a run's `status` becomes
 * its `state`, …), so the same code runs on both. v1 fields with no v2beta1 equivalent are passed
 * along but not declared. A method with no v1beta1 equivalent rejects with
 * `KFP_UNSUPPORTED_API_VERSION` on such servers.
 *
 * Errors: a call that fails rejects with a {@link KfpError}, which has a stable `code`
 * ({@link KfpErrorCode}). An invalid argument or option gives a `TypeError` instead, with `code`
 * set to `"ERR_INVALID_ARG_TYPE"` or `"ERR_INVALID_ARG_VALUE"` ({@link KfpArgumentError}).
 *
 * @example
 * ```ts
 * import { createKfpClient, KfpError } from "kfp-wasm";
 *
 * const kfp = await createKfpClient({
 *   apiUrl: "https://kubeflow.example.com/pipeline",
 *   auth: { type: "dex", username: "user@example.com", password: process.env.KF_PASSWORD! },
 *   namespace: "kubeflow-user-example-com",
 * });
 *
 * const { multi_user } = await kfp.healthz();
 * const created = await kfp.createExperiment("nightly", { description: "nightly training" });
 * const { experiments, next_page_token } = await kfp.listExperiments({
 *   pageSize: 50,
 *   sortBy: "created_at desc",
 *   filter: { predicates: [{ key: "display_name", operation: "IS_SUBSTRING", string_value: "night" }] },
 * });
 * const runs = await kfp.request<{ runs?: unknown[] }>("GET", "/apis/v2beta1/runs", {
 *   query: { namespace: kfp.namespace!, page_size: 10 },
 * });
 *
 * try {
 *   await kfp.getExperiment("no-such-id");
 * } catch (err) {
 *   if (err instanceof KfpError && err.code === "KFP_NOT_FOUND") {
 *     console.log("gone:", err.status, err.message);
 *   } else {
 *     throw err;
 *   }
 * }
 * ```
 *
 * @packageDocumentation
 */

// ---------------------------------------------------------------------------------------------
// Options
// ---------------------------------------------------------------------------------------------

/**
 * Log in with a Dex user name and password, as a browser would. This goes through the Kubeflow
 * gateway: oauth2-proxy or oidc-authservice, then the Dex login form. The client keeps the
 * session cookies and logs in again by itself when the session expires.
 * `createKfpClient` resolves only after the first login.
 */
export interface DexAuth {
  type: "dex";
  /** The Dex login name. This is usually the email; for LDAP it is the LDAP login name. Must not be empty. */
  username: string;
  /** The password. It is never included in error messages. */
  password: string;
  /**
   * The Dex connector id. The default is `"local"` (Dex's static users); use `"ldap"` for LDAP,
   * and so on. If Dex does not offer it, the login fails with `KFP_UNKNOWN_CONNECTOR`
   * ({@link KfpError.offeredConnectors} lists the ones it offers).
   * @defaultValue "local"
   */
  connector?: string | undefined;
}

/**
 * **Node only.** Send a Kubernetes ServiceAccount token as `Authorization: Bearer`. This is
 * Kubeflow's in-cluster auth for pods, and works like the Python SDK inside a pipeline or
 * notebook. The file is read again whenever it changes, because the kubelet rotates it. In a
 * browser, `createKfpClient` rejects with `KFP_UNSUPPORTED`.
 */
export interface ServiceAccountTokenAuth {
  type: "serviceAccountToken";
  /**
   * The path of the token file. The default is `$KF_PIPELINES_SA_TOKEN_PATH`, and if that is
   * not set, `/var/run/secrets/kubeflow/pipelines/token`. Must not be empty.
   */
  path?: string | undefined;
}

/**
 * Send `Authorization: Bearer <token>` on every request. Use it for tokens from an OIDC login
 * done elsewhere, `kubectl create token`, and so on.
 */
export interface BearerAuth {
  type: "bearer";
  /**
   * The token, or a function the client calls before **every** request. The function may return
   * a promise, which lets it refresh tokens. If it throws, rejects or returns an empty string,
   * the call fails with `KFP_TOKEN_UNAVAILABLE`. After a 401, the function is called once more,
   * and the request is retried if the token changed.
   */
  token: string | (() => string | Promise<string>);
}

/**
 * Use an existing gateway session, like the Python SDK's `kfp.Client(cookies=...)`. The client
 * cannot log in again: once the session expires, calls fail with `KFP_SESSION_EXPIRED`.
 */
export interface CookiesAuth {
  type: "cookies";
  /** A `Cookie` header value: `"name=value; name2=value2"`, e.g. `"authservice_session=..."`. */
  cookies: string;
}

/**
 * No credentials. This is the default. Use it for a port-forwarded API server, a gateway that
 * needs no login, or a browser page that is served by the gateway and relies on the browser's
 * own session cookies.
 */
export interface NoAuth {
  type: "none";
}

/** `options.auth`, told apart by `type`. */
/**
 * **Browser only.** Use the gateway session the user already has in this browser (a page served
 * from the gateway's origin, e.g. a dashboard behind the Kubeflow ingress). The browser sends its
 * own (HttpOnly) cookies. When there is no session, calls reject with `KFP_UNAUTHENTICATED` and
 * {@link KfpError.loginUrl}: send the user there (`location.assign(err.loginUrl)`) and they come
 * back to this page signed in. In Node, `createKfpClient` rejects with `KFP_UNSUPPORTED`.
 */
export interface BrowserAuth {
  type: "browser";
}

export type KfpAuth = DexAuth | ServiceAccountTokenAuth | BearerAuth | CookiesAuth | BrowserAuth | NoAuth;

/** The `type` of each {@link KfpAuth}; also {@link KfpClient.authType}. */
export type KfpAuthType = KfpAuth["type"];

/** The KFP REST API surfaces. v1-line backends (KFP 1.x, deployKF ≤ 0.1.4) serve only `v1beta1`. */
export type KfpApiVersion = "v2beta1" | "v1beta1";

/**
 * The second argument the client passes to `options.fetch`. It is always a subtype of
 * `RequestInit`, so `globalThis.fetch`, undici's `fetch`, or a wrapper around either fits.
 * On Node, when `skipTlsVerify` or `caCert` is set, the client also adds an undici `dispatcher`
 * (only to a custom `fetch`: without one, those clients use `node:https` and no `fetch`).
 */
export interface KfpFetchInit extends RequestInit {
  /** `"GET"`, `"POST"`, `"PUT"`, `"PATCH"` or `"DELETE"`. */
  method: string;
  /** Header names are lower-case. */
  headers: Record<string, string>;
  /** The request body, if there is one (JSON, or the Dex login form). */
  body?: Uint8Array & NonNullable<RequestInit["body"]>;
  /**
   * Redirects are never followed by `fetch`: the client handles each hop itself. That way the
   * cookie jar sees every `Set-Cookie`, and a password is never sent on a downgraded hop.
   */
  redirect: "manual";
  /** `"include"` in browsers, so that the browser sends its own gateway session. */
  credentials?: "include";
  /** `AbortSignal.timeout(timeoutMs)` when `timeoutMs` is set. */
  signal?: AbortSignal;
}

/**
 * A `fetch` the client can use. The client reads `status`, iterates `headers` (and calls
 * `headers.getSetCookie()`, which Node ≥ 19.7 and undici have) and reads the body with
 * `arrayBuffer()`.
 */
export type KfpFetch = (url: string, init: KfpFetchInit) => Promise<Response>;

/** The options of {@link createKfpClient} and {@link KfpClientManager}. */
export interface KfpClientOptions {
  /**
   * The KFP base URL. The client appends `/apis/v2beta1/...` to it. For example:
   * `https://kubeflow.example.com/pipeline` (through the Kubeflow gateway),
   * `http://ml-pipeline-ui.kubeflow` (the UI service in the cluster),
   * `http://localhost:8080/pipeline` (a port-forward). The URL must be absolute `http:` or
   * `https:` and must not contain a user name or password. A trailing slash, query or fragment is
   * dropped.
   */
  apiUrl: string;
  /**
   * How to authenticate.
   * @defaultValue `{ type: "none" }`
   */
  auth?: KfpAuth | undefined;
  /**
   * The default namespace (Kubeflow profile) for `listExperiments` and `createExperiment` when
   * the call does not name one, and for the other calls that take a `namespace` option where
   * their doc says so. Must not be empty. {@link KfpClient.setUserNamespace} changes it later.
   */
  namespace?: string | undefined;
  /**
   * **Node only** (through `node:https`; no package needed). Accept any TLS certificate, for test
   * deployments. The setting applies to this client only; nothing process-wide changes. In a
   * browser, `createKfpClient` rejects with `KFP_UNSUPPORTED`.
   * @defaultValue false
   */
  skipTlsVerify?: boolean | undefined;
  /**
   * **Node only** (through `node:https`; no package needed). One or more PEM certificates to trust
   * in addition to the system CAs. Pass the PEM text, not a file name, e.g.
   * `fs.readFileSync("ca.pem", "utf8")`.
   */
  caCert?: string | undefined;
  /**
   * The time limit for each HTTP request, in whole milliseconds (1 to 2^31 − 1). When it runs
   * out, the call fails with `KFP_TIMEOUT`. Without it, there is no limit.
   */
  timeoutMs?: number | undefined;
  /**
   * Extra headers sent on every request, e.g. `{ "kubeflow-userid": "user@example.com" }` when
   * talking straight to the API server. `Cookie` is not allowed: use `auth: { type: "cookies" }`.
   * `Authorization` is allowed only with `auth` type `"none"`.
   */
  headers?: Record<string, string> | undefined;
  /**
   * The `fetch` to use. The default is `globalThis.fetch`. With `skipTlsVerify` or `caCert`, it
   * is called with an extra undici `dispatcher` in the init, which needs the `undici` package
   * (6 or 7); without a custom `fetch`, those options need no package.
   */
  fetch?: KfpFetch | undefined;
  /**
   * Which KFP API to call. With `"auto"`, the client tries `v2beta1` and, on a server that does
   * not serve it, switches to `v1beta1` for good.
   * @defaultValue "auto"
   */
  apiVersion?: "auto" | KfpApiVersion | undefined;
  /** Cancels the first login (`KFP_ABORTED`). Later calls take their own `signal`. */
  signal?: AbortSignal | undefined;
  /**
   * Retries of idempotent `GET` requests that fail with 502, 503, 504, 429 or a network error,
   * with a delay that doubles from `minDelayMs` up to `maxDelayMs` (a `Retry-After` in seconds
   * replaces it). `false` turns retries off. A call that still fails rejects with the last error,
   * whose {@link KfpError.attempts} counts the requests made.
   * @defaultValue `{ retries: 2, minDelayMs: 200, maxDelayMs: 5000 }`
   */
  retry?: false | KfpRetryOptions | undefined;
  /**
   * A session saved with {@link KfpClient.exportSession}, to resume without logging in again
   * while its cookies last. With `auth` type `"dex"` as well, the client can log in again when
   * the session ends; otherwise calls then fail with `KFP_SESSION_EXPIRED`.
   */
  session?: KfpSession | undefined;
  /**
   * The largest answer body accepted, in bytes. A larger answer fails with
   * `KFP_RESPONSE_TOO_LARGE`.
   * @defaultValue 67108864 (64 MiB)
   */
  maxResponseBytes?: number | undefined;
}

/** `options.retry`: how often, and how long to wait, when an idempotent `GET` fails transiently. */
export interface KfpRetryOptions {
  /**
   * Retries after the first attempt: a whole number ≥ 0 (0 means no retry).
   * @defaultValue 2
   */
  retries?: number | undefined;
  /**
   * The delay before the first retry, in milliseconds; each later one doubles it.
   * @defaultValue 200
   */
  minDelayMs?: number | undefined;
  /**
   * The longest delay between two attempts, in milliseconds.
   * @defaultValue 5000
   */
  maxDelayMs?: number | undefined;
}

/** One cookie of a {@link KfpSession}, as the client's cookie jar holds it (RFC 6265). */
export interface KfpSessionCookie {
  /** The cookie name, e.g. `"oauth2_proxy"` or `"authservice_session"`. */
  name: string;
  /** The cookie value: a secret. */
  value: string;
  /** The host name it is sent to (and, unless `hostOnly`, its subdomains). */
  domain: string;
  /** The path prefix it is sent for. */
  path: string;
  /** When it expires, in milliseconds since the epoch. Absent for a session cookie. */
  expires?: number;
  /** Sent only over https. */
  secure: boolean;
  /** Set with `HttpOnly` (browsers hide it from scripts). */
  httpOnly: boolean;
  /** Sent only to `domain` itself, not to its subdomains (the cookie had no `Domain` attribute). */
  hostOnly: boolean;
}

/**
 * A client's login state, from {@link KfpClient.exportSession}: plain JSON, to store and pass
 * back as {@link KfpClientOptions.session}. It holds the session cookies, so keep it as secret as
 * a password. It never holds the password or a bearer token.
 */
export interface KfpSession {
  /** The format version of this object. */
  version: 1;
  /** The normalised `apiUrl` of the client that made it. */
  apiUrl: string;
  /** The auth type of the client that made it. */
  authType: KfpAuthType;
  /** The Dex user name, with auth type `"dex"`. */
  username?: string;
  /** The client's default namespace, when it had one. */
  namespace?: string;
  /** The cookie jar's cookies. */
  cookies: KfpSessionCookie[];
  /** When the session is expected to end, in milliseconds since the epoch, when known. */
  expiresAt?: number;
}

// ---------------------------------------------------------------------------------------------
// KFP response shapes
// ---------------------------------------------------------------------------------------------

/**
 * Whether an experiment or run is archived (v2beta1 `StorageState`). It is absent when
 * unspecified.
 */
export type StorageState = "STORAGE_STATE_UNSPECIFIED" | "AVAILABLE" | "ARCHIVED";

/** v2beta1 `Experiment.storage_state`: the same as {@link StorageState}. */
export type V2beta1ExperimentStorageState = StorageState;

/** v1beta1 `Experiment.storage_state`. It is absent when unspecified. */
export type V1beta1ExperimentStorageState = "STORAGESTATE_UNSPECIFIED" | "STORAGESTATE_AVAILABLE" | "STORAGESTATE_ARCHIVED";

/**
 * An experiment from the v2beta1 API (`v2beta1Experiment`). v1beta1 answers are converted to it.
 *
 * The `?: undefined` fields are {@link V1beta1Experiment}'s names, which the conversion removes.
 * They are declared so that code written for both shapes (`e.experiment_id ?? e.id`) compiles.
 */
export interface Experiment {
  /** The experiment id, set by the server. */
  experiment_id?: string;
  /** The name, unique within its namespace. */
  display_name?: string;
  /** What the experiment is for. */
  description?: string;
  /** RFC 3339 timestamp. */
  created_at?: string;
  /** The namespace (Kubeflow profile). In single-user mode it is absent. */
  namespace?: string;
  /** `"ARCHIVED"` after {@link KfpClient.archiveExperiment}. */
  storage_state?: StorageState;
  /** RFC 3339 timestamp. Servers from KFP 2.5 on send it. */
  last_run_created_at?: string;
  id?: undefined;
  name?: undefined;
  resource_references?: undefined;
}

/** The v2beta1 experiment: the same as {@link Experiment}. */
export type V2beta1Experiment = Experiment;

/** v1beta1 `ResourceReference.key.type`. */
export type V1beta1ResourceType = "UNKNOWN_RESOURCE_TYPE" | "EXPERIMENT" | "JOB" | "PIPELINE" | "PIPELINE_VERSION" | "NAMESPACE";

/** v1beta1 `ResourceReference`: for an experiment, one `NAMESPACE` reference with relationship `OWNER`. */
export interface V1beta1ResourceReference {
  key?: { type?: V1beta1ResourceType; id?: string };
  name?: string;
  relationship?: "UNKNOWN_RELATIONSHIP" | "OWNER" | "CREATOR";
}

/**
 * An experiment from the v1beta1 API (`apiExperiment`), as v1-line backends send it. The client's
 * methods convert it to an {@link Experiment}; you meet this shape only through
 * {@link KfpClient.request}.
 *
 * The `?: undefined` fields belong to {@link Experiment} (see there).
 */
export interface V1beta1Experiment {
  /** The experiment id, set by the server. */
  id?: string;
  /** The name, unique within its namespace. */
  name?: string;
  description?: string;
  /** RFC 3339 timestamp. */
  created_at?: string;
  /** The namespace, as `[{ key: { type: "NAMESPACE", id }, relationship: "OWNER" }]`. */
  resource_references?: V1beta1ResourceReference[];
  storage_state?: V1beta1ExperimentStorageState;
  experiment_id?: undefined;
  display_name?: undefined;
  namespace?: undefined;
  last_run_created_at?: undefined;
}

/**
 * An experiment in either API version's shape, e.g. from {@link KfpClient.request}.
 * `e.experiment_id !== undefined` narrows it to {@link Experiment}. The experiment methods
 * always resolve to an {@link Experiment}, which is assignable to it.
 */
export type KfpExperiment = Experiment | V1beta1Experiment;

/**
 * `google.rpc.Any` in JSON: the message type in `@type`, and the message's own fields beside it.
 * This is the one open model, because it can hold any message.
 */
export interface ProtobufAny {
  /** The message type, e.g. `"type.googleapis.com/google.rpc.ErrorInfo"`. */
  "@type"?: string;
  /** The message's fields. */
  [field: string]: unknown;
}

/** `google.rpc.Status`: an error that KFP reports inside an object rather than as the answer. */
export interface Status {
  /** The gRPC status code, e.g. 5 (NOT_FOUND). */
  code?: number;
  /** The error message, in English. */
  message?: string;
  /** Details, one message each. */
  details?: ProtobufAny[];
}

/** v2beta1 `Url`: where a pipeline version's package was fetched from. */
export interface Url {
  /** The URL of the pipeline package. */
  pipeline_url?: string;
}

/** A pipeline from the v2beta1 API (`v2beta1Pipeline`): the parent of its versions. */
export interface Pipeline {
  /** The pipeline id, set by the server. */
  pipeline_id?: string;
  /** The name shown in the UI. Up to KFP 2.5 it is also the unique name. */
  display_name?: string;
  /** The unique name, separate from `display_name`. Servers from KFP 2.14 on send it. */
  name?: string;
  /** What the pipeline does. */
  description?: string;
  /** RFC 3339 timestamp. */
  created_at?: string;
  /** The namespace it belongs to; absent for a shared pipeline. */
  namespace?: string;
  /** User-defined tags (keys and values up to 63 characters). Servers from KFP 2.17 on send them. */
  tags?: Record<string, string>;
  /** Set instead of the other fields when the server could not read this pipeline (in lists). */
  error?: Status;
}

/** A pipeline version from the v2beta1 API (`v2beta1PipelineVersion`): one uploaded package. */
export interface PipelineVersion {
  /** The id of the parent pipeline. */
  pipeline_id?: string;
  /** The version id, set by the server. */
  pipeline_version_id?: string;
  /** The name shown in the UI. Up to KFP 2.5 it is also the unique name. */
  display_name?: string;
  /** The unique name, separate from `display_name`. Servers from KFP 2.14 on send it. */
  name?: string;
  /** What this version changes. */
  description?: string;
  /** RFC 3339 timestamp. */
  created_at?: string;
  /** Where the package was fetched from, for versions created from a URL. */
  package_url?: Url;
  /** A link to the code the package was compiled from. */
  code_source_url?: string;
  /** The compiled pipeline (PipelineSpec, or `{pipeline_spec, platform_spec}`), as JSON. */
  pipeline_spec?: Record<string, unknown>;
  /** User-defined tags (keys and values up to 63 characters). Servers from KFP 2.17 on send them. */
  tags?: Record<string, string>;
  /** Set instead of the other fields when the server could not read this version (in lists). */
  error?: Status;
}

/**
 * The state of a run or task (v2beta1 `RuntimeState`). Terminal states: `SUCCEEDED`, `SKIPPED`,
 * `FAILED`, `CANCELED`. A run without `state` is unspecified: not finished.
 */
export type RuntimeState =
  | "RUNTIME_STATE_UNSPECIFIED"
  | "PENDING"
  | "RUNNING"
  | "SUCCEEDED"
  | "SKIPPED"
  | "FAILED"
  | "CANCELING"
  | "CANCELED"
  | "PAUSED";

/** One entry of a state history: a state, when it was entered, and its error if any. */
export interface RuntimeStatus {
  /** RFC 3339 timestamp of the change. */
  update_time?: string;
  /** The state entered. */
  state?: RuntimeState;
  /** The error that came with this state (final when the state is `FAILED`). */
  error?: Status;
}

/** v2beta1 `RuntimeConfig`: the parameter values and output root of a run. */
export interface RuntimeConfig {
  /** Pipeline parameter values by name, as JSON values. */
  parameters?: Record<string, unknown>;
  /** The object-store path under which the run writes its outputs. */
  pipeline_root?: string;
}

/** Which uploaded pipeline version a run or recurring run uses. */
export interface PipelineVersionReference {
  /** The pipeline id. */
  pipeline_id?: string;
  /** The version id. From KFP 2.5 on it may be left out: the latest version is used. */
  pipeline_version_id?: string;
}

/** v2beta1 `ArtifactList`: ML Metadata artifact ids. */
export interface ArtifactList {
  /** ML Metadata artifact ids (int64 as strings). */
  artifact_ids?: string[];
}

/** v2beta1 `PipelineTaskExecutorDetail`: the Kubernetes jobs behind a task. */
export interface PipelineTaskExecutorDetail {
  /** The job of the main container. */
  main_job?: string;
  /** The job of the pre-caching check, when the spec has that hook. */
  pre_caching_check_job?: string;
  /** Earlier failed attempts of the main job, oldest first. */
  failed_main_jobs?: string[];
  /** Earlier failed attempts of the pre-caching check, oldest first. */
  failed_pre_caching_check_jobs?: string[];
}

/** A task that depends on another one, by task id or pod name. */
export interface PipelineTaskDetailChildTask {
  /** The task id. */
  task_id?: string;
  /** The pod (Argo node) name, also called node id. */
  pod_name?: string;
}

/** One task of a run (v2beta1 `PipelineTaskDetail`). */
export interface PipelineTaskDetail {
  /** The id of the run it belongs to. */
  run_id?: string;
  /** The task id, set by the server. */
  task_id?: string;
  /** The task name from the pipeline spec. */
  display_name?: string;
  /** RFC 3339 timestamp of creation. */
  create_time?: string;
  /** RFC 3339 timestamp of the start. */
  start_time?: string;
  /** RFC 3339 timestamp of the end. */
  end_time?: string;
  /** The jobs that executed it. */
  executor_detail?: PipelineTaskExecutorDetail;
  /** The task's state. */
  state?: RuntimeState;
  /** The ML Metadata execution id (int64 as a string). */
  execution_id?: string;
  /** Why it failed or was cancelled. */
  error?: Status;
  /** Input artifacts by input name. */
  inputs?: Record<string, ArtifactList>;
  /** Output artifacts by output name. */
  outputs?: Record<string, ArtifactList>;
  /** The enclosing task's id; absent at the root of the DAG. */
  parent_task_id?: string;
  /** Every state the task went through, oldest first. */
  state_history?: RuntimeStatus[];
  /** The pod (Argo node) name, also called node id: what the pod-log endpoint takes. */
  pod_name?: string;
  /** The tasks that wait for this one. */
  child_tasks?: PipelineTaskDetailChildTask[];
}

/** v2beta1 `RunDetails`: the ML Metadata contexts and the tasks of a run. */
export interface RunDetails {
  /** The ML Metadata context of the pipeline (int64 as a string). */
  pipeline_context_id?: string;
  /** The ML Metadata context of this run (int64 as a string). */
  pipeline_run_context_id?: string;
  /** The run's tasks. */
  task_details?: PipelineTaskDetail[];
}

/** The state of a plugin's own work, apart from the run's outcome (KFP 2.17+). */
export type PluginState = "PLUGIN_STATE_UNSPECIFIED" | "PLUGIN_RUNNING" | "PLUGIN_SUCCEEDED" | "PLUGIN_FAILED";

/** One value a plugin reports, with a hint for the UI (KFP 2.17+). */
export interface MetadataValue {
  /** Any JSON value. */
  value?: unknown;
  /** `"URL"` when the UI should show it as a link. */
  render_type?: "UNSPECIFIED" | "URL";
}

/** What one plugin reports about a run (KFP 2.17+). */
export interface PluginOutput {
  /** Reported values by key. */
  entries?: Record<string, MetadataValue>;
  /** The plugin's state. */
  state?: PluginState;
  /** A message about that state. */
  state_message?: string;
}

/** A run from the v2beta1 API (`v2beta1Run`). */
export interface Run {
  /** The id of the experiment it belongs to. */
  experiment_id?: string;
  /** The run id, set by the server. */
  run_id?: string;
  /** The run name (not unique). */
  display_name?: string;
  /** `"ARCHIVED"` after {@link KfpClient.archiveRun}. */
  storage_state?: StorageState;
  /** What the run is for. */
  description?: string;
  /** Deprecated: read `pipeline_version_reference.pipeline_version_id`. */
  pipeline_version_id?: string;
  /** The embedded pipeline (PipelineSpec, or `{pipeline_spec, platform_spec}`), when the run was created from a package. */
  pipeline_spec?: Record<string, unknown>;
  /** The uploaded pipeline version it runs, when it was created from one. */
  pipeline_version_reference?: PipelineVersionReference;
  /** The parameter values and pipeline root. */
  runtime_config?: RuntimeConfig;
  /** The Kubernetes service account the run's pods use. */
  service_account?: string;
  /** RFC 3339 timestamp of creation. */
  created_at?: string;
  /** RFC 3339 timestamp the run was scheduled for; differs from `created_at` for catch-up runs. */
  scheduled_at?: string;
  /** RFC 3339 timestamp of the end. */
  finished_at?: string;
  /** The run's state; absent while unspecified. */
  state?: RuntimeState;
  /** Why the run failed, or, in lists, set instead of the other fields when it could not be read. */
  error?: Status;
  /** The ML Metadata contexts and the tasks. */
  run_details?: RunDetails;
  /** The recurring run that started it, if one did. */
  recurring_run_id?: string;
  /** Every state the run went through, oldest first. */
  state_history?: RuntimeStatus[];
  /** Plugin inputs by plugin name, e.g. `{ mlflow: {...} }`. Servers from KFP 2.17 on send them. */
  plugins_input?: Record<string, Record<string, unknown>>;
  /** Plugin outputs by plugin name. Servers from KFP 2.17 on send them. */
  plugins_output?: Record<string, PluginOutput>;
}

/** A cron trigger. The expression has 6 fields, seconds first (robfig/cron): `"0 0 * * * *"` is hourly. */
export interface CronSchedule {
  /** RFC 3339 timestamp: no runs before it. */
  start_time?: string;
  /** RFC 3339 timestamp: no runs after it. */
  end_time?: string;
  /** The cron expression. */
  cron?: string;
}

/** An interval trigger. */
export interface PeriodicSchedule {
  /** RFC 3339 timestamp: no runs before it. */
  start_time?: string;
  /** RFC 3339 timestamp: no runs after it. */
  end_time?: string;
  /** Seconds between two runs (int64 as a string). */
  interval_second?: string;
}

/** What starts the runs of a recurring run: one of the two schedules. */
export interface Trigger {
  /** Start runs on a cron schedule. */
  cron_schedule?: CronSchedule;
  /** Start runs at a fixed interval. */
  periodic_schedule?: PeriodicSchedule;
}

/** The mode a recurring run was created with. Later changes go through enable and disable. */
export type RecurringRunMode = "MODE_UNSPECIFIED" | "ENABLE" | "DISABLE";

/** Whether a recurring run currently schedules runs. */
export type RecurringRunStatus = "STATUS_UNSPECIFIED" | "ENABLED" | "DISABLED";

/** A recurring run (v1beta1: job) from the v2beta1 API (`v2beta1RecurringRun`). */
export interface RecurringRun {
  /** The recurring run id, set by the server. */
  recurring_run_id?: string;
  /** The name (not unique). */
  display_name?: string;
  /** What it is for. */
  description?: string;
  /** Deprecated: read `pipeline_version_reference.pipeline_version_id`. */
  pipeline_version_id?: string;
  /** The embedded pipeline, when it was created from a package. */
  pipeline_spec?: Record<string, unknown>;
  /** The uploaded pipeline version it runs, when it was created from one. */
  pipeline_version_reference?: PipelineVersionReference;
  /** The parameter values and pipeline root of every run it starts. */
  runtime_config?: RuntimeConfig;
  /** The Kubernetes service account of the runs' pods. */
  service_account?: string;
  /** How many of its runs may run at once, 1 to 10 (int64 as a string). */
  max_concurrency?: string;
  /** When runs start. */
  trigger?: Trigger;
  /** The mode it was created with. */
  mode?: RecurringRunMode;
  /** RFC 3339 timestamp of creation. */
  created_at?: string;
  /** RFC 3339 timestamp of the last change. */
  updated_at?: string;
  /** Whether it currently schedules runs. */
  status?: RecurringRunStatus;
  /** Set instead of the other fields when the server could not read it (in lists). */
  error?: Status;
  /** True: after a pause, start only the latest missed run instead of every one. */
  no_catchup?: boolean;
  /** The namespace, from its experiment. */
  namespace?: string;
  /** The id of the experiment its runs belong to. */
  experiment_id?: string;
  /** Plugin inputs passed to every run it starts. Servers from KFP 2.17 on send them. */
  plugins_input?: Record<string, Record<string, unknown>>;
}

/** The fields every list answer shares. */
interface KfpListPage {
  /** How many items match the query in total. It is absent when there are none. */
  total_size?: number;
  /** Pass it as `pageToken` to get the next page. It is absent on the last page. */
  next_page_token?: string;
}

/** What {@link KfpClient.listExperiments} resolves to (v2beta1 `ListExperimentsResponse`). */
export interface ListExperimentsResponse extends KfpListPage {
  /** Always present; `[]` when there are none, even though KFP itself leaves the key out. */
  experiments: Experiment[];
}

/** `ListExperimentsResponse` of the v2beta1 API: the same as {@link ListExperimentsResponse}. */
export type V2beta1ListExperimentsResponse = ListExperimentsResponse;

/** `ListExperimentsResponse` of the v1beta1 API, as v1-line backends send it (converted by the client's methods). */
export interface V1beta1ListExperimentsResponse extends KfpListPage {
  /** The experiments; KFP leaves the key out when there are none. */
  experiments: V1beta1Experiment[];
}

/** What {@link KfpClient.listPipelines} resolves to. */
export interface ListPipelinesResponse extends KfpListPage {
  /** Always present; `[]` when there are none, even though KFP itself leaves the key out. */
  pipelines: Pipeline[];
}

/** What {@link KfpClient.listPipelineVersions} resolves to. */
export interface ListPipelineVersionsResponse extends KfpListPage {
  /** Always present; `[]` when there are none, even though KFP itself leaves the key out. */
  pipeline_versions: PipelineVersion[];
}

/** What {@link KfpClient.listRuns} resolves to. */
export interface ListRunsResponse extends KfpListPage {
  /** Always present; `[]` when there are none, even though KFP itself leaves the key out. */
  runs: Run[];
}

/** What {@link KfpClient.listRecurringRuns} resolves to. */
export interface ListRecurringRunsResponse extends KfpListPage {
  /**
   * Always present; `[]` when there are none. camelCase, unlike every other key: KFP's proto
   * field is literally `recurringRuns`.
   */
  recurringRuns: RecurringRun[];
}

/**
 * healthz as answered by the KFP API server (`ml-pipeline`): `{commit_sha, tag_name, multi_user}`.
 * The `?: undefined` fields belong to {@link KfpUiHealthz}.
 */
export interface KfpApiServerHealthz {
  /** True when KFP runs in multi-user mode (namespaces, one per Kubeflow profile). */
  multi_user?: boolean;
  /** The KFP version, e.g. `"2.3.0"`. */
  tag_name?: string;
  commit_sha?: string;
  /** Servers from KFP 2.14 on send it. With `"kubernetes"`, filters support fewer operations. */
  pipeline_store?: "database" | "kubernetes";
  apiServerTagName?: undefined;
  apiServerCommitHash?: undefined;
  apiServerMultiUser?: undefined;
  apiServerReady?: undefined;
  buildDate?: undefined;
  frontendCommitHash?: undefined;
  frontendTagName?: undefined;
}

/**
 * healthz as answered by the KFP UI server (`ml-pipeline-ui`). This is what you get through the
 * Kubeflow gateway (`https://host/pipeline`) or the UI service. The `?: undefined` fields belong
 * to {@link KfpApiServerHealthz}.
 */
export interface KfpUiHealthz {
  /** The UI's multi-user setting: the same meaning as on the API server. */
  multi_user?: boolean;
  /** The API server's KFP version, e.g. `"2.3.0"`. */
  apiServerTagName?: string;
  apiServerCommitHash?: string;
  apiServerMultiUser?: boolean;
  /** False when the UI could not reach the API server. */
  apiServerReady?: boolean;
  buildDate?: string;
  frontendCommitHash?: string;
  frontendTagName?: string;
  tag_name?: undefined;
  commit_sha?: undefined;
  pipeline_store?: undefined;
}

/**
 * What {@link KfpClient.healthz} resolves to. Only `multi_user` is common to both shapes. Read
 * the version as `h.tag_name ?? h.apiServerTagName`.
 */
export type Healthz = KfpApiServerHealthz | KfpUiHealthz;

/** The same as {@link Healthz}. */
export type HealthzResponse = Healthz;

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/**
 * A filter operation, as an enum name or a number. The zero value is named
 * `OPERATION_UNSPECIFIED` in v2beta1 and `UNKNOWN` in v1beta1. There is no 4.
 */
export type PredicateOperation =
  | "OPERATION_UNSPECIFIED"
  | "UNKNOWN"
  | "EQUALS"
  | "NOT_EQUALS"
  | "GREATER_THAN"
  | "GREATER_THAN_EQUALS"
  | "LESS_THAN"
  | "LESS_THAN_EQUALS"
  | "IN"
  | "IS_SUBSTRING"
  | 0
  | 1
  | 2
  | 3
  | 5
  | 6
  | 7
  | 8
  | 9;

/** The same as {@link PredicateOperation}. */
export type KfpFilterOperation = PredicateOperation;

/** The value fields of a predicate; set one of them. `IN` takes a `*_values` list, the others a scalar. */
interface KfpPredicateValues {
  /** A 32-bit integer. */
  int_value?: number;
  /** int64: a number, or a string for values beyond 2^53. */
  long_value?: number | string;
  /** A string; the only value `IS_SUBSTRING` takes. */
  string_value?: string;
  /** RFC 3339, e.g. `"2024-01-01T00:00:00Z"` (compared in whole seconds). */
  timestamp_value?: string;
  /** 32-bit integers, for `IN`. */
  int_values?: { values: number[] };
  /** int64 values, for `IN`. */
  long_values?: { values: Array<number | string> };
  /** Strings, for `IN`. */
  string_values?: { values: string[] };
}

/**
 * One condition of a {@link Filter}. Give the operation as `operation` (v2beta1's name) or
 * `op` (v1beta1's). The client renames it to what the server in use expects.
 */
export type Predicate = KfpPredicateValues & {
  /** The field, e.g. `"display_name"`, `"created_at"`; v1beta1 uses `"name"`, `"id"`. */
  key: string;
} & ({ operation: PredicateOperation; op?: undefined } | { op: PredicateOperation; operation?: undefined });

/** The same as {@link Predicate}. */
export type KfpPredicate = Predicate;

/**
 * KFP's `Filter`: all predicates must hold (AND). The client encodes it the way the server
 * expects (JSON, encoded twice in the query). Write one by hand or with the {@link Filter}
 * builder.
 */
export interface Filter {
  /** The conditions, all of which must hold. */
  predicates: Predicate[];
}

/** The same as {@link Filter}. */
export type KfpFilter = Filter;

/**
 * The type of the {@link Filter} builder. Each function returns a one-predicate filter written
 * with `operation`; {@link FilterBuilder.and} joins them. A string value becomes
 * `string_value`, a number an integer value, a `Date` a `timestamp_value`.
 */
export interface FilterBuilder {
  /** `key` equals `value` (`EQUALS`). */
  equals(key: string, value: string | number | Date): Filter;
  /** `key` does not equal `value` (`NOT_EQUALS`). */
  notEquals(key: string, value: string | number | Date): Filter;
  /** `key` is greater than `value` (`GREATER_THAN`). */
  greaterThan(key: string, value: string | number | Date): Filter;
  /** `key` is greater than or equal to `value` (`GREATER_THAN_EQUALS`). */
  greaterThanEquals(key: string, value: string | number | Date): Filter;
  /** `key` is less than `value` (`LESS_THAN`). */
  lessThan(key: string, value: string | number | Date): Filter;
  /** `key` is less than or equal to `value` (`LESS_THAN_EQUALS`). */
  lessThanEquals(key: string, value: string | number | Date): Filter;
  /** `key` is one of `values` (`IN`, with `string_values` or an integer list). */
  in(key: string, values: string[] | number[]): Filter;
  /** `key` contains `value` (`IS_SUBSTRING`, SQL `LIKE %value%`). */
  isSubstring(key: string, value: string): Filter;
  /** All of `filters` hold: their predicates, concatenated (KFP ANDs predicates). */
  and(...filters: Filter[]): Filter;
}

/**
 * Builds {@link Filter}s for the `filter` option of the list calls:
 * `Filter.and(Filter.in("state", ["FAILED", "CANCELED"]), Filter.greaterThan("created_at", new Date("2024-01-01")))`.
 */
export declare const Filter: FilterBuilder;

/** Options every call takes. */
export interface CallOptions {
  /**
   * Cancels the call: it rejects with `KFP_ABORTED`. Combined with `timeoutMs` when both are set.
   * A new login that the call triggers is shared with other calls and is not cancelled.
   */
  signal?: AbortSignal | undefined;
}

/** Paging, sorting and filtering, which every list call takes. Every field is optional. */
export interface PagingOptions extends CallOptions {
  /**
   * Items per page: a whole number ≥ 0. The server uses 20 when it is 0 or absent, and allows at
   * most 200.
   */
  pageSize?: number | undefined;
  /**
   * `next_page_token` of the previous page. Pass the same `sortBy` and `filter` as that page, or
   * leave both out.
   */
  pageToken?: string | undefined;
  /** `"field"`, `"field asc"` or `"field desc"`, e.g. `"created_at desc"`. */
  sortBy?: string | undefined;
  /** A {@link Filter}, or its JSON text. `""` means no filter. */
  filter?: Filter | string | undefined;
}

/** The options of the list calls: paging and a namespace. Every field is optional. */
export interface ListOptions extends PagingOptions {
  /**
   * The namespace to list. For experiments, runs and recurring runs it defaults to the client's
   * {@link KfpClientOptions.namespace} (unless `experimentId` is given, which scopes the list by
   * itself); for pipelines only a namespace given here is sent, as in the Python SDK, since
   * pipelines may be shared.
   */
  namespace?: string | undefined;
}

/** The same as {@link ListOptions}: the parameters of {@link KfpClient.listExperiments}. */
export type ListParams = ListOptions;

/** The options of {@link KfpClient.listRuns}. */
export interface ListRunsOptions extends ListOptions {
  /** Only the runs of this experiment. When it is given, no namespace is sent. */
  experimentId?: string | undefined;
}

/** The options of {@link KfpClient.listRecurringRuns}. */
export interface ListRecurringRunsOptions extends ListOptions {
  /** Only the recurring runs of this experiment. */
  experimentId?: string | undefined;
}

/** Find an experiment or pipeline by name instead of id. */
export interface NameQuery {
  /** The name: `display_name` for experiments; the pipeline name for pipelines. */
  name: string;
  /** The namespace to look in. For experiments it defaults to the client's {@link KfpClientOptions.namespace}. */
  namespace?: string | undefined;
}

/** The options of {@link KfpClient.createExperiment}. */
export interface CreateExperimentOptions extends CallOptions {
  /** What the experiment is for. */
  description?: string | undefined;
  /** The namespace to create it in. It defaults to the client's {@link KfpClientOptions.namespace}. */
  namespace?: string | undefined;
}

/** Options with a namespace, e.g. of {@link KfpClient.getPipelineId}. */
export interface NamespaceOptions extends CallOptions {
  /** The namespace to look in; without it, shared pipelines. */
  namespace?: string | undefined;
}

/** The options of {@link KfpClient.deletePipeline}. */
export interface DeletePipelineOptions extends CallOptions {
  /**
   * Delete its versions too (`?cascade=true`, KFP 2.14+). Without it, a pipeline that still has
   * versions cannot be deleted.
   * @defaultValue false
   */
  cascade?: boolean | undefined;
}

/**
 * A compiled pipeline, as the KFP SDK writes it: the YAML or JSON text (a YAML file may hold a
 * second document, the platform spec), or those bytes. A `Blob` (or `File`) is read first.
 */
export type PipelinePackage = string | Uint8Array | ArrayBuffer | Blob;

/** The options of {@link KfpClient.uploadPipeline}. */
export interface UploadPipelineOptions extends CallOptions {
  /** The pipeline's unique name. It defaults to `pipelineInfo.name` from the package. */
  name?: string | undefined;
  /** The name shown in the UI (KFP 2.14+; older servers ignore it). */
  displayName?: string | undefined;
  /** What the pipeline does. */
  description?: string | undefined;
  /** The namespace to upload it to; without it, a shared pipeline. */
  namespace?: string | undefined;
}

/** The options of {@link KfpClient.uploadPipelineVersion}: exactly one of `pipelineId` and `pipelineName`. */
export type UploadPipelineVersionOptions = (
  | {
      /** The id of the pipeline to add the version to. */
      pipelineId: string;
      pipelineName?: undefined;
    }
  | {
      /** The name of the pipeline to add the version to; its id is looked up first. */
      pipelineName: string;
      pipelineId?: undefined;
    }
) & {
  /** The version's name. It defaults to the name the server derives from the package. */
  versionName?: string | undefined;
  /** What this version changes. */
  description?: string | undefined;
  /** The namespace of the pipeline, for the lookup by `pipelineName`. */
  namespace?: string | undefined;
} & CallOptions;

/**
 * Which pipeline a run or recurring run executes: a package, embedded in the request (nothing is
 * uploaded), or an uploaded pipeline by id and version id.
 */
export type RunPipelineSource =
  | {
      /** The compiled pipeline to embed as `pipeline_spec`. */
      pipelinePackage: PipelinePackage;
      pipelineId?: undefined;
      versionId?: undefined;
    }
  | {
      /** The uploaded pipeline's id. */
      pipelineId: string;
      /** The version to run. KFP 2.5+ runs the latest version when it is left out. */
      versionId?: string | undefined;
      pipelinePackage?: undefined;
    };

/** What every run-creating call accepts besides the pipeline. */
export interface RunSettings extends CallOptions {
  /**
   * Pipeline parameter values by name: plain JSON data (objects, arrays, strings, finite
   * numbers, booleans, `null`; a `Date` is sent as its ISO text). A function, `Map`, class
   * instance, `NaN`, `BigInt` or cycle rejects with `ERR_INVALID_ARG_VALUE`.
   */
  params?: Record<string, unknown> | undefined;
  /** The object-store path for the run's outputs (`runtime_config.pipeline_root`). */
  pipelineRoot?: string | undefined;
  /** Turn caching on or off for every task, overriding what the package says. */
  enableCaching?: boolean | undefined;
  /** The Kubernetes service account for the run's pods. */
  serviceAccount?: string | undefined;
  /** What the run is for. */
  description?: string | undefined;
}

/** The options of {@link KfpClient.runPipeline}: the settings and the pipeline to run. */
export type RunPipelineOptions = RunSettings & RunPipelineSource;

/** The options of {@link KfpClient.createRunFromPipelinePackage}. Every field is optional. */
export interface CreateRunFromPipelinePackageOptions extends CallOptions {
  /** Pipeline parameter values by name: plain JSON data, as {@link RunSettings.params}. */
  arguments?: Record<string, unknown> | undefined;
  /** The run name. It defaults to the pipeline name and the current time. */
  runName?: string | undefined;
  /** The experiment, by name: found, or created if there is none. It defaults to `"Default"`. */
  experimentName?: string | undefined;
  /** The experiment, by id; wins over `experimentName`. */
  experimentId?: string | undefined;
  /** The namespace of the experiment. It defaults to the client's {@link KfpClientOptions.namespace}. */
  namespace?: string | undefined;
  /** The object-store path for the run's outputs (`runtime_config.pipeline_root`). */
  pipelineRoot?: string | undefined;
  /** Turn caching on or off for every task, overriding what the package says. */
  enableCaching?: boolean | undefined;
  /** The Kubernetes service account for the run's pods. */
  serviceAccount?: string | undefined;
  /** What the run is for. */
  description?: string | undefined;
}

/** The options of {@link KfpClient.waitForRunCompletion} and {@link KfpClient.waitForRunStatus}. */
export interface WaitForRunOptions extends CallOptions {
  /**
   * Give up after this many milliseconds: the call rejects with `KFP_TIMEOUT`, and
   * {@link KfpError.run} holds the run as last seen.
   */
  timeoutMs?: number | undefined;
  /** Milliseconds between two polls. */
  pollIntervalMs?: number | undefined;
  /** Called with the run after each poll. */
  onProgress?: ((run: Run) => void) | undefined;
}

/** When a recurring run starts runs: exactly one of a cron expression and an interval. */
export type RecurringRunSchedule =
  | {
      /** A cron expression with 6 fields, seconds first (robfig/cron): `"0 0 2 * * *"` is every day at 02:00. */
      cronExpression: string;
      intervalSecond?: undefined;
    }
  | {
      /** Seconds between two runs: a whole number ≥ 1. */
      intervalSecond: number;
      cronExpression?: undefined;
    };

/** What {@link KfpClient.createRecurringRun} accepts besides the schedule and the pipeline. */
export interface RecurringRunSettings extends RunSettings {
  /** No runs before this time (a `Date`, or RFC 3339 text). */
  startTime?: Date | string | undefined;
  /** No runs after this time (a `Date`, or RFC 3339 text). */
  endTime?: Date | string | undefined;
  /**
   * How many of its runs may run at once, 1 to 10.
   * @defaultValue 1
   */
  maxConcurrency?: number | undefined;
  /** After a pause, start only the latest missed run instead of every one. */
  noCatchup?: boolean | undefined;
  /**
   * Create it enabled (`mode: "ENABLE"`) or disabled.
   * @defaultValue true
   */
  enabled?: boolean | undefined;
}

/** The options of {@link KfpClient.createRecurringRun}: the settings, a schedule, and the pipeline. */
export type CreateRecurringRunOptions = RecurringRunSettings & RecurringRunSchedule & RunPipelineSource;

/** One query value of {@link KfpClient.request}. `null` and `undefined` are skipped. */
export type KfpQueryScalar = string | number | boolean | null | undefined;

/** The options of {@link KfpClient.request}. */
export interface KfpRequestOptions extends CallOptions {
  /**
   * Query parameters, appended in order, with each key and value encoded once. An array repeats
   * the key. A KFP `filter` here is sent as you give it; {@link KfpClient.listExperiments} does
   * the filter's double encoding for you.
   */
  query?: Record<string, KfpQueryScalar | ReadonlyArray<KfpQueryScalar>> | undefined;
  /**
   * A JSON body: plain objects, arrays, strings, numbers, booleans and `null`. It is sent with
   * `Content-Type: application/json`. A `GET` cannot have one.
   */
  body?: unknown;
}

/** HTTP methods {@link KfpClient.request} accepts. Case does not matter. */
export type KfpHttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

// ---------------------------------------------------------------------------------------------
// Entry points
// ---------------------------------------------------------------------------------------------

/**
 * Checks the options, builds a client and, for `auth.type: "dex"`, logs in.
 *
 * @returns A promise of the client. With Dex auth, it resolves after the first login.
 * @throws The promise rejects; it never throws synchronously:
 * - with a `TypeError` ({@link KfpArgumentError}) for a bad option;
 * - with a {@link KfpError}: `KFP_INVALID_CREDENTIALS`, `KFP_UNKNOWN_CONNECTOR`,
 *   `KFP_LOGIN_FAILED`, `KFP_UNSUPPORTED` (e.g. `skipTlsVerify` in a browser), `KFP_NETWORK_ERROR`, ….
 */
export declare function createKfpClient(options: KfpClientOptions): Promise<KfpClient>;

/**
 * Holds options and makes logged-in clients. It mirrors the `KFPClientManager` of the Kubeflow
 * docs' Python recipe. Each {@link KfpClientManager.createKfpClient} call gives a new client,
 * with its own session.
 */
export declare class KfpClientManager {
  /**
   * Checks the options at once.
   * @throws `TypeError` ({@link KfpArgumentError}) synchronously for a bad option, or a
   *   {@link KfpError} `KFP_UNSUPPORTED` for an option this platform cannot honour.
   */
  constructor(options: KfpClientOptions);
  /** Same as `createKfpClient(options)`: builds a client and logs in (Dex). */
  createKfpClient(): Promise<KfpClient>;
  /** Frees the WebAssembly memory now instead of at garbage collection. Do not use the object afterwards. */
  free(): void;
}

/**
 * A KFP client with its own session, cookie jar and TLS settings. Get one from
 * {@link createKfpClient}; it has no public constructor.
 *
 * Every call:
 * - sends the session cookies or bearer token;
 * - with Dex auth, logs in again once (one login shared by concurrent calls) and retries when the
 *   session has expired;
 * - in `apiVersion: "auto"` mode, switches to `v1beta1` on servers that lack `v2beta1`.
 *
 * Calls reject with a {@link KfpError}, or with a `TypeError` ({@link KfpArgumentError}) for a bad
 * argument.
 */
export declare class KfpClient {
  private constructor();

  // --- Server and session --------------------------------------------------------------------

  /**
   * `GET {apiUrl}/apis/v2beta1/healthz` (or `/apis/v1beta1/healthz`): is KFP up, which version
   * is it, and is it in multi-user mode? Python: `get_kfp_healthz()`.
   */
  healthz(options?: CallOptions): Promise<Healthz>;

  /** The default namespace ({@link KfpClient.namespace}). No request. Python: `get_user_namespace()`. */
  getUserNamespace(): string | undefined;

  /**
   * Sets the default namespace of later calls; `undefined` clears it. No request. Python:
   * `set_user_namespace()`, except that nothing is written to a context file.
   */
  setUserNamespace(namespace: string | undefined): void;

  /**
   * The login state as plain JSON, to resume later without a new login:
   * `createKfpClient({ apiUrl, auth, session })`. No request. No Python equivalent. It holds
   * the session cookies: store it as you would a password.
   */
  exportSession(): KfpSession;

  /**
   * The `Cookie` header value this client sends to `apiUrl`, e.g. to hand the session to the
   * Python SDK (`kfp.Client(cookies=...)`). No request is made. `undefined` when there is no
   * session.
   */
  getSessionCookies(): string | undefined;

  /**
   * With Dex auth: logs in again now and replaces the session. If a login is already under way,
   * it waits for that one. With other auth types it does nothing.
   */
  login(): Promise<void>;

  // --- Experiments ---------------------------------------------------------------------------

  /**
   * Creates an experiment: `POST {apiUrl}/apis/v2beta1/experiments` with
   * `{display_name, description?, namespace?}`. On v1beta1, the body is
   * `{name, description?, resource_references: [NAMESPACE, OWNER]}`. The namespace is
   * `options.namespace`, else the client's. Python: `create_experiment()`, which returns an
   * existing experiment of that name instead of failing.
   * @throws `KFP_CONFLICT` when an experiment with this name already exists there.
   */
  createExperiment(name: string, options?: CreateExperimentOptions): Promise<Experiment>;

  /**
   * Gets one experiment: `GET {apiUrl}/apis/v2beta1/experiments/{id}` (v1beta1: the same path).
   * Python: `get_experiment(experiment_id=...)`.
   * @throws `KFP_NOT_FOUND` when there is no such experiment.
   */
  getExperiment(id: string, options?: CallOptions): Promise<Experiment>;
  /**
   * Gets one experiment by name: `GET {apiUrl}/apis/v2beta1/experiments?filter=…&namespace=…`,
   * filtering on `display_name` (v1beta1: on `name`). The namespace defaults to the client's.
   * Python: `get_experiment(experiment_name=..., namespace=...)`.
   * @throws `KFP_NOT_FOUND` when there is no experiment of that name.
   */
  getExperiment(query: NameQuery, options?: CallOptions): Promise<Experiment>;

  /**
   * Lists one page of experiments: `GET {apiUrl}/apis/v2beta1/experiments?namespace=…&page_size=…&page_token=…&sort_by=…&filter=…`.
   * On v1beta1, the namespace is sent as `resource_reference_key.type=NAMESPACE&resource_reference_key.id=…`.
   * `experiments` is always an array. For the next page, pass `next_page_token` as `pageToken`.
   * Python: `list_experiments()`.
   */
  listExperiments(options?: ListOptions): Promise<ListExperimentsResponse>;

  /**
   * Every experiment matching `options`, fetched page by page with `listExperiments` as you
   * iterate: `for await (const e of kfp.iterExperiments({ namespace: "team-1" })) …`.
   */
  iterExperiments(options?: ListOptions): AsyncIterableIterator<Experiment>;

  /** The same as {@link KfpClient.iterExperiments}. */
  iterateExperiments(options?: ListOptions): AsyncIterableIterator<Experiment>;

  /**
   * Archives an experiment and its runs: `POST {apiUrl}/apis/v2beta1/experiments/{id}:archive`
   * (v1beta1: the same path). Python: `archive_experiment()`.
   */
  archiveExperiment(id: string, options?: CallOptions): Promise<void>;

  /**
   * Makes an archived experiment available again: `POST {apiUrl}/apis/v2beta1/experiments/{id}:unarchive`
   * (v1beta1: the same path). Python: `unarchive_experiment()`.
   */
  unarchiveExperiment(id: string, options?: CallOptions): Promise<void>;

  /**
   * Deletes an experiment: `DELETE {apiUrl}/apis/v2beta1/experiments/{id}` (v1beta1: the same
   * path). Resolves to `undefined`. Python: `delete_experiment()`.
   */
  deleteExperiment(id: string, options?: CallOptions): Promise<void>;

  // --- Pipelines and pipeline versions -------------------------------------------------------

  /**
   * Uploads a compiled pipeline as a new pipeline with its first version:
   * `POST {apiUrl}/apis/v2beta1/pipelines/upload?name=…&display_name=…&description=…&namespace=…`,
   * multipart with the file part `uploadfile` (v1beta1: `/apis/v1beta1/pipelines/upload`).
   * Python: `upload_pipeline()`.
   * @throws `KFP_INVALID_PIPELINE` when the package cannot be read; `KFP_CONFLICT` when the name is taken.
   */
  uploadPipeline(pipeline: PipelinePackage, options?: UploadPipelineOptions): Promise<Pipeline>;

  /**
   * Uploads a compiled pipeline as a new version of an existing pipeline:
   * `POST {apiUrl}/apis/v2beta1/pipelines/upload_version?pipelineid=…&name=…&description=…`, multipart
   * (v1beta1: `/apis/v1beta1/pipelines/upload_version`). With `pipelineName`, the id is looked up
   * first, as {@link KfpClient.getPipelineId} does. Python: `upload_pipeline_version()`.
   * @throws `KFP_INVALID_PIPELINE` when the package cannot be read; `KFP_NOT_FOUND` when there is no such pipeline.
   */
  uploadPipelineVersion(pipeline: PipelinePackage, options: UploadPipelineVersionOptions): Promise<PipelineVersion>;

  /**
   * Lists one page of pipelines: `GET {apiUrl}/apis/v2beta1/pipelines?namespace=…&page_size=…&…`
   * (v1beta1: `/apis/v1beta1/pipelines`). Python: `list_pipelines()`.
   */
  listPipelines(options?: ListOptions): Promise<ListPipelinesResponse>;

  /** Every pipeline matching `options`, fetched page by page with `listPipelines` as you iterate. */
  iterPipelines(options?: ListOptions): AsyncIterableIterator<Pipeline>;

  /**
   * Gets one pipeline: `GET {apiUrl}/apis/v2beta1/pipelines/{id}` (v1beta1: the same path).
   * Python: `get_pipeline()`.
   * @throws `KFP_NOT_FOUND` when there is no such pipeline.
   */
  getPipeline(id: string, options?: CallOptions): Promise<Pipeline>;
  /**
   * Gets one pipeline by name: `GET {apiUrl}/apis/v2beta1/pipelines/names/{name}?namespace=…`
   * (v1beta1: `GET /apis/v1beta1/namespaces/{namespace}/pipelines/{name}`). Without a namespace,
   * shared pipelines. No Python wrapper (`get_pipeline(get_pipeline_id(name))` comes closest).
   * @throws `KFP_NOT_FOUND` when there is no pipeline of that name; `KFP_UNSUPPORTED_API_VERSION`
   *   when a v1-line server cannot do this lookup.
   */
  getPipeline(query: NameQuery, options?: CallOptions): Promise<Pipeline>;

  /**
   * The id of the pipeline whose `display_name` is `name`, or `null` when there is none:
   * `GET {apiUrl}/apis/v2beta1/pipelines?filter=…` (v1beta1: filtering on `name`). Python:
   * `get_pipeline_id()`, which always looks among shared pipelines only.
   */
  getPipelineId(name: string, options?: NamespaceOptions): Promise<string | null>;

  /**
   * Deletes a pipeline: `DELETE {apiUrl}/apis/v2beta1/pipelines/{id}`, with `?cascade=true` when
   * `options.cascade` is set (v1beta1: the same path, no cascade). Python: `delete_pipeline()`.
   */
  deletePipeline(id: string, options?: DeletePipelineOptions): Promise<void>;

  /**
   * Lists one page of a pipeline's versions: `GET {apiUrl}/apis/v2beta1/pipelines/{pipelineId}/versions?page_size=…&…`
   * (v1beta1: `GET /apis/v1beta1/pipeline_versions?resource_key.type=PIPELINE&resource_key.id={pipelineId}`).
   * Python: `list_pipeline_versions()`.
   */
  listPipelineVersions(pipelineId: string, options?: PagingOptions): Promise<ListPipelineVersionsResponse>;

  /** Every version of a pipeline matching `options`, fetched page by page with `listPipelineVersions` as you iterate. */
  iterPipelineVersions(pipelineId: string, options?: PagingOptions): AsyncIterableIterator<PipelineVersion>;

  /**
   * Gets one pipeline version, with its `pipeline_spec`: `GET {apiUrl}/apis/v2beta1/pipelines/{pipelineId}/versions/{versionId}`
   * (v1beta1: `GET /apis/v1beta1/pipeline_versions/{versionId}`). Python: `get_pipeline_version()`.
   * @throws `KFP_NOT_FOUND` when there is no such version.
   */
  getPipelineVersion(pipelineId: string, versionId: string, options?: CallOptions): Promise<PipelineVersion>;

  /**
   * Deletes a pipeline version: `DELETE {apiUrl}/apis/v2beta1/pipelines/{pipelineId}/versions/{versionId}`
   * (v1beta1: `DELETE /apis/v1beta1/pipeline_versions/{versionId}`). Python: `delete_pipeline_version()`.
   */
  deletePipelineVersion(pipelineId: string, versionId: string, options?: CallOptions): Promise<void>;

  // --- Runs ----------------------------------------------------------------------------------

  /**
   * Starts a run in an experiment: `POST {apiUrl}/apis/v2beta1/runs` with
   * `{experiment_id, display_name, pipeline_spec | pipeline_version_reference, runtime_config, service_account}`
   * (v1beta1: `POST /apis/v1beta1/runs` with resource references). Python: `run_pipeline()`.
   * @throws `KFP_INVALID_PIPELINE` when `pipelinePackage` cannot be read.
   */
  runPipeline(experimentId: string, runName: string, options: RunPipelineOptions): Promise<Run>;

  /**
   * Runs a compiled pipeline without uploading it: finds or creates the experiment
   * (`GET /apis/v2beta1/experiments?filter=…`, `POST /apis/v2beta1/experiments`), then
   * `POST {apiUrl}/apis/v2beta1/runs` with the package embedded as `pipeline_spec` (v1beta1: the
   * v1beta1 twins). Python: `create_run_from_pipeline_package()`.
   * @throws `KFP_INVALID_PIPELINE` when the package cannot be read.
   *
   * @example
   * ```ts
   * import { readFile } from "node:fs/promises";
   * import { KfpError } from "kfp-wasm";
   *
   * const run = await kfp.createRunFromPipelinePackage(await readFile("pipeline.yaml"), {
   *   experimentName: "nightly",
   *   arguments: { a: 1, b: 2.5 },
   * });
   * try {
   *   const done = await kfp.waitForRunCompletion(run.run_id!, {
   *     timeoutMs: 30 * 60_000,
   *     onProgress: (r) => console.log(r.state),
   *   });
   *   if (done.state !== "SUCCEEDED") throw new Error(done.error?.message ?? done.state);
   * } catch (err) {
   *   if (err instanceof KfpError && err.code === "KFP_TIMEOUT") console.log("still", err.run?.state);
   *   throw err;
   * }
   * ```
   */
  createRunFromPipelinePackage(pipeline: PipelinePackage, options?: CreateRunFromPipelinePackageOptions): Promise<Run>;

  /**
   * Lists one page of runs: `GET {apiUrl}/apis/v2beta1/runs?experiment_id=…` or `?namespace=…`,
   * with paging (v1beta1: `GET /apis/v1beta1/runs?resource_reference_key.type=…&resource_reference_key.id=…`).
   * The namespace defaults to the client's unless `experimentId` is given. Python: `list_runs()`.
   */
  listRuns(options?: ListRunsOptions): Promise<ListRunsResponse>;

  /**
   * Every run matching `options`, fetched page by page with `listRuns` as you iterate.
   *
   * @example
   * ```ts
   * import { Filter } from "kfp-wasm";
   *
   * const failed = Filter.and(
   *   Filter.in("state", ["FAILED", "CANCELED"]),
   *   Filter.greaterThan("created_at", new Date(Date.now() - 86_400_000)),
   * );
   * for await (const run of kfp.iterRuns({ experimentId, filter: failed, sortBy: "created_at desc" })) {
   *   console.log(run.run_id, run.display_name, run.state, run.error?.message);
   * }
   * ```
   */
  iterRuns(options?: ListRunsOptions): AsyncIterableIterator<Run>;

  /**
   * Gets one run, with its tasks in `run_details`: `GET {apiUrl}/apis/v2beta1/runs/{id}`
   * (v1beta1: the same path). Python: `get_run()`.
   * @throws `KFP_NOT_FOUND` when there is no such run.
   */
  getRun(id: string, options?: CallOptions): Promise<Run>;

  /**
   * Stops a run: `POST {apiUrl}/apis/v2beta1/runs/{id}:terminate` (v1beta1:
   * `POST /apis/v1beta1/runs/{id}/terminate`). Python: `terminate_run()`.
   */
  terminateRun(id: string, options?: CallOptions): Promise<void>;

  /**
   * Retries the failed tasks of a failed or stopped run: `POST {apiUrl}/apis/v2beta1/runs/{id}:retry`
   * (v1beta1: `POST /apis/v1beta1/runs/{id}/retry`). No Python wrapper (`client.runs.run_service_retry_run`).
   */
  retryRun(id: string, options?: CallOptions): Promise<void>;

  /**
   * Archives a run: `POST {apiUrl}/apis/v2beta1/runs/{id}:archive` (v1beta1: the same path).
   * Python: `archive_run()`.
   */
  archiveRun(id: string, options?: CallOptions): Promise<void>;

  /**
   * Makes an archived run available again: `POST {apiUrl}/apis/v2beta1/runs/{id}:unarchive`
   * (v1beta1: the same path). Python: `unarchive_run()`.
   */
  unarchiveRun(id: string, options?: CallOptions): Promise<void>;

  /**
   * Deletes a run: `DELETE {apiUrl}/apis/v2beta1/runs/{id}` (v1beta1: the same path). Python:
   * `delete_run()`.
   */
  deleteRun(id: string, options?: CallOptions): Promise<void>;

  /**
   * Polls `GET {apiUrl}/apis/v2beta1/runs/{id}` until the run is `SUCCEEDED`, `SKIPPED`, `FAILED`
   * or `CANCELED`, and resolves with it whatever the outcome: check `run.state`. Python:
   * `wait_for_run_completion()`, which misses `CANCELED`.
   * @throws `KFP_TIMEOUT` after `options.timeoutMs`, with {@link KfpError.run}; `KFP_ABORTED` on `signal`.
   *
   * @example
   * ```ts
   * const { run_id } = await kfp.runPipeline(experimentId, "train", { pipelineId, versionId });
   * const done = await kfp.waitForRunCompletion(run_id!, { timeoutMs: 3_600_000, pollIntervalMs: 10_000 });
   * console.log(done.state, done.finished_at);
   * ```
   */
  waitForRunCompletion(runId: string, options?: WaitForRunOptions): Promise<Run>;

  /**
   * Polls `GET {apiUrl}/apis/v2beta1/runs/{id}` until the run's state is `states` (or one of
   * them), e.g. `"RUNNING"`, and resolves with the run. No Python equivalent.
   * @throws `KFP_TIMEOUT` after `options.timeoutMs`, with {@link KfpError.run}; `KFP_ABORTED` on `signal`.
   */
  waitForRunStatus(runId: string, states: RuntimeState | RuntimeState[], options?: WaitForRunOptions): Promise<Run>;

  // --- Recurring runs ------------------------------------------------------------------------

  /**
   * Creates a recurring run (v1beta1: a job) that starts runs on a cron schedule or at an
   * interval: `POST {apiUrl}/apis/v2beta1/recurringruns` (v1beta1: `POST /apis/v1beta1/jobs`).
   * Python: `create_recurring_run()`.
   * @throws `KFP_INVALID_PIPELINE` when `pipelinePackage` cannot be read.
   */
  createRecurringRun(experimentId: string, name: string, options: CreateRecurringRunOptions): Promise<RecurringRun>;

  /**
   * Lists one page of recurring runs: `GET {apiUrl}/apis/v2beta1/recurringruns?experiment_id=…&namespace=…&…`
   * (v1beta1: `GET /apis/v1beta1/jobs`). The page's array is `recurringRuns`. Python: `list_recurring_runs()`.
   */
  listRecurringRuns(options?: ListRecurringRunsOptions): Promise<ListRecurringRunsResponse>;

  /** Every recurring run matching `options`, fetched page by page with `listRecurringRuns` as you iterate. */
  iterRecurringRuns(options?: ListRecurringRunsOptions): AsyncIterableIterator<RecurringRun>;

  /**
   * Gets one recurring run: `GET {apiUrl}/apis/v2beta1/recurringruns/{id}` (v1beta1:
   * `GET /apis/v1beta1/jobs/{id}`). Python: `get_recurring_run()`.
   * @throws `KFP_NOT_FOUND` when there is no such recurring run.
   */
  getRecurringRun(id: string, options?: CallOptions): Promise<RecurringRun>;

  /**
   * Lets a recurring run schedule runs again: `POST {apiUrl}/apis/v2beta1/recurringruns/{id}:enable`
   * (v1beta1: `POST /apis/v1beta1/jobs/{id}/enable`). Python: `enable_recurring_run()`.
   */
  enableRecurringRun(id: string, options?: CallOptions): Promise<void>;

  /**
   * Stops a recurring run from scheduling runs: `POST {apiUrl}/apis/v2beta1/recurringruns/{id}:disable`
   * (v1beta1: `POST /apis/v1beta1/jobs/{id}/disable`). Python: `disable_recurring_run()`.
   */
  disableRecurringRun(id: string, options?: CallOptions): Promise<void>;

  /**
   * Deletes a recurring run (not the runs it started): `DELETE {apiUrl}/apis/v2beta1/recurringruns/{id}`
   * (v1beta1: `DELETE /apis/v1beta1/jobs/{id}`). Python: `delete_recurring_run()`.
   */
  deleteRecurringRun(id: string, options?: CallOptions): Promise<void>;

  // --- Any endpoint --------------------------------------------------------------------------

  /**
   * Calls any KFP endpoint, with the client's session, retries and error handling:
   * `method {apiUrl}{path}?{query}`. For example: `request("GET", "/apis/v2beta1/runs", { query: { namespace } })`,
   * `request("POST", "/apis/v2beta1/runs/" + id + ":terminate")`.
   *
   * `path` starts with `/` and is used as given (encode ids yourself). It must not contain a
   * query (use `options.query`), `//`, `.` or `..` segments. This method does not switch API
   * versions: `path` decides.
   *
   * @returns The JSON answer (`{}` for an empty body), or the text of an answer that is neither
   *   JSON nor HTML (e.g. pod logs). `T` is not checked at runtime.
   */
  request<T = unknown>(method: KfpHttpMethod | (string & {}), path: string, options?: KfpRequestOptions): Promise<T>;

  // --- State ---------------------------------------------------------------------------------

  /** The default namespace: from the options or {@link KfpClient.setUserNamespace}, or `undefined`. */
  readonly namespace: string | undefined;
  /** `apiUrl` as normalised: no trailing slash, query or fragment. */
  readonly apiUrl: string;
  /** `options.auth.type`; `"none"` when no auth was given. */
  readonly authType: KfpAuthType;
  /**
   * The API version in use. In `"auto"` mode it is `undefined` until the first call has found
   * out.
   */
  readonly apiVersion: KfpApiVersion | undefined;
  /** How many Dex logins this client has made, counting the first. Always 0 for other auth types. */
  readonly loginCount: number;
  /**
   * True when the client sends credentials: a Dex session (false when the endpoint turned out to
   * need no login at all), a bearer or service-account token, or session cookies. False for
   * auth type `"none"`.
   */
  readonly authenticated: boolean;

  /** Frees the WebAssembly memory now instead of at garbage collection. Do not use the client afterwards. */
  free(): void;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/**
 * The stable `code` of a {@link KfpError}. Codes are never renamed.
 *
 * - `KFP_INVALID_CREDENTIALS`: Dex rejected the user name or password.
 * - `KFP_UNKNOWN_CONNECTOR`: Dex does not offer `auth.connector` (see `offeredConnectors`).
 * - `KFP_LOGIN_FAILED`: the login flow met a page or answer it cannot get past.
 * - `KFP_COOKIE_REJECTED`: the gateway set a cookie that a correct cookie jar must refuse (e.g. a
 *   `Secure` cookie over plain http), so the login cannot finish.
 * - `KFP_HOST_MISMATCH`: the login ended on a different host name than `apiUrl`'s.
 * - `KFP_INSECURE_TRANSPORT`: the login would send the password over http after starting on https.
 * - `KFP_SESSION_EXPIRED`: the session is no longer accepted, and a new login did not help or is
 *   not possible (`cookies` auth).
 * - `KFP_UNAUTHENTICATED` (401), `KFP_PERMISSION_DENIED` (403), `KFP_NOT_FOUND` (404),
 *   `KFP_BAD_REQUEST` (400), `KFP_CONFLICT` (409), `KFP_SERVER_ERROR` (5xx), `KFP_HTTP_ERROR`
 *   (any other non-2xx): KFP or the gateway answered with that status. In a browser,
 *   `KFP_UNAUTHENTICATED` carries the gateway's `loginUrl` when it sent one.
 * - `KFP_UNEXPECTED_RESPONSE`: an answer of the wrong shape, e.g. HTML, a redirect or bad JSON
 *   where JSON was expected.
 * - `KFP_NETWORK_ERROR`: `fetch` failed (DNS, connection refused, reset).
 * - `KFP_TLS_ERROR`: the TLS handshake failed (unknown CA, wrong host name, expired certificate).
 * - `KFP_TIMEOUT`: no answer within `timeoutMs`; or, from `waitForRunCompletion` and
 *   `waitForRunStatus`, the run did not get there within their `timeoutMs` (see `run`).
 * - `KFP_ABORTED`: the request was aborted.
 * - `KFP_TOKEN_UNAVAILABLE`: the bearer or service-account token could not be obtained.
 * - `KFP_UNSUPPORTED`: the option or auth type cannot work on this platform.
 * - `KFP_MISSING_DEPENDENCY`: an optional npm package is missing (`undici`, for a custom `fetch`
 *   together with `skipTlsVerify` or `caCert`).
 * - `KFP_UNSUPPORTED_API_VERSION`: the method has no v1beta1 equivalent, and this server serves
 *   only v1beta1.
 * - `KFP_RESPONSE_TOO_LARGE`: an answer exceeded `maxResponseBytes`.
 * - `KFP_INVALID_PIPELINE`: the pipeline package could not be read: neither YAML nor JSON, or
 *   not a PipelineSpec.
 */
export type KfpErrorCode =
  | "KFP_INVALID_CREDENTIALS"
  | "KFP_UNKNOWN_CONNECTOR"
  | "KFP_LOGIN_FAILED"
  | "KFP_COOKIE_REJECTED"
  | "KFP_HOST_MISMATCH"
  | "KFP_INSECURE_TRANSPORT"
  | "KFP_SESSION_EXPIRED"
  | "KFP_UNAUTHENTICATED"
  | "KFP_PERMISSION_DENIED"
  | "KFP_NOT_FOUND"
  | "KFP_BAD_REQUEST"
  | "KFP_CONFLICT"
  | "KFP_SERVER_ERROR"
  | "KFP_HTTP_ERROR"
  | "KFP_UNEXPECTED_RESPONSE"
  | "KFP_NETWORK_ERROR"
  | "KFP_TLS_ERROR"
  | "KFP_TIMEOUT"
  | "KFP_ABORTED"
  | "KFP_TOKEN_UNAVAILABLE"
  | "KFP_UNSUPPORTED"
  | "KFP_MISSING_DEPENDENCY"
  | "KFP_UNSUPPORTED_API_VERSION"
  | "KFP_RESPONSE_TOO_LARGE"
  | "KFP_INVALID_PIPELINE";

/**
 * Every failure except a bad argument. Messages say what went wrong and what to check. They
 * never contain passwords, tokens or cookie values.
 *
 * A bad argument or option is not a `KfpError`: it is a plain `TypeError` with
 * `code: "ERR_INVALID_ARG_TYPE"` (wrong type) or `code: "ERR_INVALID_ARG_VALUE"` (unusable
 * value), as in Node's own APIs. See {@link KfpArgumentError}.
 */
export declare class KfpError extends Error {
  /** Created by the library; exported for `instanceof`. */
  constructor(message: string, code: KfpErrorCode, status?: number, grpcCode?: number, cause?: unknown);
  readonly name: "KfpError";
  /** The stable error code. */
  readonly code: KfpErrorCode;
  /** The HTTP status, when the failure came from an HTTP answer. */
  readonly status?: number;
  /** The gRPC status code from KFP's error body, when it had one (e.g. 5 = NOT_FOUND). */
  readonly grpcCode?: number;
  /** With `KFP_UNKNOWN_CONNECTOR`: the connector ids this Dex offers (possibly none). */
  readonly offeredConnectors?: string[];
  /**
   * The underlying JS error, when there was one: the `fetch` rejection (network, TLS, timeout)
   * or the error thrown by a bearer `token` function.
   */
  readonly cause?: unknown;
  /** With `KFP_TIMEOUT` from `waitForRunCompletion` or `waitForRunStatus`: the run as last seen. */
  readonly run?: Run;
  /** How many requests were made, when the call failed after retries (see `options.retry`). */
  readonly attempts?: number;
  /** With `KFP_UNAUTHENTICATED` in a browser: where to send the user to log in, when the gateway said. */
  readonly loginUrl?: string;
}

/**
 * The shape of the `TypeError` raised for a bad argument or option. This is a type only; test
 * with `err instanceof TypeError && "code" in err`. The message names the option as written,
 * e.g. `"auth.connector"`.
 */
export interface KfpArgumentError extends TypeError {
  readonly code: "ERR_INVALID_ARG_TYPE" | "ERR_INVALID_ARG_VALUE";
}
