import type { Readable, Writable } from "node:stream";
import type { Config } from "../config/config.js";
import type { HideSpec, OutputWatcher } from "../config/types.js";
import type { HiddenStreams } from "../result.js";

/**
 * Options of `run()`. Every option left `undefined` takes its value from the config (`run.*`,
 * `timeouts.command`); any other value, `null` included, is used as given.
 */
export interface RunOptions {
  /** Start the command and resolve to a {@link RunHandle} at once; hides both streams. @default false */
  readonly asynchronous?: boolean;
  /** Start the command, do not wait for it or watch its output; resolves to a disowned Result. @default false */
  readonly disown?: boolean;
  /** Echo the command and execute nothing; resolves to an empty successful Result. @default false */
  readonly dry?: boolean;
  /** Print the command (via `echoFormat`) to the out stream before running it. @default false */
  readonly echo?: boolean;
  /** Template for `echo`; `{command}` is replaced by the command. @default "\u001b[1;37m{command}\u001b[0m" */
  readonly echoFormat?: string;
  /** Copy what is read from `inStream` to the out stream; `null` = only when a pty is not in use and stdin was put in raw mode by us. @default null */
  readonly echoStdin?: boolean | null;
  /** Encoding of the command's output and of what is written to its stdin; `null` = utf8. @default null */
  readonly encoding?: BufferEncoding | null;
  /** Extra environment variables for the command. Replaces (does not merge with) `run.env`. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Use exactly `env` as the environment instead of adding it to this process's. @default false */
  readonly replaceEnv?: boolean;
  /** Where the command's stdout is mirrored; `null` = `process.stdout`. A given stream is never hidden. @default null */
  readonly outStream?: Writable | null;
  /** Where the command's stderr is mirrored; `null` = `process.stderr`. A given stream is never hidden. @default null */
  readonly errStream?: Writable | null;
  /** What is copied to the command's stdin; `null` = `process.stdin`, `false` = nothing. @default null */
  readonly inStream?: Readable | false | null;
  /** When a pty is asked for but cannot be had, run without one (with a warning) instead of failing. @default true */
  readonly fallback?: boolean;
  /** Streams not mirrored: `true`/`"both"`, `"out"`/`"stdout"`, `"err"`/`"stderr"`, `false`/`null`. Output is captured anyway. @default null */
  readonly hide?: HideSpec;
  /** Run in a pseudo-terminal (stdout and stderr merge into stdout). @default false */
  readonly pty?: boolean;
  /** The shell run as `shell -c command`. @default "/bin/bash" */
  readonly shell?: string;
  /** Seconds before the command (and its process group) is killed and `CommandTimedOut` thrown; `null` = none. @default null */
  readonly timeout?: number | null;
  /** Return a failed Result instead of throwing `UnexpectedExit` on a non-zero exit. @default false */
  readonly warn?: boolean;
  /**
   * Characters of each output stream the Result keeps: beyond it only the last `captureLimit` are
   * kept and `result.truncated` is set; everything is still mirrored to the out/err streams.
   * `null` keeps everything (memory then grows with the output). @default 4194304 (4 MiB)
   */
  readonly captureLimit?: number | null;
  /** Watchers fed the output, which may answer on stdin. Replaces (does not extend) `run.watchers`. @default [] */
  readonly watchers?: readonly OutputWatcher[];
  /** Aborting kills the command's process group and rejects with `CommandAborted`. */
  readonly signal?: AbortSignal;
}

/** {@link RunOptions} merged with the config: every value decided. */
export interface ResolvedRunOptions {
  asynchronous: boolean;
  disown: boolean;
  dry: boolean;
  echo: boolean;
  echoFormat: string;
  echoStdin: boolean | null;
  encoding: BufferEncoding | null;
  env: Record<string, string>;
  replaceEnv: boolean;
  outStream: Writable | null;
  errStream: Writable | null;
  inStream: Readable | false | null;
  fallback: boolean;
  hide: HiddenStreams;
  pty: boolean;
  shell: string;
  timeout: number | null;
  warn: boolean;
  watchers: OutputWatcher[];
  captureLimit: number | null;
  signal: AbortSignal | undefined;
}

const CONFIG_KEYS = [
  "asynchronous",
  "disown",
  "dry",
  "echo",
  "echoFormat",
  "echoStdin",
  "encoding",
  "env",
  "replaceEnv",
  "outStream",
  "errStream",
  "inStream",
  "fallback",
  "hide",
  "pty",
  "shell",
  "warn",
  "watchers",
  "captureLimit",
] as const;
const KNOWN_KEYS = new Set<string>([...CONFIG_KEYS, "timeout", "signal"]);

/**
 * Merge per-call options with the config (Invoke's `_unify_kwargs_with_config`), validate them and
 * apply the option interactions (hide→echo, dry→echo, asynchronous→hide). Never mutates its inputs.
 */
export function resolveRunOptions(options: RunOptions, config: Config, method = "run"): ResolvedRunOptions {
  const unknown = Object.keys(options).find((key) => !KNOWN_KEYS.has(key));
  if (unknown !== undefined)
    throw new TypeError(`${method}() got an unexpected keyword argument '${unknown}'`);

  const runConfig = config.run;
  const pick = <K extends (typeof CONFIG_KEYS)[number]>(key: K) =>
    (options[key] !== undefined ? options[key] : runConfig[key]) as (typeof runConfig)[K];

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
