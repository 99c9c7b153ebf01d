import type { Readable, Writable } from "node:stream";

/** Anything that watches a command's output and may answer on its stdin (see watchers.ts). */
export interface OutputWatcher {
  submit(stream: string, streamName?: "stdout" | "stderr"): Iterable<string>;
}

/** Every accepted form of the `hide` option. */
export type HideSpec = null | undefined | boolean | "out" | "stdout" | "err" | "stderr" | "both";

/**
 * The `run` section of the config tree: the default of every `run()` option. This is the one list of
 * those options: `RunOptions` (what a call may give) and `ResolvedRunOptions` (what a runner gets)
 * are derived from it, and the config schema is checked against it.
 */
export interface RunConfig {
  /** Start the command and resolve to a `RunHandle` at once; hides both streams. @default false */
  asynchronous: boolean;
  /** Start the command, do not wait for it or watch its output; resolves to a disowned Result. @default false */
  disown: boolean;
  /** Echo the command and execute nothing; resolves to an empty successful Result. @default false */
  dry: boolean;
  /** Print the command (via `echoFormat`) to the out stream before running it. @default false */
  echo: boolean;
  /** Template for `echo`; `{command}` is replaced by the command. @default "\u001b[1;37m{command}\u001b[0m" */
  echoFormat: string;
  /** Copy what is read from `inStream` to the out stream; `null` = only when a pty is not in use and stdin was put in raw mode by us. @default null */
  echoStdin: boolean | null;
  /** Encoding of the command's output and of what is written to its stdin; `null` = utf8. @default null */
  encoding: BufferEncoding | null;
  /** Extra environment variables for the command. An option replaces (does not merge with) `run.env`. @default {} */
  env: Record<string, string>;
  /** Where the command's stderr is mirrored; `null` = `process.stderr`. A given stream is never hidden. @default null */
  errStream: Writable | null;
  /** Where the command's stdout is mirrored; `null` = `process.stdout`. A given stream is never hidden. @default null */
  outStream: Writable | null;
  /** What is copied to the command's stdin; `null` = `process.stdin`, `false` = nothing. @default null */
  inStream: Readable | false | null;
  /** When a pty is asked for but cannot be had, run without one (with a warning) instead of failing. @default true */
  fallback: boolean;
  /** Streams not mirrored: `true`/`"both"`, `"out"`/`"stdout"`, `"err"`/`"stderr"`, `false`/`null`. Output is captured anyway. @default null */
  hide: HideSpec;
  /** Run in a pseudo-terminal (stdout and stderr merge into stdout). @default false */
  pty: boolean;
  /** Use exactly `env` as the environment instead of adding it to this process's. @default false */
  replaceEnv: boolean;
  /** The shell run as `shell -c command`. @default "/bin/bash" */
  shell: string;
  /** Return a failed Result instead of throwing `UnexpectedExit` on a non-zero exit. @default false */
  warn: boolean;
  /** Watchers fed the output, which may answer on stdin. An option replaces (does not extend) `run.watchers`. @default [] */
  watchers: OutputWatcher[];
  /**
   * Characters of each output stream the Result keeps: beyond it only the last `captureLimit` are
   * kept and `result.truncated` is set; everything is still mirrored to the out/err streams.
   * `null` keeps everything (memory then grows with the output). @default 4194304 (4 MiB)
   */
  captureLimit: number | null;
}

export interface SudoConfig {
  password: string | null;
  prompt: string;
  user: string | null;
  /** The shell sudo runs the command with; null = `run.shell`. */
  shell: string | null;
}

/** Runner classes; null = the built-in one. */
export interface RunnersConfig {
  /** A `Runner` subclass constructor used by `Context.run`. */
  local: (abstract new (...args: never[]) => object) | null;
}

export interface TasksConfig {
  autoDashNames: boolean;
  collectionName: string;
  dedupe: boolean;
  executorClass: string | null;
  ignoreUnknownHelp: boolean;
  searchRoot: string | null;
}

export interface TimeoutsConfig {
  /** Seconds; null means no timeout. */
  command: number | null;
}

/** The known part of Invoke's config tree. User keys may sit beside these. */
export interface InvokeConfigData {
  run: RunConfig;
  sudo: SudoConfig;
  runners: RunnersConfig;
  tasks: TasksConfig;
  timeouts: TimeoutsConfig;
  [key: string]: unknown;
}
