export {
  CONFIG_LEVELS,
  Config,
  type ConfigLevel,
  type ConfigOptions,
  type ConfigValueSource,
  type FileLevel,
} from "./config/config.js";
export { invokeDefaults } from "./config/defaults.js";
export { envVarName } from "./config/env.js";
export {
  AmbiguousEnvVar,
  AmbiguousMergeError,
  ConfigError,
  type ConfigErrorCode,
  type ConfigIssue,
  UncastableEnvVar,
  UnknownFileType,
} from "./config/errors.js";
export { CONFIG_SUFFIXES } from "./config/files.js";
export { copyDict, mergeCollectionConfig, mergeDicts } from "./config/merge.js";
export { type ConfigSchemaSections, type InvokeSchemaSections, invokeSchemaSections, type Z } from "./config/schema.js";
export type { ConfigTree } from "./config/tree.js";
export type * from "./config/types.js";
