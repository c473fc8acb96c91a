// The kfp-wasm dashboard: a small Kubeflow Pipelines UI that runs in the browser on the
// gateway's own origin. It imports the package as any user would ("kfp-wasm" is mapped by the
// import map in index.html), reuses the browser's gateway session when there is one
// (auth type "browser"), and otherwise logs in through Dex from the page (auth type "dex").
//
// Plain ES module, no framework, no build step. Everything shown comes from the library's
// answers (v2beta1 shape: experiment_id, display_name, state, ...); errors are its KfpErrors,
// shown with their stable `code`.
import { createKfpClient, Filter } from "kfp-wasm";

/** KFP through the gateway of the origin that served this page (like the KFP UI at /pipeline). */
const API_URL = `${location.origin}/pipeline`;
const PAGE_SIZE = 10;
const POLL_MS = 500;
const FINAL_STATES = new Set(["SUCCEEDED", "SKIPPED", "FAILED", "CANCELED"]);
const STORE = { namespace: "kfp-dashboard.namespace", namespaces: "kfp-dashboard.namespaces", user: "kfp-dashboard.user", connector: "kfp-dashboard.connector" };

// ---------------------------------------------------------------------------------------------
// Small DOM helpers: text always goes through textContent, never innerHTML.

const $ = (selector, root = document) => root.querySelector(selector);

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  el.append(...children.flat(Infinity).filter((c) => c !== undefined && c !== null && c !== false));
  return el;
}

function setState(state) {
  document.body.dataset.state = state;
}

const store = {
  get: (k) => {
    try {
      return localStorage.getItem(k);
    } catch {
      return null;
    }
  },
  set: (k, v) => {
    try {
      if (v === null || v === undefined) localStorage.removeItem(k);
      else localStorage.setItem(k, v);
    } catch {
      // storage may be disabled; the dashboard works without it
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Banners: errors stay until dismissed; notices fade after a while.

function banner(kind, parts, { code, timeoutMs } = {}) {
  const box = h("div", { class: `banner ${kind}`, role: kind === "error" ? "alert" : "status", "data-code": code },
    h("div", { class: "text" }, parts),
    h("button", { type: "button", class: "close", title: "Dismiss", "aria-label": "Dismiss", onclick: () => box.remove() }, "×"));
  const list = $("#banners");
  list.prepend(box);
  while (list.children.length > 5) list.lastElementChild.remove();
  if (timeoutMs) setTimeout(() => box.remove(), timeoutMs);
  return box;
}

/** A KfpError (or any error) as a readable banner: its code, the message, and useful details. */
function showError(err, context) {
  const code = (err && typeof err === "object" && err.code) || err?.name || "Error";
  const details = [];
  if (err?.status) details.push(`HTTP ${err.status}`);
  if (err?.grpcCode !== undefined && err?.grpcCode !== null) details.push(`gRPC code ${err.grpcCode}`);
  if (err?.attempts) details.push(`${err.attempts} attempts`);
  if (Array.isArray(err?.offeredConnectors)) details.push(`connectors offered: ${err.offeredConnectors.join(", ") || "none"}`);
  banner("error", [
    h("strong", { class: "code" }, code),
    " ",
    context ? h("span", { class: "context" }, `${context}: `) : null,
    h("span", { class: "message" }, err?.message ?? String(err)),
    details.length ? h("span", { class: "details" }, ` (${details.join("; ")})`) : null,
  ], { code });
}

function showNotice(text, timeoutMs = 8000) {
  banner("info", [text], { timeoutMs });
}

function clearErrors() {
  for (const b of document.querySelectorAll("#banners .banner.error")) b.remove();
}

// ---------------------------------------------------------------------------------------------
// Formatting

const pad = (n) => String(n).padStart(2, "0");

/** RFC 3339 → local "YYYY-MM-DD HH:MM:SS"; KFP's zero time (1970-01-01) and absent → "—". */
function fmtTime(s) {
  if (!s || s.startsWith("1970-01-01")) return "—";
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) return s;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function fmtDuration(ms) {
  if (!(ms >= 0)) return "—";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${pad(Math.floor(s / 60) % 60)}m`;
}

function runDuration(run) {
  const start = Date.parse(run.created_at ?? "");
  if (Number.isNaN(start)) return "—";
  const fin = run.finished_at && !run.finished_at.startsWith("1970-01-01") ? Date.parse(run.finished_at) : FINAL_STATES.has(run.state) ? NaN : Date.now();
  return fmtDuration(fin - start);
}

function taskCounts(run) {
  const tasks = run.run_details?.task_details ?? [];
  if (!tasks.length) return "—";
  const done = tasks.filter((t) => t.state === "SUCCEEDED" || t.state === "SKIPPED").length;
  return `${done}/${tasks.length}`;
}

const stateBadge = (state) => h("span", { class: `state state-${(state || "UNKNOWN").toLowerCase()}` }, state || "UNKNOWN");
const isActive = (run) => !FINAL_STATES.has(run.state);
const shortId = (id) => h("code", { title: id }, id ? `${id.slice(0, 8)}…` : "—");

// ---------------------------------------------------------------------------------------------
// The client and the session

/** The signed-in KfpClient, or null. */
let kfp = null;
/** Aborted when the client is forgotten: stops every watcher and list of that client. */
let session = new AbortController();
let signedInAs = null;

/**
 * Makes a client and checks that the gateway lets it through (`healthz` is behind the gateway's
 * auth like every /pipeline path). With auth type "dex" the login happens in createKfpClient.
 */
async function connect(auth) {
  const namespace = $("#namespace").value.trim() || store.get(STORE.namespace) || undefined;
  const client = await createKfpClient({ apiUrl: API_URL, auth, namespace });
  try {
    await client.healthz();
  } catch (err) {
    client.free();
    throw err;
  }
  return client;
}

/** On load: reuse the browser's session; show the sign-in form only when there is none. */
async function trySession() {
  setState("loading");
  try {
    const client = await connect({ type: "browser" });
    await signedIn(client, store.get(STORE.user));
  } catch (err) {
    if (err?.code === "KFP_UNAUTHENTICATED") {
      showSignIn(err.loginUrl);
    } else {
      showError(err, "Checking the browser's session");
      setState("session-error");
    }
  }
}

function showSignIn(loginUrl) {
  setState("signed-out");
  const link = $("#gateway-login");
  if (loginUrl) {
    const u = new URL(loginUrl, location.href);
    // oauth2-proxy returns to `rd` after its login: come back here rather than to the KFP UI.
    if (u.origin === location.origin && u.pathname.endsWith("/oauth2/start")) u.searchParams.set("rd", location.pathname);
    $("#gateway-login-link").href = u.href;
    link.hidden = false;
  } else {
    link.hidden = true;
  }
  const user = $("#username");
  if (!user.value) user.value = store.get(STORE.user) ?? "";
  (user.value ? $("#password") : user).focus();
}

async function signIn(event) {
  event.preventDefault();
  const username = $("#username").value.trim();
  const password = $("#password").value;
  const connector = $("#connector").value.trim() || "local";
  const button = $("#signin-submit");
  button.disabled = true;
  button.textContent = "Signing in…";
  clearErrors();
  try {
    const client = await connect({ type: "dex", username, password, connector });
    $("#password").value = "";
    store.set(STORE.user, username);
    store.set(STORE.connector, connector);
    await signedIn(client, username);
  } catch (err) {
    showError(err, "Sign-in");
    if (err?.code === "KFP_UNKNOWN_CONNECTOR" && Array.isArray(err.offeredConnectors)) {
      $("#connector-list").replaceChildren(...err.offeredConnectors.map((c) => h("option", { value: c })));
    }
    $("#password").select();
  } finally {
    button.disabled = false;
    button.textContent = "Sign in";
  }
}

async function signedIn(client, user) {
  kfp = client;
  session = new AbortController();
  signedInAs = user || null;
  clearErrors();
  setState("signed-in");
  renderWho();

  let namespace = $("#namespace").value.trim() || store.get(STORE.namespace) || "";
  const found = await discoverNamespaces();
  if (client !== kfp) return;
  rememberNamespaces(found);
  if (!namespace && found.length) namespace = found[0];
  $("#namespace").value = namespace;
  if (namespace) await openNamespace(namespace);
  else {
    showNotice("Enter a namespace (the Kubeflow profile) to see its experiments and runs.", 15000);
    $("#namespace").focus();
  }
}

function renderWho() {
  const who = $("#whoami");
  who.replaceChildren(
    signedInAs ? h("strong", {}, signedInAs) : h("span", {}, "browser session"),
    h("span", { class: "muted" }, ` · ${kfp.authType === "browser" ? "reused browser session" : `signed in (${kfp.authType})`}`),
  );
  $("#client-info").textContent = `${kfp.apiUrl} · API ${kfp.apiVersion ?? "auto"} · auth ${kfp.authType}${kfp.loginCount ? ` · ${kfp.loginCount} login${kfp.loginCount > 1 ? "s" : ""}` : ""}`;
}

/**
 * Kubeflow's central dashboard says which namespaces the user may open (`/api/workgroup/env-info`).
 * Elsewhere (deployKF without it, the sandbox) it is absent: the user types the namespace.
 */
async function discoverNamespaces() {
  try {
    const r = await fetch("/api/workgroup/env-info", { credentials: "same-origin", redirect: "manual", headers: { accept: "application/json" }, signal: AbortSignal.timeout(3000) });
    if (!r.ok || !/json/.test(r.headers.get("content-type") ?? "")) return [];
    const info = await r.json();
    if (!signedInAs && typeof info?.user === "string") signedInAs = info.user;
    return (Array.isArray(info?.namespaces) ? info.namespaces : []).map((n) => n?.namespace).filter((n) => typeof n === "string" && n);
  } catch {
    return [];
  }
}

function rememberNamespaces(names) {
  const known = new Set(JSON.parse(store.get(STORE.namespaces) || "[]"));
  for (const n of names) known.add(n);
  const list = [...known].slice(-20);
  store.set(STORE.namespaces, JSON.stringify(list));
  $("#namespace-list").replaceChildren(...list.map((n) => h("option", { value: n })));
}

function signOut() {
  session.abort();
  for (const w of watchers.values()) w.abort();
  watchers.clear();
  kfp?.free();
  kfp = null;
  signedInAs = null;
  for (const view of [experiments, pipelines, runs]) view.clear();
  $("#watch .run-cards").replaceChildren();
  $("#client-info").textContent = "";
  clearErrors();
  showSignIn();
  showNotice("Signed out of this page. The gateway session stays in this browser until you end it (“End gateway session”).", 12000);
}

// ---------------------------------------------------------------------------------------------
// Namespace

async function openNamespace(namespace) {
  if (!kfp) return;
  kfp.setUserNamespace(namespace);
  store.set(STORE.namespace, namespace);
  rememberNamespaces([namespace]);
  $("#runs-experiment").value = "";
  await Promise.all([experiments.reset(), pipelines.reset(), runs.reset(), loadExperimentChoices(), loadPipelineChoices()]);
}

// ---------------------------------------------------------------------------------------------
// Lists with paging: page tokens are kept in a stack, so "Previous" goes back exactly.

class ListView {
  /**
   * @param {string} id the section's id
   * @param {(paging: {pageSize: number, pageToken?: string}) => Promise<{items: object[], total?: number, next?: string}>} load
   * @param {(item: object) => HTMLTableRowElement} row
   */
  constructor(id, load, row) {
    this.section = document.getElementById(id);
    this.tbody = $("tbody", this.section);
    this.pager = $(".pager", this.section);
    this.columns = this.section.querySelectorAll("thead th").length;
    this.load = load;
    this.row = row;
    this.tokens = [""];
    this.page = 0;
    this.next = "";
    this.seq = 0;
    this.items = [];
    $("[data-action=reload]", this.section).addEventListener("click", () => this.refresh());
  }

  reset() {
    this.tokens = [""];
    this.page = 0;
    return this.refresh();
  }

  async refresh() {
    if (!kfp) return;
    const seq = ++this.seq;
    this.section.classList.add("busy");
    try {
      const page = await this.load({ pageSize: PAGE_SIZE, pageToken: this.tokens[this.page] || undefined, signal: session.signal });
      if (seq !== this.seq) return;
      this.items = page.items;
      this.total = Number(page.total ?? NaN);
      this.next = page.next || "";
      this.render();
    } catch (err) {
      if (seq !== this.seq || err?.code === "KFP_ABORTED") return;
      showError(err, `Listing ${this.section.querySelector("h2").textContent.toLowerCase()}`);
      this.items = [];
      this.next = "";
      this.render("Could not load this list.");
    } finally {
      if (seq === this.seq) this.section.classList.remove("busy");
    }
  }

  render(emptyText = "None yet.") {
    const rows = this.items.map((item) => this.row(item));
    this.tbody.replaceChildren(...(rows.length ? rows : [h("tr", { class: "empty" }, h("td", { colspan: this.columns }, emptyText))]));
    const first = this.page * PAGE_SIZE + 1;
    const last = this.page * PAGE_SIZE + this.items.length;
    const range = this.items.length ? `${first}–${last}` : "0";
    this.pager.replaceChildren(
      h("button", { type: "button", "data-action": "prev", disabled: this.page === 0, onclick: () => this.goPrev() }, "← Previous"),
      h("span", { class: "page-info" }, `Page ${this.page + 1} · ${range}${Number.isFinite(this.total) ? ` of ${this.total}` : ""}`),
      h("button", { type: "button", "data-action": "next", disabled: !this.next, onclick: () => this.goNext() }, "Next →"),
    );
  }

  goNext() {
    if (!this.next) return;
    this.tokens.length = this.page + 1;
    this.tokens.push(this.next);
    this.page += 1;
    return this.refresh();
  }

  goPrev() {
    if (this.page === 0) return;
    this.page -= 1;
    return this.refresh();
  }

  clear() {
    this.seq++;
    this.items = [];
    this.tokens = [""];
    this.page = 0;
    this.tbody.replaceChildren();
    this.pager.replaceChildren();
  }
}

const experiments = new ListView(
  "experiments",
  async (paging) => {
    const page = await kfp.listExperiments({ ...paging, sortBy: "created_at desc" });
    return { items: page.experiments, total: page.total_size, next: page.next_page_token };
  },
  (e) =>
    h("tr", { "data-experiment-id": e.experiment_id },
      h("td", {}, h("button", { type: "button", class: "link", title: "Show its runs", onclick: () => filterRunsBy(e.experiment_id) }, e.display_name ?? e.experiment_id)),
      h("td", { class: "muted" }, e.description ?? ""),
      h("td", {}, fmtTime(e.created_at)),
      h("td", {}, (e.storage_state ?? "AVAILABLE").toLowerCase())),
);

const pipelines = new ListView(
  "pipelines",
  async (paging) => {
    const q = $("#pipeline-search").value.trim();
    const page = await kfp.listPipelines({ ...paging, sortBy: "created_at desc", filter: q ? Filter.isSubstring("display_name", q) : undefined, ...pipelineScope() });
    return { items: page.pipelines, total: page.total_size, next: page.next_page_token };
  },
  (p) =>
    h("tr", { "data-pipeline-id": p.pipeline_id },
      h("td", {}, p.display_name ?? p.name ?? p.pipeline_id, p.namespace ? h("span", { class: "tag" }, p.namespace) : null),
      h("td", { class: "muted" }, p.description ?? ""),
      h("td", {}, fmtTime(p.created_at)),
      h("td", {}, h("button", { type: "button", "data-action": "use", onclick: () => choosePipeline(p) }, "Run…"))),
);

const runs = new ListView(
  "runs",
  async (paging) => {
    const experimentId = $("#runs-experiment").value || undefined;
    const state = $("#runs-state").value;
    const page = await kfp.listRuns({ ...paging, experimentId, sortBy: "created_at desc", filter: state ? Filter.equals("state", state) : undefined });
    return { items: page.runs, total: page.total_size, next: page.next_page_token };
  },
  (r) => runRow(r),
);

function runRow(r) {
  const active = isActive(r);
  return h("tr", { "data-run-id": r.run_id, "data-run-name": r.display_name },
    h("td", {}, r.display_name ?? "—"),
    h("td", {}, stateBadge(r.state)),
    h("td", {}, taskCounts(r)),
    h("td", {}, fmtTime(r.created_at)),
    h("td", {}, runDuration(r)),
    h("td", {}, shortId(r.run_id)),
    h("td", { class: "actions" },
      active && !watchers.has(r.run_id) ? h("button", { type: "button", "data-action": "watch", onclick: () => watch(r) }, "Watch") : null,
      active ? h("button", { type: "button", class: "danger", "data-action": "terminate", onclick: (e) => terminate(r, e.currentTarget) }, "Terminate") : null));
}

/** Puts a fresher copy of a run into the runs table, if it is on the current page. */
function updateRunRow(run) {
  const old = runs.tbody.querySelector(`tr[data-run-id="${CSS.escape(run.run_id)}"]`);
  if (old) old.replaceWith(runRow(run));
}

function filterRunsBy(experimentId) {
  $("#runs-experiment").value = experimentId;
  runs.reset();
  $("#runs").scrollIntoView({ behavior: "smooth", block: "start" });
}

function pipelineScope() {
  return $("#upload-private").checked ? { namespace: kfp.namespace } : {};
}

// ---------------------------------------------------------------------------------------------
// Choices for the run form: pipelines, their versions, experiments.

async function loadExperimentChoices() {
  const selects = [$("#run-experiment"), $("#runs-experiment")];
  try {
    const page = await kfp.listExperiments({ pageSize: 200, signal: session.signal });
    const list = page.experiments.filter((e) => e.storage_state !== "ARCHIVED").sort((a, b) => (a.display_name ?? "").localeCompare(b.display_name ?? ""));
    const [runExp, filterExp] = selects;
    const keep = runExp.value;
    runExp.replaceChildren(...list.map((e) => h("option", { value: e.experiment_id }, e.display_name)));
    runExp.value = keep && list.some((e) => e.experiment_id === keep) ? keep : (list.find((e) => e.display_name === "Default") ?? list[0])?.experiment_id ?? "";
    const keepFilter = filterExp.value;
    filterExp.replaceChildren(h("option", { value: "" }, "All experiments"), ...list.map((e) => h("option", { value: e.experiment_id }, e.display_name)));
    filterExp.value = keepFilter;
  } catch (err) {
    if (err?.code !== "KFP_ABORTED") showError(err, "Listing experiments");
  }
}

async function loadPipelineChoices(selectId) {
  const select = $("#run-pipeline");
  try {
    const page = await kfp.listPipelines({ pageSize: 100, sortBy: "created_at desc", signal: session.signal, ...pipelineScope() });
    const keep = selectId ?? select.value;
    select.replaceChildren(...page.pipelines.map((p) => h("option", { value: p.pipeline_id }, p.display_name ?? p.name ?? p.pipeline_id)));
    if (keep && page.pipelines.some((p) => p.pipeline_id === keep)) select.value = keep;
    await loadVersionChoices();
  } catch (err) {
    if (err?.code !== "KFP_ABORTED") showError(err, "Listing pipelines");
  }
}

async function loadVersionChoices() {
  const pipelineId = $("#run-pipeline").value;
  const select = $("#run-version");
  if (!pipelineId) {
    select.replaceChildren();
    return;
  }
  try {
    const page = await kfp.listPipelineVersions(pipelineId, { pageSize: 50, sortBy: "created_at desc", signal: session.signal });
    if ($("#run-pipeline").value !== pipelineId) return;
    select.replaceChildren(...page.pipeline_versions.map((v) => h("option", { value: v.pipeline_version_id }, `${v.display_name ?? v.pipeline_version_id} (${fmtTime(v.created_at)})`)));
    await prefillRun();
  } catch (err) {
    if (err?.code !== "KFP_ABORTED") showError(err, "Listing pipeline versions");
  }
}

/** Run name and parameters from the chosen version: its root inputs with their defaults. */
async function prefillRun() {
  const pipelineId = $("#run-pipeline").value;
  const versionId = $("#run-version").value;
  const name = $("#run-pipeline").selectedOptions[0]?.textContent ?? "run";
  $("#run-name").value = `${name} ${new Date().toISOString().slice(0, 19).replace("T", " ")}`;
  if (!versionId) return;
  try {
    const version = await kfp.getPipelineVersion(pipelineId, versionId, { signal: session.signal });
    if ($("#run-version").value !== versionId) return;
    $("#run-params").value = JSON.stringify(defaultParams(version.pipeline_spec), null, 2);
  } catch (err) {
    if (err?.code !== "KFP_ABORTED") showError(err, "Reading the pipeline version");
  }
}

function defaultParams(spec) {
  // A package with a platform spec comes back as {pipeline_spec, platform_spec}.
  const s = spec && !spec.root && spec.pipeline_spec ? spec.pipeline_spec : spec;
  const params = s?.root?.inputDefinitions?.parameters ?? {};
  const empty = { NUMBER_INTEGER: 0, NUMBER_DOUBLE: 0, STRING: "", BOOLEAN: false, LIST: [], STRUCT: {} };
  return Object.fromEntries(Object.entries(params).map(([k, d]) => [k, d?.defaultValue ?? empty[d?.parameterType] ?? null]));
}

async function choosePipeline(p) {
  const select = $("#run-pipeline");
  if (![...select.options].some((o) => o.value === p.pipeline_id)) select.prepend(h("option", { value: p.pipeline_id }, p.display_name ?? p.pipeline_id));
  select.value = p.pipeline_id;
  await loadVersionChoices();
  $("#start-run").scrollIntoView({ behavior: "smooth", block: "center" });
  $("#run-name").focus();
}

// ---------------------------------------------------------------------------------------------
// Upload, run, watch, terminate

async function upload(event) {
  event.preventDefault();
  const file = $("#upload-file").files[0];
  if (!file) return;
  const button = $("#upload-submit");
  button.disabled = true;
  try {
    const name = $("#upload-name").value.trim() || undefined;
    const description = $("#upload-description").value.trim() || undefined;
    // A File is a Blob: the library reads it and sends the multipart upload itself.
    const pipeline = await kfp.uploadPipeline(file, { name, description, signal: session.signal, ...pipelineScope() });
    showNotice(`Uploaded pipeline “${pipeline.display_name ?? pipeline.name}” (${pipeline.pipeline_id}).`);
    $("#upload-form").reset();
    await Promise.all([pipelines.reset(), loadPipelineChoices(pipeline.pipeline_id)]);
  } catch (err) {
    if (err?.code !== "KFP_ABORTED") showError(err, `Uploading ${file.name}`);
  } finally {
    button.disabled = false;
  }
}

async function startRun(event) {
  event.preventDefault();
  const pipelineId = $("#run-pipeline").value;
  const versionId = $("#run-version").value || undefined;
  const experimentId = $("#run-experiment").value;
  const runName = $("#run-name").value.trim();
  let params;
  try {
    params = JSON.parse($("#run-params").value || "{}");
    if (params === null || typeof params !== "object" || Array.isArray(params)) throw new SyntaxError("the parameters must be a JSON object, e.g. {\"count\": 3}");
  } catch (err) {
    showError({ code: "INVALID_PARAMETERS", message: err.message }, "Parameters");
    return;
  }
  const button = $("#run-submit");
  button.disabled = true;
  try {
    const run = await kfp.runPipeline(experimentId, runName, { pipelineId, versionId, params, signal: session.signal });
    showNotice(`Started run “${run.display_name}” (${run.run_id}).`);
    watch(run);
    runs.refresh();
    prefillRun();
  } catch (err) {
    if (err?.code !== "KFP_ABORTED") showError(err, "Starting the run");
  } finally {
    button.disabled = false;
  }
}

/** run_id → AbortController of its waitForRunCompletion. */
const watchers = new Map();

/** Follows a run live: waitForRunCompletion polls it and reports every answer to onProgress. */
function watch(run) {
  const id = run.run_id;
  if (!kfp || watchers.has(id)) return;
  const client = kfp;
  const ctrl = new AbortController();
  session.signal.addEventListener("abort", () => ctrl.abort(), { once: true });
  watchers.set(id, ctrl);
  const card = h("li", { class: "run-card", "data-run-id": id, "data-run-name": run.display_name });
  $("#watch .run-cards").prepend(card);
  const history = [];
  const show = (r) => {
    if (history.at(-1) !== r.state) history.push(r.state);
    card.dataset.state = r.state ?? "";
    card.replaceChildren(
      h("div", { class: "run-head" }, h("strong", {}, r.display_name ?? id), stateBadge(r.state)),
      h("div", { class: "run-meta muted" }, `tasks ${taskCounts(r)} · ${runDuration(r)} · `, shortId(id)),
      h("div", { class: "run-history" }, history.map((s, i) => [i ? h("span", { class: "arrow" }, " → ") : null, h("span", { class: `hist state-${s?.toLowerCase()}` }, s)])),
      h("div", { class: "run-error", hidden: !r.error?.message }, r.error?.message ?? ""),
      h("div", { class: "run-actions" },
        isActive(r)
          ? h("button", { type: "button", class: "danger", "data-action": "terminate", onclick: (e) => terminate(r, e.currentTarget) }, "Terminate")
          : h("button", { type: "button", "data-action": "dismiss", onclick: () => card.remove() }, "Dismiss")),
    );
    updateRunRow(r);
  };
  show(run);
  client
    .waitForRunCompletion(id, { pollIntervalMs: POLL_MS, timeoutMs: 24 * 3600_000, signal: ctrl.signal, onProgress: show })
    .then((done) => {
      show(done);
      showNotice(`Run “${done.display_name}” ${done.state.toLowerCase()}.`);
      runs.refresh();
    })
    .catch((err) => {
      if (err?.code === "KFP_ABORTED") return;
      if (err?.run) show(err.run);
      showError(err, `Watching run ${run.display_name ?? id}`);
    })
    .finally(() => {
      watchers.delete(id);
      card.classList.add("finished");
    });
}

async function terminate(run, button) {
  if (button) button.disabled = true;
  try {
    await kfp.terminateRun(run.run_id, { signal: session.signal });
    showNotice(`Terminating run “${run.display_name}”…`);
    watch(run);
  } catch (err) {
    if (button) button.disabled = false;
    if (err?.code !== "KFP_ABORTED") showError(err, `Terminating ${run.display_name ?? run.run_id}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Wiring

$("#api-url").textContent = API_URL;
$("#gateway-signout").href = `/oauth2/sign_out?rd=${encodeURIComponent(location.pathname)}`;
$("#gateway-signout").addEventListener("click", () => {
  session.abort();
  kfp?.free();
  kfp = null;
});
$("#connector").value = store.get(STORE.connector) ?? "local";
rememberNamespaces([]);
$("#signin-form").addEventListener("submit", signIn);
$("#signout").addEventListener("click", signOut);
$("#retry-session").addEventListener("click", () => {
  clearErrors();
  trySession();
});
$("#session-retry").addEventListener("click", () => {
  clearErrors();
  trySession();
});
$("#session-password").addEventListener("click", () => showSignIn());
$("#namespace-form").addEventListener("submit", (e) => {
  e.preventDefault();
  const ns = $("#namespace").value.trim();
  if (ns) openNamespace(ns);
});
$("#upload-form").addEventListener("submit", upload);
$("#upload-file").addEventListener("change", () => {
  const f = $("#upload-file").files[0];
  if (f && !$("#upload-name").value) $("#upload-name").value = f.name.replace(/\.(ya?ml|json|zip|tar\.gz|tgz)$/i, "");
});
$("#upload-private").addEventListener("change", () => {
  if (!kfp) return;
  pipelines.reset();
  loadPipelineChoices();
});
$("#run-form").addEventListener("submit", startRun);
$("#run-pipeline").addEventListener("change", loadVersionChoices);
$("#run-version").addEventListener("change", prefillRun);
$("#runs-experiment").addEventListener("change", () => runs.reset());
$("#runs-state").addEventListener("change", () => runs.reset());
let searchTimer;
$("#pipeline-search").addEventListener("input", () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => pipelines.reset(), 250);
});
window.addEventListener("unhandledrejection", (e) => showError(e.reason, "Unexpected"));

await trySession();
