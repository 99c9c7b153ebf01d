import { pyRepr } from "./internal/py-repr.js";
import type { Result } from "./result.js";

// Configuration errors live with the config loader; re-exported so every error can be imported from here.
export {
  AmbiguousEnvVar,
  AmbiguousMergeError,
  ConfigError,
  UncastableEnvVar,
  UnknownFileType,
} from "./config/errors.js";

/** Base class of every error thrown by `@fabric-ts/invoke`. `code` is stable; match on it, not on text. */
export class InvokeError extends Error {
  readonly code: string = "INVOKE_ERROR";

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A command that did not succeed. Holds its {@link Result}; `reason` is the watcher error that stopped it,
 * if any. The message defaults to the Result's string form, as in Invoke.
 */
export class Failure extends InvokeError {
  override readonly code: string = "FAILURE";
  readonly result: Result;
  readonly reason: WatcherError | undefined;

  constructor(result: Result, reason?: WatcherError, message?: string) {
    super(message ?? String(result), reason ? { cause: reason } : undefined);
    this.result = result;
    this.reason = reason;
  }

  /**
   * `[stdout, stderr]` as shown in messages: `" already printed"` for a stream that was not hidden,
   * else its last 10 lines; a pty has no stderr.
   */
  streamsForDisplay(): [string, string] {
    const shown = (name: "stdout" | "stderr") =>
      this.result.hide.includes(name) ? this.result.tail(name) : " already printed";
    const stderr = this.result.pty ? " n/a (PTYs have no stderr)" : shown("stderr");
    return [shown("stdout"), stderr];
  }

  /** Python-style representation, e.g. `<UnexpectedExit: cmd='false' exited=1>`. */
  repr(): string {
    const extra = this.reprFields()
      .map(([key, value]) => ` ${key}=${value}`)
      .join("");
    return `<${this.name}: cmd=${pyRepr(this.result.command)}${extra}>`;
  }

  protected reprFields(): [string, string | number][] {
    return [];
  }
}

/** A command exited non-zero and `warn` was off. */
export class UnexpectedExit extends Failure {
  override readonly code: string = "UNEXPECTED_EXIT";

  constructor(result: Result) {
    super(result);
    const [stdout, stderr] = this.streamsForDisplay();
    this.message = `Encountered a bad command exit code!\n\nCommand: ${pyRepr(result.command)}\n\nExit code: ${
      result.exited
    }\n\nStdout:${stdout}\n\nStderr:${stderr}\n\n`;
  }

  protected override reprFields(): [string, string | number][] {
    return [["exited", this.result.exited ?? "None"]];
  }
}

/**
 * A command ran longer than its `timeout` (seconds) and was killed. `warn` never suppresses this.
 * `stillRunning`: a sentence saying the command may have outlived the kill (a remote command sshd
 * would not signal), or null when it is known to have ended.
 */
export class CommandTimedOut extends Failure {
  override readonly code: string = "COMMAND_TIMED_OUT";
  readonly timeout: number;
  readonly stillRunning: string | null;

  constructor(result: Result, timeout: number, stillRunning: string | null = null) {
    super(result);
    this.timeout = timeout;
    this.stillRunning = stillRunning;
    const [stdout, stderr] = this.streamsForDisplay();
    const note = stillRunning ? `${stillRunning}\n\n` : "";
    this.message = `Command did not complete within ${timeout} seconds!\n\n${note}Command: ${pyRepr(
      result.command,
    )}\n\nStdout:${stdout}\n\nStderr:${stderr}\n\n`;
  }

  protected override reprFields(): [string, string | number][] {
    return [["timeout", this.timeout]];
  }
}

/** A command was cancelled through its `signal` option. `cause` is the signal's abort reason. */
export class CommandAborted extends Failure {
  override readonly code: string = "COMMAND_ABORTED";

  constructor(result: Result, reason: unknown) {
    super(result);
    const [stdout, stderr] = this.streamsForDisplay();
    this.message = `Command was aborted!\n\nCommand: ${pyRepr(result.command)}\n\nStdout:${stdout}\n\nStderr:${stderr}\n\n`;
    Object.defineProperty(this, "cause", {
      value: reason,
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
}

/** sudo rejected the password sent to `prompt`. The password itself never appears here. */
export class AuthFailure extends Failure {
  override readonly code: string = "AUTH_FAILURE";
  readonly prompt: string;

  constructor(result: Result, prompt: string, reason?: WatcherError, message?: string) {
    super(result, reason, message ?? `The password submitted to prompt ${pyRepr(prompt)} was rejected.`);
    this.prompt = prompt;
  }
}

/** sudo asked for a password but none was configured (`sudo.password` or the `password` option). */
export class SudoPasswordRequired extends AuthFailure {
  override readonly code: string = "SUDO_PASSWORD_REQUIRED";

  constructor(result: Result, prompt: string, reason?: WatcherError) {
    super(
      result,
      prompt,
      reason,
      `sudo asked for a password at prompt ${pyRepr(prompt)}, but no password was configured ` +
        "(set the 'sudo.password' config value or pass { password }).",
    );
  }
}

/** Base of errors raised by stream watchers; stops the command (never suppressed by `warn`). */
export class WatcherError extends InvokeError {
  override readonly code: string = "WATCHER_ERROR";
}

/** A `FailingResponder` saw its failure sentinel after answering. */
export class ResponseNotAccepted extends WatcherError {
  override readonly code: string = "RESPONSE_NOT_ACCEPTED";
}

/** A watcher saw a prompt it has no answer for (used by sudo when no password is known). */
export class ResponseUnavailable extends WatcherError {
  override readonly code: string = "RESPONSE_UNAVAILABLE";
}

/** One failure inside the machinery that pumps a command's streams. */
export interface StreamFailure {
  /** Which pump failed: `"stdout"`, `"stderr"`, `"stdin"` or `"watcher"`. */
  readonly source: string;
  readonly error: unknown;
}

/**
 * Errors raised while pumping a command's streams (Invoke's `ThreadException`: there are no threads
 * here, but the same failures can happen concurrently in the stream handlers).
 */
export class ThreadException extends InvokeError {
  override readonly code: string = "THREAD_EXCEPTION";
  readonly exceptions: readonly StreamFailure[];

  constructor(exceptions: readonly StreamFailure[]) {
    const names = [...new Set(exceptions.map((e) => errorName(e.error)))].join(", ");
    const details = exceptions
      .map(
        (e) =>
          `Stream: ${e.source}\n\n${e.error instanceof Error ? (e.error.stack ?? e.error.message) : String(e.error)}`,
      )
      .join("\n\n");
    super(`\nSaw ${exceptions.length} exceptions within threads (${names}):\n\n\n${details}\n`, {
      cause: exceptions[0]?.error,
    });
    this.exceptions = exceptions;
  }
}

/** A command-line parse failure. `context` is the parser context being parsed, when known. */
export class ParseError extends InvokeError {
  override readonly code: string = "PARSE_ERROR";
  readonly context: unknown;

  constructor(message: string, context?: unknown, options?: ErrorOptions) {
    super(message, options);
    this.context = context;
  }
}

/**
 * Ask the CLI to exit: `code` defaults to 1 when a message is given, else 0.
 * @example throw new Exit("Nothing to deploy", 3)
 */
export class Exit extends InvokeError {
  override readonly code: string = "EXIT";
  readonly exitCode: number;

  constructor(message?: string, code?: number) {
    super(message ?? "");
    this.exitCode = code ?? (message ? 1 : 0);
  }
}

/** No tasks collection was found by the loader. */
export class CollectionNotFound extends InvokeError {
  override readonly code: string = "COLLECTION_NOT_FOUND";
  readonly collectionName: string;
  readonly start: string;

  constructor(name: string, start: string) {
    super(`Can't find any collection named ${pyRepr(name)}!`);
    this.collectionName = name;
    this.start = start;
  }
}

/**
 * A tasks file (tasks.ts, fabfile.ts …) was found but could not be loaded: it threw while being
 * imported (`code` TASKS_FILE_FAILED, the error is the `cause`), or its top-level `await` never
 * settled (`code` TASKS_FILE_STALLED). `path` names the file.
 */
export class TasksFileError extends InvokeError {
  override readonly code: string;
  readonly path: string;

  constructor(path: string, reason: "failed" | "stalled", cause?: unknown) {
    super(
      reason === "stalled"
        ? `Loading ${path} never finished: a top-level await in it (or in a module it imports) never settled`
        : `Loading ${path} failed: ${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}`,
      cause === undefined ? undefined : { cause },
    );
    this.code = reason === "stalled" ? "TASKS_FILE_STALLED" : "TASKS_FILE_FAILED";
    this.path = path;
  }
}

/** A config value cannot be copied when the config is cloned. */
export class UnpicklableConfigMember extends InvokeError {
  override readonly code: string = "UNPICKLABLE_CONFIG_MEMBER";
}

/** A subprocess stdin operation that cannot be done (no process, or a pty's stdin). */
export class SubprocessPipeError extends InvokeError {
  override readonly code: string = "SUBPROCESS_PIPE_ERROR";
}

/** Something this platform cannot do (e.g. a pty when none can be had and `fallback` is off). */
export class PlatformError extends InvokeError {
  override readonly code: string = "PLATFORM_ERROR";
}

/**
 * The command's process could not be started (e.g. the shell does not exist), or failed while it
 * ran (a remote command's connection dropped). In the latter case `result` holds what was read
 * until then (`exited: null`), hidden streams included.
 */
export class SpawnError extends InvokeError {
  override readonly code: string = "SPAWN_ERROR";
  readonly result: Result | undefined;

  constructor(message?: string, options?: ErrorOptions & { result?: Result }) {
    super(message, options);
    this.result = options?.result;
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
