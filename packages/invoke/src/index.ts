export {
  Collection,
  type CollectionOptions,
  type SerializedCollection,
  type TasksModule,
} from "./collection.js";
export { shouldUseColor, stripAnsi } from "./color.js";
export {
  CONFIG_LEVELS,
  Config,
  type ConfigLevel,
  type ConfigOptions,
  type ConfigValueSource,
  type FileLevel,
  type Widened,
} from "./config/config.js";
export { invokeDefaults } from "./config/defaults.js";
export { envVarName } from "./config/env.js";
export { CONFIG_SUFFIXES } from "./config/files.js";
export { copyDict, mergeCollectionConfig, mergeDicts } from "./config/merge.js";
export {
  type ConfigSchemaSections,
  type InvokeSchemaSections,
  invokeSchemaSections,
  type Z,
} from "./config/schema.js";
export type { ConfigTree } from "./config/tree.js";
export type * from "./config/types.js";
export { Context, type PathLike, type RunnerClass } from "./context.js";
export { isWritingDirect, writeDirect } from "./direct-output.js";
export {
  AmbiguousEnvVar,
  AmbiguousMergeError,
  AuthFailure,
  CollectionNotFound,
  CommandAborted,
  CommandTimedOut,
  ConfigError,
  type ConfigErrorCode,
  type ConfigIssue,
  Exit,
  Failure,
  InvokeError,
  type InvokeErrorClasses,
  type InvokeErrorClassName,
  type InvokeErrorCode,
  type InvokeErrorCodes,
  type InvokeErrorSelector,
  isInvokeError,
  ParseError,
  PlatformError,
  ResponseNotAccepted,
  ResponseUnavailable,
  type SelectedInvokeError,
  SpawnError,
  type StreamFailure,
  SubprocessPipeError,
  SudoPasswordRequired,
  TasksFileError,
  ThreadException,
  UncastableEnvVar,
  UnexpectedExit,
  UnknownFileType,
  UnpicklableConfigMember,
  WatcherError,
} from "./errors.js";
export { Executor, type TaskSpec } from "./executor.js";
export { FilesystemLoader, importTasksFile, type LoadedTasks } from "./loader/filesystem-loader.js";
export { Argument, type ArgumentKind, type ArgumentOptions } from "./parser/argument.js";
export { type ParseResult, Parser } from "./parser/parser.js";
export { ParserContext } from "./parser/parser-context.js";
export { Program, type ProgramOptions } from "./program/program.js";
export { promptSecret } from "./program/prompt.js";
export { escapeRegExp, quotePath, shellJoin, shellQuote } from "./quote.js";
export { REDACTED, SecretRedactor } from "./redactor.js";
export { type DisownedResult, type HiddenStreams, Result, type ResultInit } from "./result.js";
export { run, sudo } from "./run.js";
export { RunHandle, type RunHandleInit } from "./runners/handle.js";
export { terminateRunningCommands } from "./runners/interrupts.js";
export { Local } from "./runners/local.js";
export { formatEcho, normalizeHide, type ResolvedRunOptions, type RunOptions } from "./runners/options.js";
export type { ProcessExit, StartedProcess, StartOptions } from "./runners/process.js";
export type { PtyLoad, PtyModule } from "./runners/pty.js";
export {
  type AsyncRunOptions,
  type DisownRunOptions,
  Runner,
  type RunnerContext,
  type SyncRunOptions,
} from "./runners/runner.js";
export { buildSudoCommand, type SudoCommandParts, type SudoOptions, uniqueSudoPrompt } from "./sudo.js";
export { Call, call } from "./tasks/call.js";
export { type CountArg, count } from "./tasks/count.js";
export {
  type AnyTask,
  Task,
  type TaskArgShape,
  type TaskArgsInput,
  type TaskArgValues,
  type TaskOptions,
  task,
} from "./tasks/task.js";
export { ptySize, type TerminalSize } from "./terminals.js";
export {
  FailingResponder,
  type IncrementalWatcher,
  isIncrementalWatcher,
  Responder,
  type ResponderOptions,
  type StreamName,
  StreamWatcher,
} from "./watchers.js";
