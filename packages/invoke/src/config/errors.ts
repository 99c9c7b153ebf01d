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
export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  readonly source: string | undefined;
  readonly file: string | undefined;
  readonly keyPath: string | undefined;
  readonly issues: readonly ConfigIssue[];

  constructor(message: string, init: ConfigErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.source = init.source ?? init.file;
    this.file = init.file;
    this.keyPath = init.keyPath ?? init.issues?.[0]?.keyPath;
    this.issues = init.issues ?? (init.keyPath === undefined ? [] : [{ keyPath: init.keyPath, message }]);
  }
}

/** An environment variable's text cannot become the type of the config value it targets. */
export class UncastableEnvVar extends ConfigError {
  readonly envVar: string;
  constructor(message: string, envVar: string, keyPath: string) {
    super(message, { code: "UNCASTABLE_ENV_VAR", source: `environment variable ${envVar}`, keyPath });
    this.envVar = envVar;
  }
}

/** Two config key paths map to the same environment variable name, and that variable is set. */
export class AmbiguousEnvVar extends ConfigError {
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
  constructor(message: string, keyPath: string, source?: string) {
    super(source === undefined ? message : `${source}: ${message}`, {
      code: "AMBIGUOUS_MERGE",
      keyPath,
      source,
    });
  }
}
