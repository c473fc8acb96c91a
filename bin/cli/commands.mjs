// The commands: each is { path, usage, summary, options, args: [min, max], run(ctx) }.
// `run` returns the exit status (default 0) and talks to KFP only through `ctx.conn.call`, so an
// expired session is renewed (or reported) the same way everywhere.
import { readFileSync } from "node:fs";
import { CliError, EXIT, LIST_OPTIONS, UsageError, parseCount, parseDuration, parseJsonFlag, parseParams } from "./args.mjs";
import { authFromFlags, authTypeOf, hostOf, readStdin, tlsFromFlags } from "./client.mjs";
import { LiveLine, RESOURCES, formatElapsed, formatTable } from "./output.mjs";
import { loadStore, sessionExpiry, updateStore } from "./store.mjs";

// ------------------------------------------------------------------ helpers

const flag = (type, arg, help, extra = {}) => ({ type, arg, help, ...extra });

/** A pipeline package from a file, or stdin for "-". */
async function readPackage(file) {
  if (file === "-") return readStdin();
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    throw new CliError(`cannot read ${file} (${err.code ?? err.message})`);
  }
}

/** The list parameters of --page-size, --page-token, --filter, --sort-by. */
function pagingParams(values) {
  const p = {};
  if (values["page-size"] !== undefined) p.pageSize = parseCount(values["page-size"], "--page-size");
  if (values["page-token"] !== undefined) p.pageToken = values["page-token"];
  if (values.filter !== undefined) p.filter = parseJsonFlag(values.filter, "--filter");
  if (values["sort-by"] !== undefined) p.sortBy = values["sort-by"];
  return p;
}

const iterMethod = { experiment: ["iterExperiments", "iterateExperiments"], pipeline: ["iterPipelines"], version: ["iterPipelineVersions"], run: ["iterRuns"], recurringRun: ["iterRecurringRuns"] };

/**
 * A list command's work: one page, or with --all every item of every page (the library's
 * iterator; paging by hand if the client has none).
 */
async function list(ctx, kind, listPage, params, prefixArgs = []) {
  const { conn, out, values } = ctx;
  const r = RESOURCES[kind];
  const itemsOf = (page) => page?.[r.listKey] ?? page?.[r.listKey.replace(/[A-Z]/g, (c) => "_" + c.toLowerCase())] ?? [];
  if (values.all) {
    const items = await conn.call(async (kfp, signal) => {
      const all = [];
      const iter = iterMethod[kind].map((m) => kfp[m]).find((f) => typeof f === "function");
      if (iter) {
        for await (const item of iter.call(kfp, ...prefixArgs, { ...params, signal })) all.push(item);
        return all;
      }
      let pageToken = params.pageToken;
      do {
        const page = await listPage(kfp, { ...params, pageToken, signal });
        all.push(...itemsOf(page));
        pageToken = page?.next_page_token;
      } while (pageToken);
      return all;
    });
    out.list(kind, items, { total_size: items.length });
    return;
  }
  const page = await conn.call((kfp, signal) => listPage(kfp, { ...params, signal }));
  out.list(kind, itemsOf(page), page ?? {});
}

/** The id of the experiment named `name` (in the command's namespace); created if `create`. */
async function experimentIdByName(kfp, name, { signal, create = false } = {}) {
  const namespace = kfp.namespace ?? undefined;
  try {
    const e = await kfp.getExperiment({ name, ...(namespace ? { namespace } : {}) }, { signal });
    return RESOURCES.experiment.id(e);
  } catch (err) {
    if (err?.code !== "KFP_NOT_FOUND" || !create) throw err;
  }
  const e = await kfp.createExperiment(name, { ...(namespace ? { namespace } : {}), signal });
  return RESOURCES.experiment.id(e);
}

/**
 * Pipelines live in the namespace named on the command line (--namespace or KFP_NAMESPACE), and
 * are shared otherwise, as with the Python SDK: the context's namespace is not applied to them, so
 * an upload and a later lookup by name agree.
 */
const pipelineNamespace = (ctx) => {
  const ns = ctx.values.namespace ?? ctx.env.KFP_NAMESPACE;
  return ns ? { namespace: ns } : {};
};

/** --pipeline-id, or the id of --pipeline NAME. */
async function pipelineIdFrom(kfp, ctx, signal) {
  const { values } = ctx;
  if (values["pipeline-id"]) return values["pipeline-id"];
  if (!values.pipeline) throw new UsageError("--pipeline NAME or --pipeline-id ID is needed");
  const id = await kfp.getPipelineId(values.pipeline, { ...pipelineNamespace(ctx), signal });
  if (!id) throw new CliError(`no pipeline named "${values.pipeline}"`, { code: "KFP_NOT_FOUND" });
  return id;
}

/**
 * --version-id, or the newest version of --pipeline-id (KFP before 2.5 needs the version; from
 * 2.5 on it would pick the latest itself).
 */
async function versionIdFor(kfp, values, signal) {
  if (values["version-id"]) return values["version-id"];
  const page = await kfp.listPipelineVersions(values["pipeline-id"], { pageSize: 1, sortBy: "created_at desc", signal });
  const id = RESOURCES.version.id(page?.pipeline_versions?.[0]);
  if (!id) throw new CliError(`pipeline ${values["pipeline-id"]} has no versions`, { code: "KFP_NOT_FOUND" });
  return id;
}

/** The options both run creation paths share. */
function runOptions(values) {
  const o = {};
  if (values["pipeline-root"]) o.pipelineRoot = values["pipeline-root"];
  if (values["no-caching"]) o.enableCaching = false;
  if (values["service-account"]) o.serviceAccount = values["service-account"];
  return o;
}

const isoTime = (text, flag) => {
  const t = Date.parse(text);
  if (!Number.isFinite(t)) throw new UsageError(`${flag} takes a date and time, e.g. 2025-01-31T09:00:00Z`);
  return new Date(t).toISOString();
};

/** What a finished run's state means for the exit status. */
const exitForState = (state) => (state === "SUCCEEDED" || state === "SKIPPED" ? EXIT.OK : state === "FAILED" || state === "CANCELED" ? EXIT.RUN_FAILED : EXIT.FAILURE);

/** Waits for a run, with the live line on a terminal; prints the finished run; returns the exit status. */
async function waitForRun(ctx, runId, createdMs = Date.now()) {
  const { conn, out, values } = ctx;
  const pollIntervalMs = values["poll-interval"] !== undefined ? parseDuration(values["poll-interval"], "--poll-interval") : undefined;
  const live = new LiveLine(process.stderr);
  live.start(runId);
  let run;
  try {
    run = await conn.call((kfp) => {
      const opts = { onProgress: (r) => live.update(r) };
      if (conn.timeoutMs !== undefined) opts.timeoutMs = Math.max(1, conn.timeoutMs - (Date.now() - conn.startedAt));
      if (pollIntervalMs !== undefined) opts.pollIntervalMs = pollIntervalMs;
      return kfp.waitForRunCompletion(runId, opts);
    });
  } catch (err) {
    if (err?.code === "KFP_TIMEOUT") {
      const state = err.run?.state;
      throw new CliError(`run ${runId} did not finish within ${formatElapsed(conn.timeoutMs ?? 0)}${state ? ` (last state ${state})` : ""}`, { exitCode: EXIT.TIMEOUT, code: err.code });
    }
    throw err;
  } finally {
    live.stop();
  }
  const code = exitForState(run?.state);
  if (out.format === "table") {
    const started = Date.parse(run?.created_at ?? "") || createdMs;
    const ended = Date.parse(run?.finished_at ?? "") || Date.now();
    out.write(`Run ${RESOURCES.run.id(run) ?? runId}${run?.display_name ? ` (${run.display_name})` : ""} ${run?.state ?? "ended"} after ${formatElapsed(ended - started)}.\n`);
    if (run?.error?.message) out.write(`Error: ${run.error.message}\n`);
  } else {
    out.json(run);
  }
  return code;
}

/** A command acting on one resource by id: archive, delete, ... */
const action = (path, summary, kind, verb, call, extra = {}) => ({
  path,
  usage: "ID",
  summary,
  args: [1, 1],
  ...extra,
  async run(ctx) {
    const [id] = ctx.positionals;
    const result = await ctx.conn.call((kfp, signal) => call(kfp, id, { signal }, ctx.values));
    ctx.out.done(`${verb} ${kind} ${id}.`, result && typeof result === "object" ? result : {});
  },
});

/** `X get ID`: one object, shown as `kind`. */
const getter = (path, summary, kind, call) => ({
  path,
  usage: "ID",
  summary,
  args: [1, 1],
  async run(ctx) {
    const item = await ctx.conn.call((kfp, signal) => call(kfp, ctx.positionals[0], { signal }));
    ctx.out.item(kind, item);
  },
});

/** `X list [--experiment NAME | --experiment-id ID]`: runs and recurring runs, by experiment or namespace. */
const experimentLister = (path, summary, kind, call) => ({
  path,
  usage: "[--experiment NAME | --experiment-id ID]",
  summary,
  options: { ...experimentRef, ...LIST_OPTIONS },
  args: [0, 0],
  async run(ctx) {
    const params = pagingParams(ctx.values);
    const experimentId = await ctx.conn.call((kfp, signal) => experimentIdFrom(kfp, ctx.values, signal));
    if (experimentId) params.experimentId = experimentId;
    return list(ctx, kind, call, params);
  },
});

const NAMESPACE_NOTE = "Works in --namespace (or the context's namespace).";

// ------------------------------------------------------------------ session commands

const login = {
  path: ["login"],
  usage: "--api-url URL [--username U] [--connector ID] [--password-stdin] [--context NAME]",
  summary: "log in and store the session",
  description: [
    "Logs in through Dex (the default), or checks a service-account token (--auth service-account-token [--token-path P])",
    "or a bearer token (--auth bearer; the token from KFP_TOKEN or stdin), and stores the session under",
    "$XDG_CONFIG_HOME/kfp-wasm/sessions.json (else ~/.config/kfp-wasm/), file mode 0600, folder 0700.",
    "The password comes from KFP_PASSWORD, from stdin with --password-stdin, or from a hidden prompt on a terminal;",
    "never from an argument. It is never stored. The context name defaults to the API URL's host.",
  ].join("\n"),
  options: {
    username: flag("string", "USER", "the Dex login name (asked for on a terminal if missing)"),
    connector: flag("string", "ID", 'the Dex connector (default "local"; e.g. "ldap")'),
    "password-stdin": flag("boolean", undefined, "read the password from stdin"),
  },
  args: [0, 0],
  examples: [
    "KFP_PASSWORD=... kfp-wasm login --api-url https://kubeflow.example.com/pipeline --username user@example.com -n team-1",
    "kfp-wasm login --api-url https://kubeflow.example.com/pipeline --username user@example.com --password-stdin < pw.txt",
    "kfp-wasm login --api-url http://ml-pipeline.kubeflow:8888 --auth service-account-token",
  ],
  async run(ctx) {
    const { values, env, lib, conn, out } = ctx;
    const apiUrl = values["api-url"] ?? env.KFP_API_URL;
    if (!apiUrl) throw new UsageError("--api-url URL is needed (or KFP_API_URL)", this.path);
    try {
      const u = new URL(apiUrl);
      if (u.protocol !== "http:" && u.protocol !== "https:") throw new Error();
    } catch {
      throw new UsageError("--api-url takes an http: or https: URL", this.path);
    }
    const type = authTypeOf(values.auth ?? "dex");
    const tls = tlsFromFlags(values);
    const auth = await authFromFlags(values, env);
    const kfp = await lib.createKfpClient({ apiUrl, auth, ...tls, ...conn.baseOptions() });
    const health = await kfp.healthz({ signal: conn.signal });
    let namespace = values.namespace ?? env.KFP_NAMESPACE ?? kfp.namespace ?? undefined;
    if (!namespace && typeof kfp.getUserNamespace === "function") {
      try {
        namespace = (await kfp.getUserNamespace()) ?? undefined;
      } catch {
        namespace = undefined;
      }
    }
    const name = values.context ?? env.KFP_CONTEXT ?? hostOf(kfp.apiUrl ?? apiUrl);
    const stored = type === "dex" ? { type, username: auth.username, connector: auth.connector } : type === "serviceAccountToken" ? { type, ...(auth.path ? { path: auth.path } : {}) } : type === "bearer" ? { type, token: auth.token } : { type };
    let session;
    try {
      session = kfp.exportSession();
    } catch {
      session = undefined;
    }
    const entry = {
      apiUrl: kfp.apiUrl ?? apiUrl,
      auth: stored,
      ...(namespace ? { namespace } : {}),
      ...(tls.skipTlsVerify ? { skipTlsVerify: true } : {}),
      ...(tls.caCert ? { caCert: tls.caCert } : {}),
      ...(session && (type === "dex" || session.cookies?.length) ? { session } : {}),
      loggedInAt: Date.now(),
    };
    updateStore((store) => {
      store.contexts[name] = entry;
      store.current = name;
    }, conn.path);
    const expiresAt = sessionExpiry(session);
    const who = type === "dex" ? auth.username : type === "serviceAccountToken" ? `the service-account token ${auth.path ? `in ${auth.path}` : "(default path)"}` : type === "bearer" ? "a bearer token" : "no credentials";
    const until = expiresAt ? `The session is valid until ${new Date(expiresAt).toISOString()} (in ${formatElapsed(expiresAt - Date.now())}).` : type === "dex" ? "The session has no stated expiry." : "";
    const nsNote = namespace ? `, namespace ${namespace}` : "";
    out.done(
      `Logged in to ${entry.apiUrl} as ${who} (context ${name}${nsNote}). ${until}`.trim() +
        (!namespace && health?.multi_user ? "\nThis is a multi-user deployment: pass --namespace (or log in again with --namespace) to pick your profile." : ""),
      { context: name, apiUrl: entry.apiUrl, authType: type, ...(type === "dex" ? { username: auth.username } : {}), ...(namespace ? { namespace } : {}), ...(expiresAt ? { expiresAt } : {}) },
    );
  },
};

const logout = {
  path: ["logout"],
  usage: "[CONTEXT] [--all]",
  summary: "forget a stored session (default: the current context)",
  options: { all: flag("boolean", undefined, "forget every context") },
  args: [0, 1],
  async run(ctx) {
    const { values, positionals, env, conn, out } = ctx;
    const name = positionals[0] ?? values.context ?? env.KFP_CONTEXT;
    const removed = updateStore((store) => {
      if (values.all) {
        const names = Object.keys(store.contexts);
        store.contexts = {};
        store.current = undefined;
        return names;
      }
      const target = name ?? store.current;
      if (!target) return [];
      if (!store.contexts[target]) throw new CliError(`no context named "${target}"`);
      delete store.contexts[target];
      if (store.current === target) store.current = undefined;
      return [target];
    }, conn.path);
    out.done(removed.length ? `Logged out of ${removed.map((n) => `context ${n}`).join(", ")}.` : "Not logged in.", { removed });
  },
};

const contexts = {
  path: ["contexts"],
  summary: "list the stored contexts; * marks the current one",
  args: [0, 0],
  async run(ctx) {
    const store = loadStore(ctx.conn.path);
    const list = Object.entries(store.contexts).map(([name, e]) => {
      const expiresAt = sessionExpiry(e.session);
      return { name, current: name === store.current, apiUrl: e.apiUrl, authType: e.auth?.type ?? "none", ...(e.auth?.username ? { username: e.auth.username } : {}), ...(e.namespace ? { namespace: e.namespace } : {}), ...(expiresAt ? { expiresAt } : {}) };
    });
    if (ctx.out.format === "jsonl") return void list.forEach((c) => ctx.out.write(JSON.stringify(c) + "\n"));
    if (ctx.out.format === "json") return void ctx.out.json({ current: store.current ?? null, contexts: list });
    if (!list.length) return void process.stderr.write("No contexts: run `kfp-wasm login --api-url URL`.\n");
    const rows = list.map((c) => [c.current ? "*" : "", c.name, c.apiUrl, c.authType, c.username ?? "", c.namespace ?? "", c.expiresAt ? new Date(c.expiresAt).toISOString() + (c.expiresAt <= Date.now() ? " (expired)" : "") : ""]);
    ctx.out.write(formatTable(["CURRENT", "NAME", "API URL", "AUTH", "USER", "NAMESPACE", "EXPIRES"], rows, ctx.out.width));
  },
};

const use = {
  path: ["use"],
  usage: "CONTEXT",
  summary: "make CONTEXT the current context",
  args: [1, 1],
  async run(ctx) {
    const [name] = ctx.positionals;
    updateStore((store) => {
      if (!store.contexts[name]) {
        const known = Object.keys(store.contexts);
        throw new CliError(`no context named "${name}"${known.length ? ` (known: ${known.join(", ")})` : ""}`);
      }
      store.current = name;
    }, ctx.conn.path);
    ctx.out.done(`Now using context ${name}.`, { current: name });
  },
};

const session = {
  path: ["session"],
  usage: "[--cookie-header]",
  summary: "show the stored session; --cookie-header prints its Cookie header (a secret)",
  description: [
    "Without flags: the context, API URL, user, namespace, expiry and the names of the session cookies.",
    "With --cookie-header: the Cookie header of the session, e.g. for",
    '  curl -H "Cookie: $(kfp-wasm session --cookie-header)" URL/apis/v2beta1/healthz',
    "  kfp.Client(host=URL, cookies=COOKIE_HEADER) in Python",
    "This is the one command that prints a secret: whoever has the header is logged in as you until it expires.",
  ].join("\n"),
  options: { "cookie-header": flag("boolean", undefined, "print the Cookie header (secret!)") },
  args: [0, 0],
  async run(ctx) {
    const { conn, out, values } = ctx;
    const target = conn.resolve();
    if (target.kind !== "context") throw new CliError("no stored session: run `kfp-wasm login` first (or pass --context)");
    if (values["cookie-header"]) {
      const kfp = await conn.client();
      const header = kfp.getSessionCookies();
      if (!header) throw new CliError(`context "${target.name}" has no session cookies (auth type ${target.entry.auth?.type ?? "none"})`);
      out.done(header, { cookieHeader: header });
      return;
    }
    const e = target.entry;
    const expiresAt = sessionExpiry(e.session);
    const info = { context: target.name, apiUrl: e.apiUrl, authType: e.auth?.type ?? "none", ...(e.auth?.username ? { username: e.auth.username } : {}), ...(e.namespace ? { namespace: e.namespace } : {}), ...(expiresAt ? { expiresAt } : {}), cookieNames: (e.session?.cookies ?? []).map((c) => c.name), ...(e.loggedInAt ? { loggedInAt: e.loggedInAt } : {}) };
    if (out.format !== "table") return void out.json(info);
    const rows = [
      ["Context", info.context],
      ["API URL", info.apiUrl],
      ["Auth", info.authType],
      ["User", info.username],
      ["Namespace", info.namespace],
      ["Logged in", info.loggedInAt && new Date(info.loggedInAt).toISOString()],
      ["Expires", expiresAt && `${new Date(expiresAt).toISOString()}${expiresAt <= Date.now() ? " (expired)" : ` (in ${formatElapsed(expiresAt - Date.now())})`}`],
      ["Cookies", info.cookieNames.join(", ")],
    ].filter(([, v]) => v);
    out.write(rows.map(([k, v]) => `${(k + ":").padEnd(11)}${v}`).join("\n") + "\n");
  },
};

const healthz = {
  path: ["healthz"],
  summary: "the API server's health and version",
  args: [0, 0],
  async run(ctx) {
    const h = await ctx.conn.call((kfp, signal) => kfp.healthz({ signal }));
    if (ctx.out.format !== "table") return void ctx.out.json(h);
    ctx.out.write(Object.entries(h ?? {}).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : v}`).join("\n") + "\n");
  },
};

// ------------------------------------------------------------------ experiments

const experiments = [
  {
    path: ["experiments", "list"],
    summary: "list experiments",
    description: NAMESPACE_NOTE,
    options: LIST_OPTIONS,
    args: [0, 0],
    run: (ctx) => list(ctx, "experiment", (kfp, p) => kfp.listExperiments(p), pagingParams(ctx.values)),
  },
  {
    path: ["experiments", "get"],
    usage: "ID | --name NAME",
    summary: "show an experiment",
    options: { name: flag("string", "NAME", "find the experiment by name (in the namespace)") },
    args: [0, 1],
    async run(ctx) {
      const { positionals, values } = ctx;
      if (!positionals[0] === !values.name) throw new UsageError("give an experiment ID or --name NAME", this.path);
      const e = await ctx.conn.call((kfp, signal) => (values.name ? kfp.getExperiment({ name: values.name, ...(kfp.namespace ? { namespace: kfp.namespace } : {}) }, { signal }) : kfp.getExperiment(positionals[0], { signal })));
      ctx.out.item("experiment", e);
    },
  },
  {
    path: ["experiments", "create"],
    usage: "NAME [--description TEXT]",
    summary: "create an experiment",
    options: { description: flag("string", "TEXT", "the description") },
    args: [1, 1],
    async run(ctx) {
      const e = await ctx.conn.call((kfp, signal) => kfp.createExperiment(ctx.positionals[0], { ...(ctx.values.description ? { description: ctx.values.description } : {}), signal }));
      ctx.out.item("experiment", e);
    },
  },
  action(["experiments", "archive"], "archive an experiment", "experiment", "Archived", (kfp, id, o) => kfp.archiveExperiment(id, o)),
  action(["experiments", "unarchive"], "restore an archived experiment", "experiment", "Unarchived", (kfp, id, o) => kfp.unarchiveExperiment(id, o)),
  action(["experiments", "delete"], "delete an experiment", "experiment", "Deleted", (kfp, id, o) => kfp.deleteExperiment(id, o)),
];

// ------------------------------------------------------------------ pipelines and versions

const pipelineRef = {
  pipeline: flag("string", "NAME", "the pipeline, by name"),
  "pipeline-id": flag("string", "ID", "the pipeline, by id"),
};

const pipelines = [
  {
    path: ["pipelines", "list"],
    summary: "list pipelines",
    options: LIST_OPTIONS,
    args: [0, 0],
    run: (ctx) => list(ctx, "pipeline", (kfp, p) => kfp.listPipelines(p), { ...pagingParams(ctx.values), ...pipelineNamespace(ctx) }),
  },
  {
    path: ["pipelines", "get"],
    usage: "ID | --name NAME",
    summary: "show a pipeline",
    options: { name: flag("string", "NAME", "find the pipeline by name") },
    args: [0, 1],
    async run(ctx) {
      const { positionals, values } = ctx;
      if (!positionals[0] === !values.name) throw new UsageError("give a pipeline ID or --name NAME", this.path);
      const p = await ctx.conn.call((kfp, signal) => (values.name ? kfp.getPipeline({ name: values.name, ...pipelineNamespace(ctx) }, { signal }) : kfp.getPipeline(positionals[0], { signal })));
      ctx.out.item("pipeline", p);
    },
  },
  {
    path: ["pipelines", "upload"],
    usage: "FILE [--name NAME] [--display-name TEXT] [--description TEXT]",
    summary: "upload a compiled pipeline (YAML; FILE - reads stdin)",
    options: {
      name: flag("string", "NAME", "the pipeline's name (default: the library's choice, from the package)"),
      "display-name": flag("string", "TEXT", "the display name"),
      description: flag("string", "TEXT", "the description"),
    },
    args: [1, 1],
    async run(ctx) {
      const { values } = ctx;
      const text = await readPackage(ctx.positionals[0]);
      const opts = {};
      if (values.name) opts.name = values.name;
      if (values["display-name"]) opts.displayName = values["display-name"];
      if (values.description) opts.description = values.description;
      const p = await ctx.conn.call((kfp, signal) => kfp.uploadPipeline(text, { ...opts, ...pipelineNamespace(ctx), signal }));
      ctx.out.item("pipeline", p);
    },
  },
  // --cascade deletes the versions one by one first: KFP's own ?cascade=true exists only from 2.14.
  action(
    ["pipelines", "delete"],
    "delete a pipeline",
    "pipeline",
    "Deleted",
    async (kfp, id, o, values) => {
      if (values.cascade) {
        const versions = [];
        for await (const v of kfp.iterPipelineVersions(id, { signal: o.signal })) versions.push(RESOURCES.version.id(v));
        for (const v of versions) await kfp.deletePipelineVersion(id, v, o);
      }
      return kfp.deletePipeline(id, o);
    },
    {
      usage: "ID [--cascade]",
      options: { cascade: flag("boolean", undefined, "delete its versions first (KFP refuses to delete a pipeline that has versions)") },
    },
  ),
];

const versions = [
  {
    path: ["versions", "list"],
    usage: "--pipeline NAME | --pipeline-id ID",
    summary: "list the versions of a pipeline",
    options: { ...pipelineRef, ...LIST_OPTIONS },
    args: [0, 0],
    async run(ctx) {
      if (!ctx.values.pipeline === !ctx.values["pipeline-id"]) throw new UsageError("give --pipeline NAME or --pipeline-id ID", this.path);
      const id = await ctx.conn.call((kfp, signal) => pipelineIdFrom(kfp, ctx, signal));
      return list(ctx, "version", (kfp, p) => kfp.listPipelineVersions(id, p), pagingParams(ctx.values), [id]);
    },
  },
  {
    path: ["versions", "get"],
    usage: "VERSION_ID --pipeline NAME | --pipeline-id ID",
    summary: "show a pipeline version",
    options: pipelineRef,
    args: [1, 1],
    async run(ctx) {
      if (!ctx.values.pipeline === !ctx.values["pipeline-id"]) throw new UsageError("give --pipeline NAME or --pipeline-id ID", this.path);
      const v = await ctx.conn.call(async (kfp, signal) => kfp.getPipelineVersion(await pipelineIdFrom(kfp, ctx, signal), ctx.positionals[0], { signal }));
      ctx.out.item("version", v);
    },
  },
  {
    path: ["versions", "upload"],
    usage: "FILE --pipeline NAME | --pipeline-id ID [--name VERSION] [--description TEXT]",
    summary: "upload a new version of a pipeline",
    options: { ...pipelineRef, name: flag("string", "VERSION", "the version's name"), description: flag("string", "TEXT", "the description") },
    args: [1, 1],
    async run(ctx) {
      const { values } = ctx;
      if (!values.pipeline === !values["pipeline-id"]) throw new UsageError("give --pipeline NAME or --pipeline-id ID", this.path);
      const text = await readPackage(ctx.positionals[0]);
      const opts = {};
      if (values.name) opts.versionName = values.name;
      if (values.description) opts.description = values.description;
      const v = await ctx.conn.call(async (kfp, signal) => kfp.uploadPipelineVersion(text, { pipelineId: await pipelineIdFrom(kfp, ctx, signal), ...opts, signal }));
      ctx.out.item("version", v);
    },
  },
  {
    path: ["versions", "delete"],
    usage: "VERSION_ID --pipeline NAME | --pipeline-id ID",
    summary: "delete a pipeline version",
    options: pipelineRef,
    args: [1, 1],
    async run(ctx) {
      if (!ctx.values.pipeline === !ctx.values["pipeline-id"]) throw new UsageError("give --pipeline NAME or --pipeline-id ID", this.path);
      const [id] = ctx.positionals;
      const r = await ctx.conn.call(async (kfp, signal) => kfp.deletePipelineVersion(await pipelineIdFrom(kfp, ctx, signal), id, { signal }));
      ctx.out.done(`Deleted pipeline version ${id}.`, r && typeof r === "object" ? r : {});
    },
  },
];

// ------------------------------------------------------------------ runs

const experimentRef = {
  experiment: flag("string", "NAME", "the experiment, by name"),
  "experiment-id": flag("string", "ID", "the experiment, by id"),
};

const pipelineSource = {
  pipeline: flag("string", "FILE", "a compiled pipeline package (YAML) to run"),
  "pipeline-id": flag("string", "ID", "an uploaded pipeline to run"),
  "version-id": flag("string", "ID", "with --pipeline-id: the version (default: the latest)"),
  param: flag("string", "KEY=VALUE", "a pipeline parameter; numbers, true/false and JSON ([..], {..}, \"..\") are parsed as JSON", { multiple: true }),
  "pipeline-root": flag("string", "URI", "where the run's artifacts go"),
  "service-account": flag("string", "NAME", "the Kubernetes service account of the run"),
  "no-caching": flag("boolean", undefined, "do not reuse cached task results"),
};

const waitOptions = { "poll-interval": flag("string", "DURATION", "time between polls (default: the library's)") };

/** --experiment NAME / --experiment-id ID → an id (created if `create`), or undefined when neither. */
async function experimentIdFrom(kfp, values, signal, { create = false } = {}) {
  if (values["experiment-id"]) return values["experiment-id"];
  if (values.experiment) return experimentIdByName(kfp, values.experiment, { signal, create });
  return undefined;
}

function checkPipelineSource(values, path) {
  if (!values.pipeline === !values["pipeline-id"]) throw new UsageError("give --pipeline FILE or --pipeline-id ID", path);
  if (values["version-id"] && !values["pipeline-id"]) throw new UsageError("--version-id goes with --pipeline-id", path);
  if (!values.experiment === !values["experiment-id"]) throw new UsageError("give --experiment NAME (or --experiment-id ID)", path);
}

const runs = [
  experimentLister(["runs", "list"], "list runs", "run", (kfp, p) => kfp.listRuns(p)),
  getter(["runs", "get"], "show a run and its tasks", "run", (kfp, id, o) => kfp.getRun(id, o)),
  {
    path: ["runs", "create"],
    usage: "--pipeline FILE | --pipeline-id ID --experiment NAME [--param KEY=VALUE ...] [--name NAME] [--wait]",
    summary: "start a run (creates the experiment if it does not exist)",
    description: "With --wait: waits like `runs wait` and exits 3 if the run ends FAILED or CANCELED, 4 on --timeout.",
    options: {
      ...pipelineSource,
      ...experimentRef,
      name: flag("string", "NAME", "the run's name (default: the pipeline's name and the time)"),
      description: flag("string", "TEXT", "the run's description"),
      wait: flag("boolean", undefined, "wait until the run ends"),
      ...waitOptions,
    },
    args: [0, 0],
    examples: ["kfp-wasm runs create --pipeline pipeline.yaml --experiment nightly --param count=10 --param name=abc --wait"],
    async run(ctx) {
      const { values, conn } = ctx;
      checkPipelineSource(values, this.path);
      const params = parseParams(values.param);
      const stamp = new Date().toISOString().replace(/\.\d+Z$/, "Z");
      let run;
      if (values.pipeline) {
        const text = await readPackage(values.pipeline);
        run = await conn.call((kfp, signal) =>
          kfp.createRunFromPipelinePackage(text, {
            arguments: params,
            ...(values.name ? { runName: values.name } : {}), // default: the pipeline's name and the time
            ...(values.description ? { description: values.description } : {}),
            ...(values["experiment-id"] ? { experimentId: values["experiment-id"] } : { experimentName: values.experiment }),
            ...(kfp.namespace ? { namespace: kfp.namespace } : {}),
            ...runOptions(values),
            signal,
          }),
        );
      } else {
        run = await conn.call(async (kfp, signal) => {
          const experimentId = await experimentIdFrom(kfp, values, signal, { create: true });
          const pipelineName = async () => {
            const p = await kfp.getPipeline(values["pipeline-id"], { signal });
            return p?.display_name ?? p?.name ?? values["pipeline-id"];
          };
          const runName = values.name ?? `${await pipelineName()} ${stamp}`;
          return kfp.runPipeline(experimentId, runName, {
            pipelineId: values["pipeline-id"],
            versionId: await versionIdFor(kfp, values, signal),
            params,
            ...(values.description ? { description: values.description } : {}),
            ...runOptions(values),
            signal,
          });
        });
      }
      const id = RESOURCES.run.id(run);
      if (!values.wait) return void ctx.out.item("run", run);
      if (ctx.out.format === "table") process.stderr.write(`Created run ${id}${run?.display_name ? ` (${run.display_name})` : ""}.\n`);
      return waitForRun(ctx, id);
    },
  },
  {
    path: ["runs", "wait"],
    usage: "ID [--timeout 30m]",
    summary: "wait until a run ends; exit 0 if it SUCCEEDED (or SKIPPED), 3 if FAILED or CANCELED, 4 on timeout",
    description: "On a terminal a live line shows the state, the time since the run started and how many tasks are done; on a pipe nothing is shown until the end.",
    options: waitOptions,
    args: [1, 1],
    run: (ctx) => waitForRun(ctx, ctx.positionals[0]),
  },
  action(["runs", "terminate"], "stop a running run", "run", "Terminated", (kfp, id, o) => kfp.terminateRun(id, o)),
  action(["runs", "retry"], "retry a failed run", "run", "Retried", (kfp, id, o) => kfp.retryRun(id, o)),
  action(["runs", "archive"], "archive a run", "run", "Archived", (kfp, id, o) => kfp.archiveRun(id, o)),
  action(["runs", "unarchive"], "restore an archived run", "run", "Unarchived", (kfp, id, o) => kfp.unarchiveRun(id, o)),
  action(["runs", "delete"], "delete a run", "run", "Deleted", (kfp, id, o) => kfp.deleteRun(id, o)),
];

// ------------------------------------------------------------------ recurring runs

const recurringRuns = [
  experimentLister(["recurring-runs", "list"], "list recurring runs", "recurringRun", (kfp, p) => kfp.listRecurringRuns(p)),
  getter(["recurring-runs", "get"], "show a recurring run", "recurringRun", (kfp, id, o) => kfp.getRecurringRun(id, o)),
  {
    path: ["recurring-runs", "create"],
    usage: "NAME --experiment NAME (--cron EXPR | --interval DURATION) (--pipeline FILE | --pipeline-id ID) [--param KEY=VALUE ...]",
    summary: "schedule a pipeline (creates the experiment if it does not exist)",
    options: {
      ...pipelineSource,
      ...experimentRef,
      cron: flag("string", "EXPR", 'a cron schedule with seconds, e.g. "0 0 2 * * *" (02:00 daily)'),
      interval: flag("string", "DURATION", "run every DURATION (e.g. 1h)"),
      "max-concurrency": flag("string", "N", "at most N runs at a time"),
      "start-time": flag("string", "TIME", "first possible run (RFC 3339)"),
      "end-time": flag("string", "TIME", "no runs after (RFC 3339)"),
      "no-catchup": flag("boolean", undefined, "do not start the runs missed while paused"),
      disabled: flag("boolean", undefined, "create it disabled"),
      description: flag("string", "TEXT", "the description"),
    },
    args: [1, 1],
    async run(ctx) {
      const { values, conn } = ctx;
      checkPipelineSource(values, this.path);
      if (!values.cron === !values.interval) throw new UsageError("give --cron EXPR or --interval DURATION", this.path);
      const opts = { params: parseParams(values.param), ...runOptions(values) };
      if (values.cron) opts.cronExpression = values.cron;
      if (values.interval) {
        opts.intervalSecond = Math.round(parseDuration(values.interval, "--interval") / 1000);
        if (opts.intervalSecond < 1) throw new UsageError("--interval must be at least 1s", this.path);
      }
      if (values["max-concurrency"]) opts.maxConcurrency = parseCount(values["max-concurrency"], "--max-concurrency");
      if (values["start-time"]) opts.startTime = isoTime(values["start-time"], "--start-time");
      if (values["end-time"]) opts.endTime = isoTime(values["end-time"], "--end-time");
      if (values["no-catchup"]) opts.noCatchup = true;
      if (values.disabled) opts.enabled = false;
      if (values.description) opts.description = values.description;
      if (values.pipeline) opts.pipelinePackage = await readPackage(values.pipeline);
      const r = await conn.call(async (kfp, signal) => {
        const source = values.pipeline ? {} : { pipelineId: values["pipeline-id"], versionId: await versionIdFor(kfp, values, signal) };
        return kfp.createRecurringRun(await experimentIdFrom(kfp, values, signal, { create: true }), ctx.positionals[0], { ...opts, ...source, signal });
      });
      ctx.out.item("recurringRun", r);
    },
  },
  action(["recurring-runs", "enable"], "enable a recurring run", "recurring run", "Enabled", (kfp, id, o) => kfp.enableRecurringRun(id, o)),
  action(["recurring-runs", "disable"], "disable a recurring run", "recurring run", "Disabled", (kfp, id, o) => kfp.disableRecurringRun(id, o)),
  action(["recurring-runs", "delete"], "delete a recurring run", "recurring run", "Deleted", (kfp, id, o) => kfp.deleteRecurringRun(id, o)),
];

export const COMMANDS = [login, logout, contexts, use, session, healthz, ...experiments, ...pipelines, ...versions, ...runs, ...recurringRuns];

