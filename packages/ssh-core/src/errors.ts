/**
 * Typed errors for everything SSH. Each error carries a stable `code` callers can switch on;
 * messages are for humans and may change. Secrets never appear in messages or details.
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
  | "JUMP_HOST_FAILED";

export interface SshErrorOptions {
  cause?: unknown;
}

export class SshError extends Error {
  readonly code: SshErrorCode;

  constructor(code: SshErrorCode, message: string, options: SshErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "SshError";
    this.code = code;
  }
}

/** TCP-level failure before any SSH traffic: refused, timed out, unreachable or unresolvable. */
export class SshConnectError extends SshError {
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
  /** SSH_OPEN_* reason code from the server, when it sent one. */
  readonly reason: number | undefined;

  constructor(message: string, reason?: number, options: SshErrorOptions = {}) {
    super("CHANNEL_OPEN_FAILED", message, options);
    this.name = "ChannelOpenError";
    this.reason = reason;
  }
}

export class ConnectionLostError extends SshError {
  constructor(message: string, options: SshErrorOptions = {}) {
    super("CONNECTION_LOST", message, options);
    this.name = "ConnectionLostError";
  }
}

export class NotConnectedError extends SshError {
  constructor(message = "SSH client is not connected") {
    super("NOT_CONNECTED", message);
    this.name = "NotConnectedError";
  }
}

/** An operation was cancelled through its AbortSignal. `name` is "AbortError" like DOM aborts. */
export class SshAbortError extends SshError {
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
  readonly hop: JumpHop;

  constructor(hop: JumpHop, message: string, options: SshErrorOptions = {}) {
    super("JUMP_HOST_FAILED", message, options);
    this.name = "JumpHostError";
    this.hop = hop;
  }
}

export function isSshError(value: unknown): value is SshError {
  return value instanceof SshError;
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
