// The configuration errors live with every other invoke error; re-exported for the config modules.
export {
  AmbiguousEnvVar,
  AmbiguousMergeError,
  ConfigError,
  type ConfigErrorCode,
  type ConfigErrorInit,
  type ConfigIssue,
  UncastableEnvVar,
  UnknownFileType,
} from "../errors.js";
