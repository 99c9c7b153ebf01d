// Over 400 lines on purpose: every error class of the package, its code and its guard in one place, so a caller finds them all in one file.
import { kindsOf, tagKind as tagKindUnder } from "./internal/error-kinds.js";

/**
 * The kind-tag mechanism behind {@link isInvokeError}, for packages that build their own error model on
 * invoke's (as `@fabric-ts/fabric` does): `tagErrorKind(cls, key, name)` in each class's static block,
 * `errorKindsOf(value, key)` in the guard, with a `Symbol.for` key of the package's own.
 */
export { kindsOf as errorKindsOf, tagKind as tagErrorKind } from "./internal/error-kinds.js";

import { pyRepr } from "./internal/py-repr.js";
import type { Result } from "./result.js";

/** Where invoke's error classes write their kind tag (see {@link isInvokeError}). */
const KIND = Symbol.for("@fabric-ts/invoke.error-kind");

function tagKind(cls: { readonly prototype: object }, kind: InvokeErrorClassName): void {
  tagKindUnder(cls, KIND, kind);
}

/**
 * Base class of every error thrown by `@fabric-ts/invoke`. `code` is stable; match on it, not on text.
 * Test with {@link isInvokeError} rather than `instanceof`: it also recognises errors made by another
 * copy of this package (a tasks file that loaded its own).
 */
export class InvokeError extends Error {
  static {
    tagKind(InvokeError, "InvokeError");
  }
  readonly code: InvokeErrorCode = "INVOKE_ERROR";

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
  static {
    tagKind(Failure, "Failure");
  }
  override readonly code: InvokeErrorCode = "FAILURE";
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
  static {
    tagKind(UnexpectedExit, "UnexpectedExit");
  }
  override readonly code: InvokeErrorCode = "UNEXPECTED_EXIT";

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
  static {
    tagKind(CommandTimedOut, "CommandTimedOut");
  }
  override readonly code: InvokeErrorCode = "COMMAND_TIMED_OUT";
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
  static {
    tagKind(CommandAborted, "CommandAborted");
  }
  override readonly code: InvokeErrorCode = "COMMAND_ABORTED";

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
  static {
    tagKind(AuthFailure, "AuthFailure");
  }
  override readonly code: InvokeErrorCode = "AUTH_FAILURE";
  readonly prompt: string;

  constructor(result: Result, prompt: string, reason?: WatcherError, message?: string) {
    super(result, reason, message ?? `The password submitted to prompt ${pyRepr(prompt)} was rejected.`);
    this.prompt = prompt;
  }
}

/** sudo asked for a password but none was configured (`sudo.password` or the `password` option). */
export class SudoPasswordRequired extends AuthFailure {
  static {
    tagKind(SudoPasswordRequired, "SudoPasswordRequired");
  }
  override readonly code: InvokeErrorCode = "SUDO_PASSWORD_REQUIRED";

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
  static {
    tagKind(WatcherError, "WatcherError");
  }
  override readonly code: InvokeErrorCode = "WATCHER_ERROR";
}

/** A `FailingResponder` saw its failure sentinel after answering. */
export class ResponseNotAccepted extends WatcherError {
  static {
    tagKind(ResponseNotAccepted, "ResponseNotAccepted");
  }
  override readonly code: InvokeErrorCode = "RESPONSE_NOT_ACCEPTED";
}

/** A watcher saw a prompt it has no answer for (used by sudo when no password is known). */
export class ResponseUnavailable extends WatcherError {
  static {
    tagKind(ResponseUnavailable, "ResponseUnavailable");
  }
  override readonly code: InvokeErrorCode = "RESPONSE_UNAVAILABLE";
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
  static {
    tagKind(ThreadException, "ThreadException");
  }
  override readonly code: InvokeErrorCode = "THREAD_EXCEPTION";
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
  static {
    tagKind(ParseError, "ParseError");
  }
  override readonly code: InvokeErrorCode = "PARSE_ERROR";
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
  static {
    tagKind(Exit, "Exit");
  }
  override readonly code: InvokeErrorCode = "EXIT";
  readonly exitCode: number;

  constructor(message?: string, code?: number) {
    super(message ?? "");
    this.exitCode = code ?? (message ? 1 : 0);
  }
}

/** No tasks collection was found by the loader. */
export class CollectionNotFound extends InvokeError {
  static {
    tagKind(CollectionNotFound, "CollectionNotFound");
  }
  override readonly code: InvokeErrorCode = "COLLECTION_NOT_FOUND";
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
  static {
    tagKind(TasksFileError, "TasksFileError");
  }
  override readonly code: "TASKS_FILE_FAILED" | "TASKS_FILE_STALLED";
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
  static {
    tagKind(UnpicklableConfigMember, "UnpicklableConfigMember");
  }
  override readonly code: InvokeErrorCode = "UNPICKLABLE_CONFIG_MEMBER";
}

/** A subprocess stdin operation that cannot be done (no process, or a pty's stdin). */
export class SubprocessPipeError extends InvokeError {
  static {
    tagKind(SubprocessPipeError, "SubprocessPipeError");
  }
  override readonly code: InvokeErrorCode = "SUBPROCESS_PIPE_ERROR";
}

/** Something this platform cannot do (e.g. a pty when none can be had and `fallback` is off). */
export class PlatformError extends InvokeError {
  static {
    tagKind(PlatformError, "PlatformError");
  }
  override readonly code: InvokeErrorCode = "PLATFORM_ERROR";
}

/**
 * The command's process could not be started (e.g. the shell does not exist), or failed while it
 * ran (a remote command's connection dropped). In the latter case `result` holds what was read
 * until then (`exited: null`), hidden streams included.
 */
export class SpawnError extends InvokeError {
  static {
    tagKind(SpawnError, "SpawnError");
  }
  override readonly code: InvokeErrorCode = "SPAWN_ERROR";
  readonly result: Result | undefined;

  constructor(message?: string, options?: ErrorOptions & { result?: Result }) {
    super(message, options);
    this.result = options?.result;
  }
}

/** Thrown when a `MockContext` has no answer for a command. */
export class NotImplementedError extends InvokeError {
  static {
    tagKind(NotImplementedError, "NotImplementedError");
  }
  override readonly code: InvokeErrorCode = "NOT_IMPLEMENTED";
}

/** Stable codes carried by every configuration error. */
export type ConfigErrorCode =
  | "INVALID_VALUE"
  | "UNKNOWN_KEY"
  | "UNKNOWN_SECTION"
  | "KEY_CONFLICT"
  | "PARSE_ERROR"
  | "READ_ERROR"
  | "FILE_NOT_FOUND"
  | "UNKNOWN_FILE_TYPE"
  | "UNCASTABLE_ENV_VAR"
  | "AMBIGUOUS_ENV_VAR"
  | "AMBIGUOUS_MERGE"
  | "INVALID_SET_ARGUMENT";

/** One problem found while validating a layer. */
export interface ConfigIssue {
  /** Dotted key path inside the layer ("" for the whole layer). */
  keyPath: string;
  message: string;
}

export interface ConfigErrorInit {
  code: ConfigErrorCode;
  /** Where the data came from: a file path, "environment variable INVOKE_X", "--set", … */
  source?: string | undefined;
  /** The file the problem is in, when there is one. */
  file?: string | undefined;
  keyPath?: string | undefined;
  issues?: ConfigIssue[] | undefined;
  cause?: unknown;
}

/** Base class of every configuration problem: names the source, the key path and what was expected. */
export class ConfigError extends InvokeError {
  static {
    tagKind(ConfigError, "ConfigError");
  }
  override readonly code: ConfigErrorCode;
  readonly source: string | undefined;
  readonly file: string | undefined;
  readonly keyPath: string | undefined;
  readonly issues: readonly ConfigIssue[];

  constructor(message: string, init: ConfigErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.source = init.source ?? init.file;
    this.file = init.file;
    this.keyPath = init.keyPath ?? init.issues?.[0]?.keyPath;
    this.issues = init.issues ?? (init.keyPath === undefined ? [] : [{ keyPath: init.keyPath, message }]);
  }
}

/** An environment variable's text cannot become the type of the config value it targets. */
export class UncastableEnvVar extends ConfigError {
  static {
    tagKind(UncastableEnvVar, "UncastableEnvVar");
  }
  readonly envVar: string;
  constructor(message: string, envVar: string, keyPath: string) {
    super(message, { code: "UNCASTABLE_ENV_VAR", source: `environment variable ${envVar}`, keyPath });
    this.envVar = envVar;
  }
}

/** Two config key paths map to the same environment variable name, and that variable is set. */
export class AmbiguousEnvVar extends ConfigError {
  static {
    tagKind(AmbiguousEnvVar, "AmbiguousEnvVar");
  }
  readonly envVar: string;
  readonly keyPaths: readonly string[];
  constructor(envVar: string, unprefixed: string, keyPaths: string[]) {
    super(`Found >1 source for ${unprefixed}`, {
      code: "AMBIGUOUS_ENV_VAR",
      source: `environment variable ${envVar}`,
      keyPath: keyPaths[0],
    });
    this.envVar = envVar;
    this.keyPaths = keyPaths;
  }
}

/** A config file whose suffix is not one of the supported formats. */
export class UnknownFileType extends ConfigError {
  static {
    tagKind(UnknownFileType, "UnknownFileType");
  }
  readonly fileType: string;
  constructor(path: string, fileType: string, supported: readonly string[]) {
    super(
      `Config files of type '${fileType}' (from file '${path}') are not supported! Please use one of: ${supported.join(", ")}`,
      { code: "UNKNOWN_FILE_TYPE", file: path },
    );
    this.fileType = fileType;
  }
}

/** A mapping and a non-mapping meet at the same key path while merging two layers. */
export class AmbiguousMergeError extends ConfigError {
  static {
    tagKind(AmbiguousMergeError, "AmbiguousMergeError");
  }
  constructor(message: string, keyPath: string, source?: string) {
    super(source === undefined ? message : `${source}: ${message}`, {
      code: "AMBIGUOUS_MERGE",
      keyPath,
      source,
    });
  }
}

/** Every invoke error class by name: what `isInvokeError(e, "Name")` narrows to. */
export interface InvokeErrorClasses {
  InvokeError: InvokeError;
  Failure: Failure;
  UnexpectedExit: UnexpectedExit;
  CommandTimedOut: CommandTimedOut;
  CommandAborted: CommandAborted;
  AuthFailure: AuthFailure;
  SudoPasswordRequired: SudoPasswordRequired;
  WatcherError: WatcherError;
  ResponseNotAccepted: ResponseNotAccepted;
  ResponseUnavailable: ResponseUnavailable;
  ThreadException: ThreadException;
  ParseError: ParseError;
  Exit: Exit;
  CollectionNotFound: CollectionNotFound;
  TasksFileError: TasksFileError;
  UnpicklableConfigMember: UnpicklableConfigMember;
  SubprocessPipeError: SubprocessPipeError;
  PlatformError: PlatformError;
  SpawnError: SpawnError;
  NotImplementedError: NotImplementedError;
  ConfigError: ConfigError;
  UncastableEnvVar: UncastableEnvVar;
  AmbiguousEnvVar: AmbiguousEnvVar;
  UnknownFileType: UnknownFileType;
  AmbiguousMergeError: AmbiguousMergeError;
}

export type InvokeErrorClassName = keyof InvokeErrorClasses;

/**
 * Every `code` an invoke error carries, with the class that carries it. `PARSE_ERROR` is carried
 * both by `ParseError` (command line) and by `ConfigError` (a config file that does not parse).
 */
export interface InvokeErrorCodes {
  INVOKE_ERROR: InvokeError;
  FAILURE: Failure;
  UNEXPECTED_EXIT: UnexpectedExit;
  COMMAND_TIMED_OUT: CommandTimedOut;
  COMMAND_ABORTED: CommandAborted;
  AUTH_FAILURE: AuthFailure;
  SUDO_PASSWORD_REQUIRED: SudoPasswordRequired;
  WATCHER_ERROR: WatcherError;
  RESPONSE_NOT_ACCEPTED: ResponseNotAccepted;
  RESPONSE_UNAVAILABLE: ResponseUnavailable;
  THREAD_EXCEPTION: ThreadException;
  PARSE_ERROR: ParseError | ConfigError;
  EXIT: Exit;
  COLLECTION_NOT_FOUND: CollectionNotFound;
  TASKS_FILE_FAILED: TasksFileError;
  TASKS_FILE_STALLED: TasksFileError;
  UNPICKLABLE_CONFIG_MEMBER: UnpicklableConfigMember;
  SUBPROCESS_PIPE_ERROR: SubprocessPipeError;
  PLATFORM_ERROR: PlatformError;
  SPAWN_ERROR: SpawnError;
  NOT_IMPLEMENTED: NotImplementedError;
  INVALID_VALUE: ConfigError;
  UNKNOWN_KEY: ConfigError;
  UNKNOWN_SECTION: ConfigError;
  KEY_CONFLICT: ConfigError;
  READ_ERROR: ConfigError;
  FILE_NOT_FOUND: ConfigError;
  INVALID_SET_ARGUMENT: ConfigError;
  UNKNOWN_FILE_TYPE: UnknownFileType;
  UNCASTABLE_ENV_VAR: UncastableEnvVar;
  AMBIGUOUS_ENV_VAR: AmbiguousEnvVar;
  AMBIGUOUS_MERGE: AmbiguousMergeError;
}

/** The stable codes of invoke's errors (see {@link InvokeErrorCodes} for which class carries which). */
export type InvokeErrorCode = keyof InvokeErrorCodes;

/** What `isInvokeError`'s second argument accepts: a class name or a code. */
export type InvokeErrorSelector = InvokeErrorClassName | InvokeErrorCode;

/** The error type a selector narrows to: the named class (its subclasses included), or the carrier of a code. */
export type SelectedInvokeError<S extends InvokeErrorSelector> = S extends InvokeErrorClassName
  ? InvokeErrorClasses[S]
  : S extends InvokeErrorCode
    ? InvokeErrorCodes[S] & { readonly code: S }
    : never;

/**
 * Whether `value` is an error thrown by `@fabric-ts/invoke`, from this copy of the package or any
 * other (errors are recognised by a tag on their class, not by `instanceof`; a plain `Error` whose
 * `name` is "UnexpectedExit" is not one). With a class name, true for that class and its subclasses
 * (`"Failure"` covers `UnexpectedExit`); with a code, true when the error carries that code.
 * @example if (isInvokeError(error, "UnexpectedExit")) console.log(error.result.exited)
 */
export function isInvokeError(value: unknown): value is InvokeError;
export function isInvokeError<S extends InvokeErrorSelector>(
  value: unknown,
  select: S,
): value is SelectedInvokeError<S>;
export function isInvokeError(value: unknown, select?: InvokeErrorSelector): boolean {
  const kinds = kindsOf(value, KIND);
  if (!kinds.includes("InvokeError")) return false;
  return select === undefined || kinds.includes(select) || (value as { code?: unknown }).code === select;
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
