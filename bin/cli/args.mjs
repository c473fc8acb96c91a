// Command-line parsing with node:util parseArgs: global flags may come before or after the
// command words; each command accepts the global flags plus its own, strictly.
import { parseArgs } from "node:util";

/** Exit statuses. */
export const EXIT = { OK: 0, FAILURE: 1, USAGE: 2, RUN_FAILED: 3, TIMEOUT: 4 };

/** A failure the CLI reports itself: `message` on stderr, then exit with `exitCode`. */
export class CliError extends Error {
  constructor(message, { exitCode = EXIT.FAILURE, code, hint } = {}) {
    super(message);
    this.name = "CliError";
    this.exitCode = exitCode;
    this.code = code;
    this.hint = hint;
  }
}

/** A usage error (exit 2); `command` names the command whose --help to point at. */
export class UsageError extends CliError {
  constructor(message, command) {
    super(message, { exitCode: EXIT.USAGE });
    this.name = "UsageError";
    this.command = command;
  }
}

/** Flags every command takes. */
export const GLOBAL_OPTIONS = {
  context: { type: "string", arg: "NAME", help: "use this stored context (default: the current one; env KFP_CONTEXT)" },
  "api-url": { type: "string", arg: "URL", help: "the KFP API URL, e.g. https://host/pipeline (env KFP_API_URL); with --auth none or service-account-token no stored session is needed" },
  namespace: { type: "string", short: "n", arg: "NS", help: "the namespace (Kubeflow profile) to work in (env KFP_NAMESPACE)" },
  auth: { type: "string", arg: "TYPE", help: "dex | service-account-token | bearer | none: authenticate this way instead of using a stored session" },
  "token-path": { type: "string", arg: "PATH", help: "the service-account token file (default $KF_PIPELINES_SA_TOKEN_PATH, else /var/run/secrets/kubeflow/pipelines/token)" },
  "skip-tls-verify": { type: "boolean", help: "accept any TLS certificate (test deployments only)" },
  "ca-cert": { type: "string", arg: "FILE", help: "trust the PEM certificate(s) in FILE as well" },
  timeout: { type: "string", arg: "DURATION", help: "give up after this long (e.g. 30s, 5m, 1h; a bare number is seconds); exit status 4" },
  json: { type: "boolean", help: "print one JSON document" },
  output: { type: "string", short: "o", arg: "FORMAT", help: "table (default), json or jsonl (one JSON value per line)" },
  verbose: { type: "boolean", help: "log each HTTP exchange (method, URL without secrets, status, time) on stderr; stack traces on errors" },
  help: { type: "boolean", short: "h", help: "show help" },
  version: { type: "boolean", help: "print the version" },
};

/** Flags of the list commands. */
export const LIST_OPTIONS = {
  all: { type: "boolean", help: "every page" },
  "page-size": { type: "string", arg: "N", help: "items per page" },
  "page-token": { type: "string", arg: "TOKEN", help: "the page to show (next_page_token of the previous one)" },
  filter: { type: "string", arg: "JSON", help: 'a filter, e.g. \'{"predicates":[{"key":"display_name","operation":"IS_SUBSTRING","string_value":"x"}]}\'' },
  "sort-by": { type: "string", arg: "SPEC", help: 'e.g. "created_at desc"' },
};

const parseArgsOptions = (options) => Object.fromEntries(Object.entries(options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]));

/** Turns parseArgs's messages into ours, without echoing option values (they may be secrets). */
function usageMessage(err) {
  const m = /^Unknown option '([^'=]*)/.exec(err.message);
  if (m) return `unknown option ${m[1]}`;
  const v = /^Option '([^']*?)(?: <value>)?' argument missing/.exec(err.message);
  if (v) return `option ${v[1].replace(/^-\w, /, "")} needs a value`;
  const a = /^Option '([^' ]*)(?: <value>)?' argument is ambiguous/.exec(err.message);
  if (a) {
    const name = a[1].replace(/^-\w, /, "");
    return `option ${name} needs a value${name.startsWith("--") ? ` (to give one that starts with "-", write ${name}=VALUE)` : ""}`;
  }
  const b = /^Option '([^']*)' does not take an argument/.exec(err.message);
  if (b) return `option ${b[1].replace(/^-\w, /, "")} does not take a value`;
  if (/Unexpected argument/.test(err.message)) return "too many arguments";
  return "invalid arguments";
}

/**
 * Finds the command and parses its flags.
 * @param {string[]} argv
 * @param {Array<{path: string[], options?: object}>} commands
 * @returns {{ command?: object, group?: string[], values: object, positionals: string[] }}
 */
export function parseCommandLine(argv, commands) {
  // Pass 1: every flag any command knows, not strict, to find the command words.
  const union = { ...GLOBAL_OPTIONS, ...LIST_OPTIONS };
  for (const c of commands) Object.assign(union, c.options ?? {});
  let tokens;
  try {
    ({ tokens } = parseArgs({ args: argv, options: parseArgsOptions(union), strict: false, allowPositionals: true, tokens: true }));
  } catch (err) {
    throw new UsageError(usageMessage(err));
  }
  const words = [];
  const isPrefix = (path, full) => path.length <= full.length && path.every((w, i) => full[i] === w);
  for (const t of tokens) {
    if (t.kind === "option-terminator") break;
    if (t.kind !== "positional") continue;
    const current = words.map((w) => w.value);
    if (commands.some((c) => c.path.length === current.length && isPrefix(current, c.path))) break;
    if (!commands.some((c) => isPrefix([...current, t.value], c.path))) break;
    words.push(t);
  }
  const path = words.map((w) => w.value);
  const command = commands.find((c) => c.path.length === path.length && c.path.every((w, i) => w === path[i]));
  const rest = argv.filter((_, i) => !words.some((w) => w.index === i));
  const options = { ...GLOBAL_OPTIONS, ...(command?.options ?? {}) };
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: parseArgsOptions(options), strict: true, allowPositionals: true });
  } catch (err) {
    // --help wins over any other mistake on the line.
    if (rest.includes("--help") || rest.includes("-h")) return { command, group: path, values: { help: true }, positionals: [] };
    throw new UsageError(usageMessage(err), command?.path ?? path);
  }
  return { command, group: path, values: parsed.values, positionals: parsed.positionals };
}

/** "30s", "5m", "1h", "250ms", "1h30m" or a bare number of seconds → milliseconds. */
export function parseDuration(text, flag = "--timeout") {
  const s = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Math.round(Number(s) * 1000);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
  let total = 0;
  let m;
  let pos = 0;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * unit[m[2]];
    pos = re.lastIndex;
  }
  if (!s || pos !== s.length) throw new UsageError(`${flag} takes a duration like 30s, 5m or 1h (got ${JSON.stringify(s.slice(0, 20))})`);
  return Math.round(total);
}

/** A positive integer flag. */
export function parseCount(text, flag) {
  if (!/^\d+$/.test(String(text)) || Number(text) < 1) throw new UsageError(`${flag} takes a positive whole number`);
  return Number(text);
}

/** "--param key=value": numbers, true/false, null, JSON objects, arrays and "quoted" strings are JSON; anything else is a string. */
export function parseParams(list = []) {
  const params = {};
  for (const p of list) {
    const i = p.indexOf("=");
    if (i <= 0) throw new UsageError(`--param takes key=value (got ${JSON.stringify(p.split("=")[0].slice(0, 40))} without "=")`);
    const key = p.slice(0, i);
    const raw = p.slice(i + 1);
    let value = raw;
    if (/^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)$/.test(raw) || /^[[{"]/.test(raw)) {
      try {
        value = JSON.parse(raw);
      } catch {
        value = raw;
      }
    }
    params[key] = value;
  }
  return params;
}

/** A JSON flag value (e.g. --filter). */
export function parseJsonFlag(text, flag) {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${flag} takes JSON: ${err.message}`);
  }
}

/** The help text of a command or a command group. */
export function helpText(commands, path, { version } = {}) {
  const command = commands.find((c) => c.path.join(" ") === path.join(" "));
  const lines = [];
  const flagLines = (options) => {
    const entries = Object.entries(options).filter(([, o]) => o.help);
    const label = ([name, o]) => `${o.short ? `-${o.short}, ` : "    "}--${name}${o.arg ? ` ${o.arg}` : ""}${o.multiple ? " ..." : ""}`;
    const w = Math.min(34, Math.max(...entries.map((e) => label(e).length)));
    return entries.map((e) => `  ${label(e).padEnd(w)}  ${e[1].help}`);
  };
  if (command) {
    lines.push(`Usage: kfp-wasm ${command.path.join(" ")}${command.usage ? " " + command.usage : ""}`, "", command.summary);
    if (command.description) lines.push("", ...command.description.split("\n"));
    if (command.options && Object.keys(command.options).length) lines.push("", "Options:", ...flagLines(command.options));
    lines.push("", "Global options:", ...flagLines(GLOBAL_OPTIONS));
    if (command.examples) lines.push("", "Examples:", ...command.examples.map((e) => `  ${e}`));
    return lines.join("\n") + "\n";
  }
  const sub = commands.filter((c) => path.every((w, i) => c.path[i] === w) && c.path.length > path.length);
  if (path.length === 0) {
    lines.push(`kfp-wasm ${version ?? ""}`.trimEnd() + ": the Kubeflow Pipelines command line (kfp-wasm's CLI)", "", "Usage: kfp-wasm COMMAND [options]", "", "Commands:");
  } else {
    lines.push(`Usage: kfp-wasm ${path.join(" ")} COMMAND [options]`, "", "Commands:");
  }
  // The overview names the commands; a group's help (kfp-wasm runs --help) shows their arguments too.
  const label = (c) => (path.length && c.usage ? `${c.path.join(" ")} ${c.usage}` : c.path.join(" "));
  const w = Math.min(36, Math.max(...sub.map((c) => label(c).length)));
  for (const c of sub) {
    const l = label(c);
    lines.push(l.length > w ? `  ${l}\n  ${"".padEnd(w)}  ${c.summary}` : `  ${l.padEnd(w)}  ${c.summary}`);
  }
  lines.push("", "Global options:", ...flagLines(GLOBAL_OPTIONS));
  lines.push("", `Run "kfp-wasm ${[...path, "COMMAND"].join(" ")} --help" for a command's options.`);
  lines.push("Exit status: 0 success, 1 failure, 2 bad usage, 3 a waited run ended FAILED or CANCELED, 4 timeout.");
  return lines.join("\n") + "\n";
}
