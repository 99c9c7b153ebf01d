// SshConfigError lives with every other ssh-core error; re-exported for the ssh-config modules.
export { type SshConfigDiagnostic, SshConfigError, type SshConfigErrorCode } from "../errors.js";

/**
 * A single bad line: collected per file, then turned into one BAD_CONFIGURATION error. Internal: it
 * never leaves the ssh-config reader, so it is not an SshError.
 */
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
