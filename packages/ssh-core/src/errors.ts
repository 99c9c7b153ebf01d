/**
 * Over 400 lines on purpose: every error class of the package, its code and its guard in one place, so a caller finds them all in one file.
 *
 * Typed errors for everything SSH. Each error carries a stable `code` callers can switch on;
 * messages are for humans and may change. Secrets never appear in messages or details.
 * Test with {@link isSshError} rather than `instanceof`: it also recognises errors made by another
 * copy of this package (two bundles, or a tasks file with its own node_modules).
 */
export type SshErrorCode =
  | "CONNECT_REFUSED"
  | "CONNECT_TIMEOUT"
  | "HOST_UNREACHABLE"
  | "HANDSHAKE_FAILED"
  | "AUTH_FAILED"
  | "HOST_KEY_MISMATCH"
  | "HOST_KEY_UNKNOWN"
  | "HOST_KEY_REVOKED"
  | "CHANNEL_OPEN_FAILED"
  | "CONNECTION_LOST"
  | "NOT_CONNECTED"
  | "KEY_UNREADABLE"
  | "BAD_PASSPHRASE"
  | "ABORTED"
  | "SFTP_FAILED"
  | "TUNNEL_FAILED"
  | "JUMP_HOST_FAILED"
  | SshConfigErrorCode
  | "CONTROL_DIR_UNUSABLE";

/**
 * Codes of {@link SshConfigError}: resolving ssh_config failed. `message` reproduces what `ssh`
 * prints on stderr (possibly several lines, e.g. one per bad option then the "terminating" line).
 */
export type SshConfigErrorCode =
  | "BAD_CONFIGURATION" // one or more bad lines in a file; see `diagnostics`
  | "CANNOT_OPEN" // -F file missing or unreadable
  | "INCLUDE_DEPTH" // Include nested more than 16 levels
  | "BAD_PERMISSIONS" // included/user file writable by others
  | "MATCH_EXEC_FAILED" // Match exec could not run or died from a signal
  | "BAD_TOKEN" // unknown %token or unset ${VAR} during expansion
  | "INVALID_OPTIONS"; // options that are valid alone but not together (jump loop, ConnectionAttempts 0 …)

// The same kind-tag scheme as invoke's `tagErrorKind`/`errorKindsOf`, kept here because ssh-core depends on
// no other layer of the project.

/** Where ssh-core's error classes write their kind tag (see {@link isSshError}). */
const KIND = Symbol.for("@fabric-ts/ssh-core.error-kind");

/** Tags a class's prototype with its name: survives a second copy of the package and minifiers. */
function tagKind(cls: { readonly prototype: object }, kind: SshErrorClassName): void {
  Object.defineProperty(cls.prototype, KIND, {
    value: kind,
    enumerable: false,
    writable: false,
    configurable: false,
  });
}

/** The kind tags along `value`'s prototype chain, its own class first; empty for anything untagged. */
function kindsOf(value: unknown): string[] {
  const kinds: string[] = [];
  if (typeof value !== "object" || value === null) return kinds;
  for (let proto: unknown = Object.getPrototypeOf(value); proto !== null && typeof proto === "object"; ) {
    const tag: unknown = Object.getOwnPropertyDescriptor(proto, KIND)?.value;
    if (typeof tag === "string") kinds.push(tag);
    proto = Object.getPrototypeOf(proto);
  }
  return kinds;
}

export interface SshErrorOptions {
  cause?: unknown;
}

export class SshError extends Error {
  static {
    tagKind(SshError, "SshError");
  }
  readonly code: SshErrorCode;

  constructor(code: SshErrorCode, message: string, options: SshErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SshError";
    this.code = code;
  }
}

/** TCP-level failure before any SSH traffic: refused, timed out, unreachable or unresolvable. */
export class SshConnectError extends SshError {
  static {
    tagKind(SshConnectError, "SshConnectError");
  }
  readonly host: string;
  readonly port: number;

  constructor(
    code: "CONNECT_REFUSED" | "CONNECT_TIMEOUT" | "HOST_UNREACHABLE",
    host: string,
    port: number,
    message: string,
    options: SshErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = "SshConnectError";
    this.host = host;
    this.port = port;
  }
}

/** Key exchange / algorithm negotiation failed, or the server dropped us before the handshake finished. */
export class SshHandshakeError extends SshError {
  static {
    tagKind(SshHandshakeError, "SshHandshakeError");
  }
  constructor(message: string, options: SshErrorOptions = {}) {
    super("HANDSHAKE_FAILED", message, options);
    this.name = "SshHandshakeError";
  }
}

/** One authentication method that was attempted, as listed in an {@link SshAuthError}. */
export interface AuthAttempt {
  method: "none" | "agent" | "publickey" | "keyboard-interactive" | "password";
  /** Human-readable detail: key path, agent key count. Never a secret. */
  detail?: string;
}

export class SshAuthError extends SshError {
  static {
    tagKind(SshAuthError, "SshAuthError");
  }
  readonly username: string;
  readonly host: string;
  readonly port: number;
  readonly attempts: readonly AuthAttempt[];

  constructor(
    username: string,
    host: string,
    port: number,
    attempts: readonly AuthAttempt[],
    reason?: string,
    options: SshErrorOptions = {},
  ) {
    const tried = attempts
      .filter((a) => a.method !== "none")
      .map((a) => (a.detail ? `${a.method} ${a.detail}` : a.method))
      .join(", ");
    const why = reason ? `: ${reason}` : "";
    super(
      "AUTH_FAILED",
      `Authentication failed for ${username}@${formatHostPort(host, port)}${why} (tried: ${tried || "nothing"})`,
      options,
    );
    this.name = "SshAuthError";
    this.username = username;
    this.host = host;
    this.port = port;
    this.attempts = attempts;
  }
}

export interface HostKeyErrorDetails {
  /** Name looked up in known_hosts (`host`, `[host]:port` or the HostKeyAlias). */
  hostName: string;
  keyType: string;
  /** `SHA256:…` fingerprint of the key the server presented. */
  fingerprint: string;
  /** File and 1-based line of the known_hosts entry involved (mismatch / revoked). */
  file?: string;
  line?: number;
}

export class HostKeyError extends SshError {
  static {
    tagKind(HostKeyError, "HostKeyError");
  }
  readonly details: HostKeyErrorDetails;

  constructor(
    code: "HOST_KEY_MISMATCH" | "HOST_KEY_UNKNOWN" | "HOST_KEY_REVOKED",
    message: string,
    details: HostKeyErrorDetails,
  ) {
    super(code, message);
    this.name = "HostKeyError";
    this.details = details;
  }
}

/** A private key file could not be read/parsed (`KEY_UNREADABLE`) or decrypted (`BAD_PASSPHRASE`). */
export class KeyFileError extends SshError {
  static {
    tagKind(KeyFileError, "KeyFileError");
  }
  readonly path: string;

  constructor(
    code: "KEY_UNREADABLE" | "BAD_PASSPHRASE",
    path: string,
    message: string,
    options: SshErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = "KeyFileError";
    this.path = path;
  }
}

export class ChannelOpenError extends SshError {
  static {
    tagKind(ChannelOpenError, "ChannelOpenError");
  }
  /** SSH_OPEN_* reason code from the server, when it sent one. */
  readonly reason: number | undefined;

  constructor(message: string, reason?: number, options: SshErrorOptions = {}) {
    super("CHANNEL_OPEN_FAILED", message, options);
    this.name = "ChannelOpenError";
    this.reason = reason;
  }
}

export class ConnectionLostError extends SshError {
  static {
    tagKind(ConnectionLostError, "ConnectionLostError");
  }
  constructor(message: string, options: SshErrorOptions = {}) {
    super("CONNECTION_LOST", message, options);
    this.name = "ConnectionLostError";
  }
}

export class NotConnectedError extends SshError {
  static {
    tagKind(NotConnectedError, "NotConnectedError");
  }
  constructor(message = "SSH client is not connected") {
    super("NOT_CONNECTED", message);
    this.name = "NotConnectedError";
  }
}

/** An operation was cancelled through its AbortSignal. `name` is "AbortError" like DOM aborts. */
export class SshAbortError extends SshError {
  static {
    tagKind(SshAbortError, "SshAbortError");
  }
  constructor(message = "The operation was aborted", options: SshErrorOptions = {}) {
    super("ABORTED", message, options);
    this.name = "AbortError";
  }
}

/** SFTP status codes (draft-ietf-secsh-filexfer-02, the version OpenSSH speaks). */
export const SftpStatus = {
  OK: 0,
  EOF: 1,
  NO_SUCH_FILE: 2,
  PERMISSION_DENIED: 3,
  FAILURE: 4,
  BAD_MESSAGE: 5,
  NO_CONNECTION: 6,
  CONNECTION_LOST: 7,
  OP_UNSUPPORTED: 8,
} as const;
export type SftpStatusName = keyof typeof SftpStatus;

/** An SFTP request failed. `status` is the server's SFTP status code; `path` the file involved. */
export class SftpError extends SshError {
  static {
    tagKind(SftpError, "SftpError");
  }
  readonly status: number;
  readonly statusName: SftpStatusName | "UNKNOWN";
  /** The request that failed (`stat`, `open`, `rename` …). */
  readonly operation: string;
  readonly path: string;
  /** The server's own message, when it sent one. */
  readonly serverMessage: string | undefined;

  constructor(
    operation: string,
    path: string,
    status: number,
    serverMessage?: string,
    options: SshErrorOptions = {},
  ) {
    const statusName =
      (Object.keys(SftpStatus) as SftpStatusName[]).find((name) => SftpStatus[name] === status) ?? "UNKNOWN";
    const detail = serverMessage ? `${serverMessage} (${statusName})` : statusName;
    super("SFTP_FAILED", `SFTP ${operation} ${path}: ${detail}`, options);
    this.name = "SftpError";
    this.status = status;
    this.statusName = statusName;
    this.operation = operation;
    this.path = path;
    this.serverMessage = serverMessage;
  }
}

/**
 * BIND_FAILED: the local listener could not bind. REMOTE_BIND_REFUSED: the server refused to
 * listen (-R). REMOTE_CONNECT_FAILED: the server could not reach the target of one connection.
 * LOCAL_CONNECT_FAILED: a -R connection could not reach its local target. SOCKS_PROTOCOL: a
 * SOCKS client sent something we do not speak.
 */
export type TunnelFailure =
  | "BIND_FAILED"
  | "REMOTE_BIND_REFUSED"
  | "REMOTE_CONNECT_FAILED"
  | "LOCAL_CONNECT_FAILED"
  | "SOCKS_PROTOCOL";

/** A port forward could not be set up, or one forwarded connection could not be opened. */
export class TunnelError extends SshError {
  static {
    tagKind(TunnelError, "TunnelError");
  }
  readonly reason: TunnelFailure;

  constructor(reason: TunnelFailure, message: string, options: SshErrorOptions = {}) {
    super("TUNNEL_FAILED", message, options);
    this.name = "TunnelError";
    this.reason = reason;
  }
}

/** Which hop of a jump chain failed, as written in ProxyJump / passed to `connectVia`. */
export interface JumpHop {
  /** 0-based position in the chain (the first hop is dialled first). */
  index: number;
  /** The name as given (alias or address). */
  name: string;
  host: string;
  port: number;
  username?: string | undefined;
}

/** Connecting through a jump host (or ProxyCommand) failed; `hop` names the one that failed. */
export class JumpHostError extends SshError {
  static {
    tagKind(JumpHostError, "JumpHostError");
  }
  readonly hop: JumpHop;

  constructor(hop: JumpHop, message: string, options: SshErrorOptions = {}) {
    super("JUMP_HOST_FAILED", message, options);
    this.name = "JumpHostError";
    this.hop = hop;
  }
}

/** The SSH control directory for warm connections is unusable: not ours, open to others, or not a directory. */
export class ControlDirError extends SshError {
  static {
    tagKind(ControlDirError, "ControlDirError");
  }
  constructor(message: string, options: SshErrorOptions = {}) {
    super("CONTROL_DIR_UNUSABLE", message, options);
    this.name = "ControlDirError";
  }
}

/** One bad line reported by {@link SshConfigError} (`BAD_CONFIGURATION`). */
export interface SshConfigDiagnostic {
  file: string;
  line: number;
  message: string;
}

/** Resolving ssh_config failed; `message` is what `ssh` would print. */
export class SshConfigError extends SshError {
  static {
    tagKind(SshConfigError, "SshConfigError");
  }
  declare readonly code: SshConfigErrorCode;
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
    super(code, message);
    this.name = "SshConfigError";
    this.file = details.file;
    this.line = details.line;
    this.diagnostics = details.diagnostics ?? [];
  }
}

/** Every ssh-core error class by name: what `isSshError(e, "Name")` narrows to. */
export interface SshErrorClasses {
  SshError: SshError;
  SshConnectError: SshConnectError;
  SshHandshakeError: SshHandshakeError;
  SshAuthError: SshAuthError;
  HostKeyError: HostKeyError;
  KeyFileError: KeyFileError;
  ChannelOpenError: ChannelOpenError;
  ConnectionLostError: ConnectionLostError;
  NotConnectedError: NotConnectedError;
  SshAbortError: SshAbortError;
  SftpError: SftpError;
  TunnelError: TunnelError;
  JumpHostError: JumpHostError;
  ControlDirError: ControlDirError;
  SshConfigError: SshConfigError;
}

export type SshErrorClassName = keyof SshErrorClasses;

/** Which class carries each code (`AUTH_FAILED` also comes as a plain `SshError` from a failing auth callback). */
export interface SshErrorCodes {
  CONNECT_REFUSED: SshConnectError;
  CONNECT_TIMEOUT: SshConnectError;
  HOST_UNREACHABLE: SshConnectError;
  HANDSHAKE_FAILED: SshHandshakeError;
  AUTH_FAILED: SshError;
  HOST_KEY_MISMATCH: HostKeyError;
  HOST_KEY_UNKNOWN: HostKeyError;
  HOST_KEY_REVOKED: HostKeyError;
  CHANNEL_OPEN_FAILED: ChannelOpenError;
  CONNECTION_LOST: ConnectionLostError;
  NOT_CONNECTED: NotConnectedError;
  KEY_UNREADABLE: KeyFileError;
  BAD_PASSPHRASE: KeyFileError;
  ABORTED: SshAbortError;
  SFTP_FAILED: SftpError;
  TUNNEL_FAILED: TunnelError;
  JUMP_HOST_FAILED: JumpHostError;
  BAD_CONFIGURATION: SshConfigError;
  CANNOT_OPEN: SshConfigError;
  INCLUDE_DEPTH: SshConfigError;
  BAD_PERMISSIONS: SshConfigError;
  MATCH_EXEC_FAILED: SshConfigError;
  BAD_TOKEN: SshConfigError;
  INVALID_OPTIONS: SshConfigError;
  CONTROL_DIR_UNUSABLE: ControlDirError;
}

/** What `isSshError`'s second argument accepts: a class name or a code. */
export type SshErrorSelector = SshErrorClassName | SshErrorCode;

/** The error type a selector narrows to: the named class (its subclasses included), or the carrier of a code. */
export type SelectedSshError<S extends SshErrorSelector> = S extends SshErrorClassName
  ? SshErrorClasses[S]
  : S extends SshErrorCode
    ? SshErrorCodes[S] & { readonly code: S }
    : never;

/**
 * Whether `value` is an error thrown by `@fabric-ts/ssh-core`, from this copy of the package or any
 * other (errors are recognised by a tag on their class, not by `instanceof`; a plain `Error` whose
 * `name` is "SshError" is not one). With a class name, true for that class and its subclasses; with
 * a code, true when the error carries that code.
 * @example if (isSshError(error, "HOST_KEY_UNKNOWN")) console.log(error.details.fingerprint)
 */
export function isSshError(value: unknown): value is SshError;
export function isSshError<S extends SshErrorSelector>(
  value: unknown,
  select: S,
): value is SelectedSshError<S>;
export function isSshError(value: unknown, select?: SshErrorSelector): boolean {
  const kinds = kindsOf(value);
  if (!kinds.includes("SshError")) return false;
  return select === undefined || kinds.includes(select) || (value as { code?: unknown }).code === select;
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
