export {
  type ConnectKwargsConfig,
  type FabricConfigData,
  fabricDefaults,
  localUser,
} from "./config/defaults.js";
export { fabricSchemaSections } from "./config/schema.js";
export { FabricConfig, type FabricConfigOptions, type SshConfigFiles } from "./config.js";
export { ConnectionSpecError, FabricError, TransferError } from "./connection/errors.js";
export { deriveShorthand, type Shorthand } from "./connection/shorthand.js";
export {
  Connection,
  type ConnectionOptions,
  type ConnectKwargs,
  type RemoteRunnerClass,
  type ShellOptions,
} from "./connection.js";
export { Result, type ResultInit } from "./result.js";
export { Remote, type RemoteOptions } from "./runners/remote.js";
export { RemoteShell } from "./runners/remote-shell.js";
