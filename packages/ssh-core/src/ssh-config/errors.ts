/**
 * Errors raised while resolving ssh_config. `message` reproduces what `ssh` prints on stderr
 * (possibly several lines, e.g. one per bad option followed by the "terminating" line).
 */
export type SshConfigErrorCode =
  | "BAD_CONFIGURATION" // one or more bad lines in a file; see `diagnostics`
  | "CANNOT_OPEN" // -F file missing or unreadable
  | "INCLUDE_DEPTH" // Include nested more than 16 levels
  | "BAD_PERMISSIONS" // included/user file writable by others
  | "MATCH_EXEC_FAILED" // Match exec could not run or died from a signal
  | "BAD_TOKEN" // unknown %token or unset ${VAR} during expansion
  | "INVALID_OPTIONS"; // options that are valid alone but not together (jump loop, ConnectionAttempts 0 …)

export interface SshConfigDiagnostic {
  file: string;
  line: number;
  message: string;
}

export class SshConfigError extends Error {
  readonly code: SshConfigErrorCode;
  /** File that caused the error (the -F file, or the file holding the bad lines), when known. */
  readonly file: string | undefined;
  /** First offending line, when known. */
  readonly line: number | undefined;
  /** Every reported line problem, in the order OpenSSH reports them. */
  readonly diagnostics: readonly SshConfigDiagnostic[];
  /** Everything ssh would have printed on stderr up to and including this error, in order. */
  transcript: string[] = [];

  constructor(
    code: SshConfigErrorCode,
    message: string,
    details: { file?: string; line?: number; diagnostics?: SshConfigDiagnostic[] } = {},
  ) {
    super(message);
    this.name = "SshConfigError";
    this.code = code;
    this.file = details.file;
    this.line = details.line;
    this.diagnostics = details.diagnostics ?? [];
  }
}

/** A single bad line: collected per file, then turned into one BAD_CONFIGURATION error. */
export class LineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LineError";
  }
}

/** ssh's log output escapes backslashes and control characters (strnvis); transcripts do the same. */
export function visLog(line: string): string {
  return line.replace(/[\\\x00-\x08\x0b-\x1f\x7f]/g, (c) =>
    c === "\\" ? "\\\\" : `\\${c.charCodeAt(0).toString(8).padStart(3, "0")}`,
  );
}
