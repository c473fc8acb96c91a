// The JS half of the API, shared by every entry point: the async iterators over list pages,
// added to the wasm module's KfpClient prototype, and the filter builder. `withJsApi(wasm)` takes
// an initialised wasm-bindgen module (either build) and returns the public API. The browser entry
// (browser.mjs) imports this file; Node's (index.cjs) requires the CommonJS copy that
// scripts/build.mjs writes to pkg/api.cjs, so run `npm run build` after changing it. Keep to
// `export function|const NAME` and no imports: that is what the conversion accepts.

/** The public API over an initialised wasm module: { createKfpClient, KfpClientManager, KfpClient, KfpError, Filter }. */
export function withJsApi(wasm) {
  const KfpError = wasm.kfpErrorClass();
  const proto = wasm.KfpClient.prototype;
  if (!Object.hasOwn(proto, "iterExperiments")) {
    proto.iterExperiments = pager(KfpError, "listExperiments", "experiments", 0);
    proto.iterateExperiments = proto.iterExperiments;
    proto.iterPipelines = pager(KfpError, "listPipelines", "pipelines", 0);
    proto.iterPipelineVersions = pager(KfpError, "listPipelineVersions", "pipeline_versions", 1);
    proto.iterRuns = pager(KfpError, "listRuns", "runs", 0);
    proto.iterRecurringRuns = pager(KfpError, "listRecurringRuns", "recurringRuns", 0);
  }
  return {
    createKfpClient: wasm.createKfpClient,
    KfpClientManager: wasm.KfpClientManager,
    KfpClient: wasm.KfpClient,
    KfpError,
    Filter,
  };
}

/**
 * An async iterator over every item of every page of `list`: the next page is fetched only when
 * the caller gets there, with the previous page's `next_page_token` (and the same sortBy and
 * filter, as KFP requires). It stops on an empty token, never on an empty page, and fails if
 * the server hands out a token it gave before (which would loop forever).
 */
function pager(KfpError, method, key, idArgs) {
  return async function* iterate(...args) {
    const ids = args.slice(0, idArgs);
    const params = args[idArgs] ?? {};
    const seen = new Set();
    let pageToken = params?.pageToken;
    do {
      const page = await this[method](...ids, { ...params, pageToken });
      yield* page[key];
      pageToken = page.next_page_token;
      if (pageToken) {
        if (seen.has(pageToken)) {
          throw new KfpError(`The server sent the page token of an earlier page again while listing ${key}; stopping instead of looping forever.`, "KFP_UNEXPECTED_RESPONSE");
        }
        seen.add(pageToken);
      }
    } while (pageToken);
  };
}

function invalid(name, value, expected) {
  const err = new TypeError(`The "${name}" argument must be ${expected}. Received ${value === null ? "null" : typeof value}.`);
  err.code = "ERR_INVALID_ARG_TYPE";
  return err;
}

/** One predicate; the value's JS type picks the KFP value field (REPORT §4). */
function predicate(operation, key, value) {
  if (typeof key !== "string" || key === "") throw invalid("key", key, "a non-empty string");
  const p = { key, operation };
  if (typeof value === "string") p.string_value = value;
  else if (typeof value === "number" && Number.isInteger(value)) p.long_value = String(value);
  else if (value instanceof Date && !Number.isNaN(value.getTime())) p.timestamp_value = value.toISOString().replace(/\.\d{3}Z$/, "Z");
  else throw invalid("value", value, "a string, an integer or a valid Date");
  return { predicates: [p] };
}

/**
 * Builds KFP filters: `Filter.and(Filter.equals("state", "SUCCEEDED"), Filter.greaterThan("created_at", new Date(...)))`.
 * The result is a plain Filter object; the client renames `operation` to v1's `op` and maps
 * keys for v1beta1 servers, and encodes it as the server expects.
 */
export const Filter = Object.freeze({
  equals: (key, value) => predicate("EQUALS", key, value),
  notEquals: (key, value) => predicate("NOT_EQUALS", key, value),
  greaterThan: (key, value) => predicate("GREATER_THAN", key, value),
  greaterThanEquals: (key, value) => predicate("GREATER_THAN_EQUALS", key, value),
  lessThan: (key, value) => predicate("LESS_THAN", key, value),
  lessThanEquals: (key, value) => predicate("LESS_THAN_EQUALS", key, value),
  isSubstring: (key, value) => {
    if (typeof value !== "string") throw invalid("value", value, "a string");
    return predicate("IS_SUBSTRING", key, value);
  },
  in: (key, values) => {
    if (typeof key !== "string" || key === "") throw invalid("key", key, "a non-empty string");
    if (!Array.isArray(values) || values.length === 0) throw invalid("values", values, "a non-empty array");
    if (values.every((v) => typeof v === "string")) return { predicates: [{ key, operation: "IN", string_values: { values: [...values] } }] };
    if (values.every((v) => Number.isInteger(v))) return { predicates: [{ key, operation: "IN", long_values: { values: values.map(String) } }] };
    throw invalid("values", values, "an array of strings or of integers");
  },
  and: (...filters) => ({
    predicates: filters.flatMap((f, i) => {
      if (!f || !Array.isArray(f.predicates)) throw invalid(`filters[${i}]`, f, "a Filter ({ predicates: [...] })");
      return f.predicates;
    }),
  }),
});
