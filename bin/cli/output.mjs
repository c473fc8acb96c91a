// What the CLI prints: tables for people, one JSON document (`--json`) or one JSON value per line
// (`--output jsonl`) for scripts. JSON output is the library's objects unchanged (KFP's own
// snake_case field names); tables pick a few of those fields.

/** How each resource shows in a table: columns as [header, (item) => text]. */
const time = (t) => (typeof t === "string" && t && !t.startsWith("1970-01-01") ? t.replace("T", " ").replace(/\.\d+Z$/, "Z") : "");
const tasksDone = (run) => {
  const tasks = run?.run_details?.task_details;
  if (!Array.isArray(tasks) || tasks.length === 0) return "";
  return `${tasks.filter((t) => DONE_STATES.has(t?.state)).length}/${tasks.length}`;
};
export const DONE_STATES = new Set(["SUCCEEDED", "SKIPPED", "FAILED", "CANCELED", "CACHED"]);

const trigger = (r) => {
  const t = r?.trigger ?? {};
  if (t.cron_schedule?.cron) return `cron ${t.cron_schedule.cron}`;
  if (t.periodic_schedule?.interval_second) return `every ${t.periodic_schedule.interval_second}s`;
  return "";
};

export const RESOURCES = {
  experiment: {
    plural: "experiments",
    listKey: "experiments",
    id: (e) => e?.experiment_id ?? e?.id,
    columns: [
      ["ID", (e) => e.experiment_id ?? e.id],
      ["NAME", (e) => e.display_name ?? e.name],
      ["NAMESPACE", (e) => e.namespace],
      ["STATE", (e) => e.storage_state],
      ["CREATED", (e) => time(e.created_at)],
    ],
    details: [["DESCRIPTION", (e) => e.description], ["LAST RUN", (e) => time(e.last_run_created_at)]],
  },
  pipeline: {
    plural: "pipelines",
    listKey: "pipelines",
    id: (p) => p?.pipeline_id ?? p?.id,
    columns: [
      ["ID", (p) => p.pipeline_id ?? p.id],
      ["NAME", (p) => p.display_name ?? p.name],
      ["NAMESPACE", (p) => p.namespace],
      ["CREATED", (p) => time(p.created_at)],
    ],
    details: [["DESCRIPTION", (p) => p.description]],
  },
  version: {
    plural: "pipeline versions",
    listKey: "pipeline_versions",
    id: (v) => v?.pipeline_version_id ?? v?.id,
    columns: [
      ["ID", (v) => v.pipeline_version_id ?? v.id],
      ["NAME", (v) => v.display_name ?? v.name],
      ["PIPELINE", (v) => v.pipeline_id],
      ["CREATED", (v) => time(v.created_at)],
    ],
    details: [["DESCRIPTION", (v) => v.description]],
  },
  run: {
    plural: "runs",
    listKey: "runs",
    id: (r) => r?.run_id ?? r?.id,
    columns: [
      ["ID", (r) => r.run_id ?? r.id],
      ["NAME", (r) => r.display_name ?? r.name],
      ["STATE", (r) => r.state ?? r.status],
      ["TASKS", tasksDone],
      ["EXPERIMENT", (r) => r.experiment_id],
      ["CREATED", (r) => time(r.created_at)],
      ["FINISHED", (r) => time(r.finished_at)],
    ],
    details: [
      ["NAMESPACE", (r) => r.namespace],
      ["PIPELINE", (r) => r.pipeline_version_reference?.pipeline_id],
      ["VERSION", (r) => r.pipeline_version_reference?.pipeline_version_id],
      ["STORAGE", (r) => r.storage_state],
      ["ERROR", (r) => r.error?.message],
    ],
  },
  recurringRun: {
    plural: "recurring runs",
    listKey: "recurringRuns",
    id: (r) => r?.recurring_run_id ?? r?.id,
    columns: [
      ["ID", (r) => r.recurring_run_id ?? r.id],
      ["NAME", (r) => r.display_name ?? r.name],
      ["STATUS", (r) => r.status ?? r.mode],
      ["TRIGGER", trigger],
      ["EXPERIMENT", (r) => r.experiment_id],
      ["CREATED", (r) => time(r.created_at)],
    ],
    details: [["MAX CONCURRENCY", (r) => r.max_concurrency], ["DESCRIPTION", (r) => r.description]],
  },
};

const cell = (v) => (v === undefined || v === null ? "" : String(v).replace(/[\r\n\t]+/g, " "));

/** Text of a table: a header row, then one row per item, columns padded; fitted to `width`. */
export function formatTable(headers, rows, width) {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  if (width) {
    // Shrink the widest column until the line fits (never below 10 characters).
    const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
    while (total() > width) {
      const i = widths.indexOf(Math.max(...widths));
      if (widths[i] <= 10) break;
      widths[i]--;
    }
  }
  const fit = (s, w) => (s.length > w ? s.slice(0, Math.max(0, w - 1)) + "…" : s.padEnd(w));
  return [headers, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? fit(c, widths[i]).trimEnd() : fit(c, widths[i]))).join("  ")).join("\n") + "\n";
}

/** Writes results in the chosen format. */
export class Output {
  constructor({ format = "table", stdout = process.stdout } = {}) {
    this.format = format;
    this.stdout = stdout;
  }
  get width() {
    return this.stdout.isTTY ? this.stdout.columns : undefined;
  }
  write(text) {
    this.stdout.write(text);
  }
  json(value) {
    if (this.format === "jsonl") this.write(JSON.stringify(value ?? {}) + "\n");
    else this.write(JSON.stringify(value ?? {}, null, 2) + "\n");
  }
  /** A list of items (all pages, or one page with its token). */
  list(kind, items, page = {}) {
    const r = RESOURCES[kind];
    if (this.format === "jsonl") {
      for (const item of items) this.write(JSON.stringify(item) + "\n");
      return;
    }
    if (this.format === "json") {
      const doc = { [r.listKey]: items };
      if (page.total_size !== undefined) doc.total_size = page.total_size;
      if (page.next_page_token) doc.next_page_token = page.next_page_token;
      return this.json(doc);
    }
    if (items.length === 0) {
      process.stderr.write(`No ${r.plural} found.\n`);
    } else {
      const cols = r.columns.filter(([, f]) => items.some((it) => cell(f(it)) !== ""));
      const shown = cols.length ? cols : r.columns.slice(0, 2);
      this.write(formatTable(shown.map(([h]) => h), items.map((it) => shown.map(([, f]) => cell(f(it)))), this.width));
    }
    if (page.next_page_token) process.stderr.write(`More ${r.plural}: add --page-token ${page.next_page_token} (or --all for every page).\n`);
  }
  /** One item: a field list in a table, the object itself as JSON. */
  item(kind, item) {
    if (this.format !== "table") return this.json(item);
    const r = RESOURCES[kind];
    const rows = [...r.columns, ...r.details].map(([h, f]) => [h, cell(f(item))]).filter(([, v]) => v !== "");
    const w = Math.max(...rows.map(([h]) => h.length));
    this.write(rows.map(([h, v]) => `${(h + ":").padEnd(w + 2)}${v}`).join("\n") + "\n");
    const tasks = kind === "run" ? item?.run_details?.task_details : undefined;
    if (Array.isArray(tasks) && tasks.length) {
      this.write("\n" + formatTable(["TASK", "STATE", "STARTED", "FINISHED"], tasks.map((t) => [cell(t.display_name ?? t.task_id), cell(t.state), cell(time(t.start_time ?? t.create_time)), cell(time(t.end_time))]), this.width));
    }
  }
  /** A one-line message for people; in JSON formats, `value` instead. */
  done(message, value) {
    if (this.format === "table") this.write(message + "\n");
    else this.json(value);
  }
}

/** "45s", "3m07s", "1h02m03s", "6d23h" for a number of milliseconds. */
export function formatElapsed(ms) {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s >= 86400) return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, "0")}h`;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h) return `${h}h${String(m).padStart(2, "0")}m${String(sec).padStart(2, "0")}s`;
  if (m) return `${m}m${String(sec).padStart(2, "0")}s`;
  return `${sec}s`;
}

/**
 * The live line of `runs wait` on a terminal: state, elapsed time and tasks done, redrawn in
 * place every second and on every poll. On a pipe it does nothing.
 */
export class LiveLine {
  constructor(stream = process.stderr) {
    this.stream = stream;
    this.enabled = !!stream.isTTY;
    this.run = undefined;
    this.started = Date.now();
    this.timer = undefined;
    this.frame = 0;
  }
  start(runId) {
    if (!this.enabled) return;
    this.runId = runId;
    this.timer = setInterval(() => this.draw(), 1000);
    this.timer.unref?.();
    this.draw();
  }
  update(run) {
    this.run = run;
    const created = Date.parse(run?.created_at ?? "");
    if (Number.isFinite(created) && created <= Date.now() && created > this.started - 7 * 24 * 3600e3) this.started = Math.min(this.started, created);
    this.draw();
  }
  draw() {
    if (!this.enabled) return;
    const spin = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏"[this.frame++ % 10];
    const state = this.run?.state ?? "WAITING";
    const tasks = tasksDone(this.run);
    let line = `${spin} run ${this.runId ?? ""}  ${state}  ${formatElapsed(Date.now() - this.started)}${tasks ? `  tasks ${tasks} done` : ""}`;
    const cols = this.stream.columns;
    if (cols && line.length > cols - 1) line = line.slice(0, cols - 1);
    this.stream.write(`\r\x1b[2K${line}`);
  }
  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.enabled) this.stream.write("\r\x1b[2K");
  }
}
