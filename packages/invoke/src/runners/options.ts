import type { Writable } from "node:stream";
import type { Config } from "../config/config.js";
import { invokeDefaults } from "../config/defaults.js";
import type { RunConfig } from "../config/types.js";
import type { HiddenStreams } from "../result.js";

/** A `run.*` config value as a call may give it (lists and maps read-only). */
type OptionValue<T> = T extends readonly (infer E)[]
  ? readonly E[]
  : T extends Record<string, string>
    ? Readonly<T>
    : T;

/** Every `run.*` config key, as an optional per-call option. */
type RunConfigOptions = { readonly [K in keyof RunConfig]?: OptionValue<RunConfig[K]> };

/**
 * Options of `run()`: every `run.*` config key (see {@link RunConfig} for each), plus `timeout` and
 * `signal`. Every option left `undefined` takes its value from the config (`run.*`,
 * `timeouts.command`); any other value, `null` included, is used as given.
 */
export interface RunOptions extends RunConfigOptions {
  /** Seconds before the command (and its process group) is killed and `CommandTimedOut` thrown; `null` = none. @default null */
  readonly timeout?: number | null;
  /** Aborting kills the command's process group and rejects with `CommandAborted`. */
  readonly signal?: AbortSignal;
}

/** {@link RunOptions} merged with the config: every value decided, `hide` as the list of hidden streams. */
export interface ResolvedRunOptions extends Omit<RunConfig, "hide"> {
  hide: HiddenStreams;
  timeout: number | null;
  signal: AbortSignal | undefined;
}

/** Option names `run()` accepts: the `run.*` config keys (from the defaults, which hold every one) and two more. */
const KNOWN_KEYS: ReadonlySet<string> = new Set([...Object.keys(invokeDefaults().run), "timeout", "signal"]);

/**
 * Merge per-call options with the config (Invoke's `_unify_kwargs_with_config`), validate them and
 * apply the option interactions (hide→echo, dry→echo, asynchronous→hide). Never mutates its inputs.
 */
export function resolveRunOptions(options: RunOptions, config: Config, method = "run"): ResolvedRunOptions {
  const unknown = Object.keys(options).find((key) => !KNOWN_KEYS.has(key));
  if (unknown !== undefined)
    throw new TypeError(`${method}() got an unexpected keyword argument '${unknown}'`);

  const runConfig = config.run;
  const pick = <K extends keyof RunConfig>(key: K) =>
    (options[key] !== undefined ? options[key] : runConfig[key]) as RunConfig[K];

  const asynchronous = pick("asynchronous");
  const disown = pick("disown");
  if (asynchronous && disown)
    throw new TypeError("Cannot give both 'asynchronous' and 'disown' at the same time!");

  const rawHide = pick("hide");
  const dry = pick("dry");
  let echo = pick("echo");
  if (rawHide === true) echo = false;
  if (dry) echo = true;

  const outStream = pick("outStream");
  const errStream = pick("errStream");
  let inStream = pick("inStream");
  if (asynchronous && inStream === null) inStream = false;

  const timeout = options.timeout !== undefined ? options.timeout : (config.timeouts?.command ?? null);
  if (timeout !== null && !(typeof timeout === "number" && Number.isFinite(timeout) && timeout >= 0)) {
    throw new TypeError(
      `Expected the 'timeout' option to be a non-negative number of seconds or null, got ${String(timeout)}`,
    );
  }

  return {
    asynchronous,
    disown,
    dry,
    echo,
    echoFormat: pick("echoFormat"),
    echoStdin: pick("echoStdin"),
    encoding: pick("encoding"),
    env: { ...pick("env") },
    replaceEnv: pick("replaceEnv"),
    outStream,
    errStream,
    inStream,
    fallback: pick("fallback"),
    hide: normalizeHide(asynchronous ? true : rawHide, outStream, errStream),
    pty: pick("pty"),
    shell: pick("shell"),
    timeout: timeout === 0 ? null : timeout,
    warn: pick("warn"),
    watchers: [...pick("watchers")],
    captureLimit: checkCaptureLimit(pick("captureLimit")),
    signal: options.signal,
  };
}

function checkCaptureLimit(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return value;
  throw new TypeError(
    `Expected the 'captureLimit' option to be a positive whole number of characters or null, got ${String(value)}`,
  );
}

const HIDE_VALUES: Record<string, HiddenStreams> = {
  out: ["stdout"],
  stdout: ["stdout"],
  err: ["stderr"],
  stderr: ["stderr"],
  both: ["stdout", "stderr"],
};

/**
 * Normalise any accepted `hide` value into the list of hidden stream names. A stream given explicitly
 * (`outStream`/`errStream`) is never hidden.
 */
export function normalizeHide(
  value: unknown,
  outStream?: Writable | null,
  errStream?: Writable | null,
): HiddenStreams {
  let hidden: HiddenStreams;
  if (value === null || value === undefined || value === false) hidden = [];
  else if (value === true) hidden = ["stdout", "stderr"];
  else if (typeof value === "string" && Object.hasOwn(HIDE_VALUES, value)) hidden = HIDE_VALUES[value] ?? [];
  else {
    throw new TypeError(
      `'hide' got ${JSON.stringify(value) ?? String(value)} which is not in (null, false, "out", "stdout", "err", "stderr", "both", true)`,
    );
  }
  return hidden.filter((name) => !((name === "stdout" && outStream) || (name === "stderr" && errStream)));
}

/** Render `echoFormat` (Python `str.format` with only `{command}`; `{{`/`}}` are literal braces). */
export function formatEcho(format: string, command: string): string {
  return format.replace(/\{\{|\}\}|\{command\}/g, (token) =>
    token === "{{" ? "{" : token === "}}" ? "}" : command,
  );
}
