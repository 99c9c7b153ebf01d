export {
  type ConnectKwargsConfig,
  type FabricConfigData,
  fabricDefaults,
  localUser,
} from "./config/defaults.js";
export { FabricConfig, type FabricConfigOptions, type SshConfigFiles } from "./config/fabric-config.js";
export { fabricSchemaSections } from "./config/schema.js";
export {
  Connection,
  type ConnectionOptions,
  type ConnectKwargs,
  type InventoryVars,
  type RemoteRunnerClass,
  type ShellOptions,
} from "./connection/connection.js";
export type { ForwardLocalOptions, ForwardRemoteOptions, TunnelBody } from "./connection/forwarding.js";
export { deriveShorthand, type Shorthand } from "./connection/shorthand.js";
export {
  ConnectionSpecError,
  FabricError,
  type FabricErrorClasses,
  type FabricErrorClassName,
  type FabricErrorCode,
  type FabricErrorCodes,
  type FabricErrorSelector,
  HostsFailed,
  InvalidV1Env,
  isFabricError,
  isTransportError,
  isUnreachableError,
  NothingToDo,
  type SelectedFabricError,
  TransferError,
  UNREACHABLE_CODES,
} from "./errors/index.js";
// Groups, per-host output, tasks, the per-host executor and the fab program.
export { FabricExecutor, type FabricExecutorOptions } from "./executor.js";
export * from "./group/index.js";
export { colorEnabled } from "./output/color.js";
export { type FabEvent, JsonEvents } from "./output/events.js";
export {
  type HostOutputOptions,
  type HostStreams,
  hostStreams,
  type OutputMode,
} from "./output/host-output.js";
export { LineWriter, type LineWriterOptions } from "./output/line-writer.js";
export {
  formatBytes,
  ProgressBar,
  type ProgressBarOptions,
  type ProgressRow,
} from "./output/progress.js";
export { routeOutput, withStreams } from "./output/route.js";
export { type HostOutcome, type HostStatus, renderSummary } from "./output/summary.js";
export { Fab } from "./program/fab.js";
export { Result, type ResultInit } from "./result.js";
export { Remote, type RemoteOptions } from "./runners/remote.js";
export { RemoteShell } from "./runners/remote-shell.js";
export { partialResult } from "./runners/transport-error.js";
export * from "./tasks/index.js";
export {
  type FileProgress,
  type FileProgressCallback,
  type PutSource,
  type SymlinkPolicy,
  type SyncOptions,
  type SyncReport,
  Transfer,
  type TransferMethod,
  type TransferOptions,
  type TransferProgress,
  type TransferResult,
} from "./transfer/transfer.js";
export { configFromV1, connectionFromV1, type V1Env } from "./v1.js";
