// The CLI's driver: parse, run the command, save the session, turn errors into exit statuses.
import { readFileSync } from "node:fs";
import { CliError, EXIT, UsageError, helpText, parseCommandLine, parseDuration } from "./args.mjs";
import { Connection, isKfpError } from "./client.mjs";
import { COMMANDS } from "./commands.mjs";
import { Output } from "./output.mjs";

const VERSION = (() => {
  try {
    return JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
  } catch {
    return "unknown";
  }
})();

const say = (text) => process.stderr.write(`kfp-wasm: ${text}\n`);

/** Prints what went wrong; returns the exit status. */
function report(err, { verbose, conn }) {
  if (err instanceof UsageError) {
    say(err.message);
    process.stderr.write(`Run "kfp-wasm ${[...(err.command ?? []), "--help"].join(" ")}" for usage.\n`);
    return EXIT.USAGE;
  }
  if (err instanceof CliError) {
    say(`${err.code ? `${err.code}: ` : ""}${err.message}`);
    if (verbose && err.stack) process.stderr.write(err.stack + "\n");
    return err.exitCode;
  }
  if (isKfpError(err)) {
    const timedOut = err.code === "KFP_TIMEOUT" || (err.code === "KFP_ABORTED" && conn?.deadline?.aborted);
    const message = String(err.message ?? "").startsWith(err.code) ? err.message : `${err.code}: ${err.message}`;
    say(timedOut && err.code === "KFP_ABORTED" ? `KFP_TIMEOUT: gave up after --timeout ${conn.values.timeout}` : message);
    if (verbose) process.stderr.write(`${err.stack ?? ""}${err.cause ? `\ncause: ${err.cause?.stack ?? err.cause}` : ""}\n`);
    return timedOut ? EXIT.TIMEOUT : EXIT.FAILURE;
  }
  if (typeof err?.code === "string" && err.code.startsWith("ERR_INVALID_ARG")) {
    say(err.message);
    if (verbose && err.stack) process.stderr.write(err.stack + "\n");
    return EXIT.USAGE;
  }
  if (err?.name === "TimeoutError" || (err?.name === "AbortError" && conn?.deadline?.aborted)) {
    say(`KFP_TIMEOUT: gave up after --timeout ${conn?.values?.timeout}`);
    return EXIT.TIMEOUT;
  }
  say(err?.message ?? String(err));
  if (verbose && err?.stack) process.stderr.write(err.stack + "\n");
  return EXIT.FAILURE;
}

/**
 * Runs the CLI. `loadLibrary()` imports the package's entry; it is called only for commands that
 * need it, so --help and usage errors work (and are fast) without loading the wasm module.
 * @returns {Promise<number>} the exit status
 */
export async function main(argv, { loadLibrary, env = process.env }) {
  let values = {};
  let conn;
  try {
    if (argv[0] === "help") {
      const path = argv.slice(1).filter((a) => !a.startsWith("-"));
      process.stdout.write(helpText(COMMANDS, path, { version: VERSION }));
      return EXIT.OK;
    }
    const parsed = parseCommandLine(argv, COMMANDS);
    values = parsed.values;
    const { command, group, positionals } = parsed;
    if (values.version && !values.help) {
      process.stdout.write(`kfp-wasm ${VERSION}\n`);
      return EXIT.OK;
    }
    if (!command) {
      const known = COMMANDS.some((c) => group.every((w, i) => c.path[i] === w));
      if (values.help && known) {
        process.stdout.write(helpText(COMMANDS, group, { version: VERSION }));
        return EXIT.OK;
      }
      if (positionals.length) throw new UsageError(`unknown command "${[...group, positionals[0]].join(" ")}"`, group);
      process.stderr.write(helpText(COMMANDS, group, { version: VERSION }));
      return EXIT.USAGE;
    }
    if (values.help) {
      process.stdout.write(helpText(COMMANDS, command.path));
      return EXIT.OK;
    }
    const [min, max] = command.args ?? [0, 0];
    if (positionals.length < min) throw new UsageError(`missing argument: kfp-wasm ${command.path.join(" ")} ${command.usage ?? ""}`.trim(), command.path);
    if (positionals.length > max) throw new UsageError(`unexpected argument "${String(positionals[max]).slice(0, 40)}"`, command.path);
    let format = values.output ?? "table";
    if (values.json) {
      if (values.output && values.output !== "json") throw new UsageError("--json and --output disagree", command.path);
      format = "json";
    }
    if (!["table", "json", "jsonl"].includes(format)) throw new UsageError("--output takes table, json or jsonl", command.path);
    const timeoutMs = values.timeout !== undefined ? parseDuration(values.timeout) : undefined;
    if (timeoutMs !== undefined && timeoutMs < 1) throw new UsageError("--timeout must be more than 0", command.path);
    const lib = await loadLibrary();
    conn = new Connection({ lib, values, env, timeoutMs });
    conn.startedAt = Date.now();
    const out = new Output({ format });
    const status = await command.run({ values, positionals, env, lib, conn, out });
    return status ?? EXIT.OK;
  } catch (err) {
    return report(err, { verbose: values.verbose, conn });
  } finally {
    try {
      conn?.save();
    } catch (err) {
      say(`could not save the refreshed session: ${err.message}`);
    }
  }
}
