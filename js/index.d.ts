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
 * optional. int64 values come as strings.
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
export type KfpAuth = DexAuth | ServiceAccountTokenAuth | BearerAuth | CookiesAuth | NoAuth;

/** The `type` of each {@link KfpAuth}; also {@link KfpClient.authType}. */
export type KfpAuthType = KfpAuth["type"];

/** The KFP REST API surfaces. v1-line backends (KFP 1.x, deployKF ≤ 0.1.4) serve only `v1beta1`. */
export type KfpApiVersion = "v2beta1" | "v1beta1";

/**
 * The second argument the client passes to `options.fetch`. It is always a subtype of
 * `RequestInit`, so `globalThis.fetch`, undici's `fetch`, or a wrapper around either fits.
 * On Node, when `skipTlsVerify` or `caCert` is set, the client also adds an undici `dispatcher`.
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
   * the call does not name one. Must not be empty.
   */
  namespace?: string | undefined;
  /**
   * **Node only** (it needs the optional `undici` package). Accept any TLS certificate, for test
   * deployments. The setting applies to this client only; nothing process-wide changes. In a
   * browser, `createKfpClient` rejects with `KFP_UNSUPPORTED`.
   * @defaultValue false
   */
  skipTlsVerify?: boolean | undefined;
  /**
   * **Node only** (it needs the optional `undici` package). One or more PEM certificates to trust
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
   * is called with an extra undici `dispatcher` in the init.
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
}

// ---------------------------------------------------------------------------------------------
// KFP response shapes
// ---------------------------------------------------------------------------------------------

/** v2beta1 `Experiment.storage_state`. It is absent when unspecified. */
export type V2beta1ExperimentStorageState = "STORAGE_STATE_UNSPECIFIED" | "AVAILABLE" | "ARCHIVED";

/** v1beta1 `Experiment.storage_state`. It is absent when unspecified. */
export type V1beta1ExperimentStorageState = "STORAGESTATE_UNSPECIFIED" | "STORAGESTATE_AVAILABLE" | "STORAGESTATE_ARCHIVED";

/**
 * An experiment from the v2beta1 API (`v2beta1Experiment`).
 *
 * The `?: undefined` fields belong to {@link V1beta1Experiment}. They are declared here so that
 * code handling both versions can read `e.experiment_id ?? e.id` without narrowing.
 */
export interface V2beta1Experiment {
  /** The experiment id, set by the server. */
  experiment_id?: string;
  /** The name, unique within its namespace. */
  display_name?: string;
  description?: string;
  /** RFC 3339 timestamp. */
  created_at?: string;
  /** The namespace (Kubeflow profile). In single-user mode it is absent. */
  namespace?: string;
  storage_state?: V2beta1ExperimentStorageState;
  /** RFC 3339 timestamp. Servers from KFP 2.5 on send it. */
  last_run_created_at?: string;
  id?: undefined;
  name?: undefined;
  resource_references?: undefined;
}

/** v1beta1 `ResourceReference.key.type`. */
export type V1beta1ResourceType = "UNKNOWN_RESOURCE_TYPE" | "EXPERIMENT" | "JOB" | "PIPELINE" | "PIPELINE_VERSION" | "NAMESPACE";

/** v1beta1 `ResourceReference`: for an experiment, one `NAMESPACE` reference with relationship `OWNER`. */
export interface V1beta1ResourceReference {
  key?: { type?: V1beta1ResourceType; id?: string };
  name?: string;
  relationship?: "UNKNOWN_RELATIONSHIP" | "OWNER" | "CREATOR";
}

/**
 * An experiment from the v1beta1 API (`apiExperiment`), as sent by v1-line backends.
 *
 * The `?: undefined` fields belong to {@link V2beta1Experiment} (see there).
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
 * An experiment in the shape of whichever API version the client uses ({@link KfpClient.apiVersion}).
 * `e.experiment_id !== undefined` narrows it to {@link V2beta1Experiment}.
 */
export type KfpExperiment = V2beta1Experiment | V1beta1Experiment;

/** The fields every list answer shares. */
interface KfpListPage {
  /** How many items match the query in total. It is absent when there are none. */
  total_size?: number;
  /** Pass it as `pageToken` to get the next page. It is absent on the last page. */
  next_page_token?: string;
}

/** `ListExperimentsResponse` of the v2beta1 API. */
export interface V2beta1ListExperimentsResponse extends KfpListPage {
  /** Always present; `[]` when there are none, even though KFP itself leaves the key out. */
  experiments: V2beta1Experiment[];
}

/** `ListExperimentsResponse` of the v1beta1 API. */
export interface V1beta1ListExperimentsResponse extends KfpListPage {
  /** Always present; `[]` when there are none, even though KFP itself leaves the key out. */
  experiments: V1beta1Experiment[];
}

/** What {@link KfpClient.listExperiments} resolves to: a page in the API version in use. */
export type ListExperimentsResponse = V2beta1ListExperimentsResponse | V1beta1ListExperimentsResponse;

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
export type HealthzResponse = KfpApiServerHealthz | KfpUiHealthz;

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

/**
 * A filter operation, as an enum name or a number. The zero value is named
 * `OPERATION_UNSPECIFIED` in v2beta1 and `UNKNOWN` in v1beta1. There is no 4.
 */
export type KfpFilterOperation =
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

/** The value fields of a predicate; set one of them. `IN` takes a `*_values` list, the others a scalar. */
interface KfpPredicateValues {
  int_value?: number;
  /** int64: a number, or a string for values beyond 2^53. */
  long_value?: number | string;
  string_value?: string;
  /** RFC 3339, e.g. `"2024-01-01T00:00:00Z"` (compared in whole seconds). */
  timestamp_value?: string;
  int_values?: { values: number[] };
  long_values?: { values: Array<number | string> };
  string_values?: { values: string[] };
}

/**
 * One condition of a {@link KfpFilter}. Give the operation as `operation` (v2beta1's name) or
 * `op` (v1beta1's). The client renames it to what the server in use expects.
 */
export type KfpPredicate = KfpPredicateValues & {
  /** The field, e.g. `"display_name"`, `"created_at"`; v1beta1 uses `"name"`, `"id"`. */
  key: string;
} & ({ operation: KfpFilterOperation; op?: undefined } | { op: KfpFilterOperation; operation?: undefined });

/** KFP's `Filter`: all predicates must hold (AND). The client encodes it the way the server expects. */
export interface KfpFilter {
  predicates: KfpPredicate[];
}

/** Options every call takes. */
export interface CallOptions {
  /**
   * Cancels the call: it rejects with `KFP_ABORTED`. Combined with `timeoutMs` when both are set.
   * A new login that the call triggers is shared with other calls and is not cancelled.
   */
  signal?: AbortSignal | undefined;
}

/** The parameters of {@link KfpClient.listExperiments}. Every field is optional. */
export interface ListParams extends CallOptions {
  /** The namespace to list. It defaults to the client's {@link KfpClientOptions.namespace}. */
  namespace?: string | undefined;
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
  /** A {@link KfpFilter}, or its JSON text. `""` means no filter. */
  filter?: KfpFilter | string | undefined;
}

/** The options of {@link KfpClient.createExperiment}. */
export interface CreateExperimentOptions extends CallOptions {
  description?: string | undefined;
  /** The namespace to create it in. It defaults to the client's {@link KfpClientOptions.namespace}. */
  namespace?: string | undefined;
}

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

  /**
   * `GET {apiUrl}/apis/v2beta1/healthz` (or `/apis/v1beta1/healthz`): is KFP up, which version
   * is it, and is it in multi-user mode?
   */
  healthz(options?: CallOptions): Promise<HealthzResponse>;

  /**
   * Lists one page of experiments: `GET {apiUrl}/apis/v2beta1/experiments?namespace=…&page_size=…&page_token=…&sort_by=…&filter=…`.
   * On v1beta1, the namespace is sent as `resource_reference_key.type=NAMESPACE&resource_reference_key.id=…`.
   * `experiments` is always an array. For the next page, pass `next_page_token` as `pageToken`.
   */
  listExperiments(params?: ListParams): Promise<ListExperimentsResponse>;

  /**
   * Every experiment matching `params`, fetched page by page with `listExperiments` as you
   * iterate: `for await (const e of kfp.iterateExperiments({ namespace: "team-1" })) …`.
   */
  iterateExperiments(params?: ListParams): AsyncGenerator<KfpExperiment, void, undefined>;

  /**
   * Gets one experiment: `GET {apiUrl}/apis/v2beta1/experiments/{id}`.
   * @throws `KFP_NOT_FOUND` when there is no such experiment.
   */
  getExperiment(id: string, options?: CallOptions): Promise<KfpExperiment>;

  /**
   * Creates an experiment: `POST {apiUrl}/apis/v2beta1/experiments` with
   * `{display_name, description?, namespace?}`. On v1beta1, the body is
   * `{name, description?, resource_references: [NAMESPACE, OWNER]}`. The namespace is
   * `options.namespace`, else the client's.
   * @throws `KFP_CONFLICT` when an experiment with this name already exists there.
   */
  createExperiment(name: string, options?: CreateExperimentOptions): Promise<KfpExperiment>;

  /** Deletes an experiment: `DELETE {apiUrl}/apis/v2beta1/experiments/{id}`. Resolves to `undefined`. */
  deleteExperiment(id: string, options?: CallOptions): Promise<void>;

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

  /** The default namespace from the options, or `undefined`. */
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
 *   (any other non-2xx): KFP or the gateway answered with that status.
 * - `KFP_UNEXPECTED_RESPONSE`: an answer of the wrong shape, e.g. HTML, a redirect or bad JSON
 *   where JSON was expected.
 * - `KFP_NETWORK_ERROR`: `fetch` failed (DNS, connection refused, reset).
 * - `KFP_TLS_ERROR`: the TLS handshake failed (unknown CA, wrong host name, expired certificate).
 * - `KFP_TIMEOUT`: no answer within `timeoutMs`.
 * - `KFP_ABORTED`: the request was aborted.
 * - `KFP_TOKEN_UNAVAILABLE`: the bearer or service-account token could not be obtained.
 * - `KFP_UNSUPPORTED`: the option or auth type cannot work on this platform.
 * - `KFP_MISSING_DEPENDENCY`: an optional npm package is missing (`undici`, for `skipTlsVerify`
 *   and `caCert`).
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
  | "KFP_MISSING_DEPENDENCY";

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
}

/**
 * The shape of the `TypeError` raised for a bad argument or option. This is a type only; test
 * with `err instanceof TypeError && "code" in err`. The message names the option as written,
 * e.g. `"auth.connector"`.
 */
export interface KfpArgumentError extends TypeError {
  readonly code: "ERR_INVALID_ARG_TYPE" | "ERR_INVALID_ARG_VALUE";
}
