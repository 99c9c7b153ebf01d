import type { Readable, Writable } from "node:stream";

/** Anything that watches a command's output and may answer on its stdin (see watchers.ts). */
export interface OutputWatcher {
  submit(stream: string, streamName?: "stdout" | "stderr"): Iterable<string>;
}

/** Every accepted form of the `hide` option. */
export type HideSpec = null | undefined | boolean | "out" | "stdout" | "err" | "stderr" | "both";

/** The `run` section of the config tree: defaults for every `run()` option. */
export interface RunConfig {
  asynchronous: boolean;
  disown: boolean;
  dry: boolean;
  echo: boolean;
  echoFormat: string;
  echoStdin: boolean | null;
  encoding: BufferEncoding | null;
  env: Record<string, string>;
  errStream: Writable | null;
  outStream: Writable | null;
  inStream: Readable | false | null;
  fallback: boolean;
  hide: HideSpec;
  pty: boolean;
  replaceEnv: boolean;
  shell: string;
  warn: boolean;
  watchers: OutputWatcher[];
  /** Characters of each output stream a Result keeps (the last ones); null = everything. */
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
