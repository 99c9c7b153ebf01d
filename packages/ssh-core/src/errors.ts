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
  | "ABORTED";

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

export function isSshError(value: unknown): value is SshError {
  return value instanceof SshError;
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
