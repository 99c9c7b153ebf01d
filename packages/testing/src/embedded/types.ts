import type { FaultPlan } from "./faults.js";

export type EmbeddedAuthMethod = "publickey" | "password" | "keyboard-interactive";

/** One question of a keyboard-interactive exchange and the answer that passes it. */
export interface KeyboardInteractivePrompt {
  prompt: string;
  /** Whether the client may echo the answer as it is typed (false for secrets). */
  echo?: boolean;
  answer: string;
}

/** An account the embedded hosts accept. Commands always run as the local process user. */
export interface EmbeddedUser {
  name: string;
  /** Enables `password` auth (and keyboard-interactive with a single "Password: " prompt). */
  password?: string;
  /**
   * Public keys allowed for `publickey` auth: OpenSSH public key lines (an `authorized_keys` text with
   * several lines works too) or their Buffer. The generated client key is added unless
   * `authorizeClientKey` is false.
   */
  authorizedKeys?: (string | Buffer)[];
  /** Default true: the hosts' generated `clientKey` may log in as this user. */
  authorizeClientKey?: boolean;
  /** Keyboard-interactive prompts, all of which must be answered (a 2FA round, say password then code). */
  keyboardInteractive?: KeyboardInteractivePrompt[];
  /**
   * Methods that must all succeed, in any order, before login completes (sshd's
   * `AuthenticationMethods publickey,keyboard-interactive`). Earlier successes are answered with
   * partial success.
   */
  requireAll?: EmbeddedAuthMethod[];
}

/** Per-host settings when `hosts` lists objects instead of names. */
export interface EmbeddedHostSpec {
  name: string;
  /** Loopback address to listen on (overrides the group's `address`). */
  address?: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Faults for this host, merged over the group's `faults`. */
  faults?: FaultPlan;
}

export interface EmbeddedHostsOptions {
  /** A count (hosts named web1…webN) or names/specs. Default `["web1", "web2", "web3"]`. */
  hosts?: number | (string | EmbeddedHostSpec)[];
  /** Accepted accounts. Default: one user named like the local user, allowed in with the client key. */
  users?: EmbeddedUser[];
  /**
   * Directory that receives one sandbox directory per host (and the client files). Default: a new temp
   * directory that `stop()` removes; a given `rootDir` is left in place.
   */
  rootDir?: string;
  /** Shell that runs exec commands as `shell -c <command>`. Default `/bin/bash`. */
  shell?: string;
  /** Faults applied to every host (each host gets its own copy, adjustable at runtime). */
  faults?: FaultPlan;
  /**
   * Host private key (OpenSSH or PEM text), one for all hosts or chosen per host name. Default: an ed25519
   * key per host name, generated once per process.
   */
  hostKey?: string | Buffer | ((hostName: string) => string | Buffer);
  /**
   * Loopback address(es) to listen on (127.0.0.0/8 or ::1). One address: every host gets its own port on it.
   * An array: one address per host, in order. Default `127.0.0.1`.
   */
  address?: string | string[];
  /** Port for every host (only sensible with distinct addresses). Default 0: a free port each. */
  port?: number;
  /** Serve pty requests with node-pty when it loads (default true); false refuses every pty request. */
  pty?: boolean;
  /** Extra variables in every command's environment (below the client's `env` requests). */
  env?: Record<string, string>;
}

/** One command the host ran (or refused to run), in arrival order. */
export interface ExecLogEntry {
  command: string;
  user: string;
  /** Variables the client sent with `env` requests. */
  env: Record<string, string>;
  pty: boolean;
  /** `exec`, or `shell` for an interactive shell session. */
  kind: "exec" | "shell";
  startedAt: Date;
  /** Set when the command exits normally. */
  exitCode?: number;
  /** Signal name without `SIG` when the command was killed by a signal. */
  signal?: string;
  /** True when a fault cut the connection instead of running the command. */
  dropped?: boolean;
}

/** A live SSH connection to an embedded host, as seen by event listeners. */
export interface EmbeddedConnectionInfo {
  id: number;
  remoteAddress: string;
  remotePort: number;
  /** Set once authenticated. */
  user?: string;
  /** Cuts the TCP connection now. */
  drop(): void;
}

export interface EmbeddedAuthEvent {
  connection: EmbeddedConnectionInfo;
  user: string;
  method: string;
  accepted: boolean;
  /** True when the method succeeded but `requireAll` still needs others. */
  partial: boolean;
}

export interface EmbeddedExecEvent {
  connection: EmbeddedConnectionInfo;
  entry: ExecLogEntry;
}

export type SftpOperation =
  | "open"
  | "close"
  | "read"
  | "write"
  | "stat"
  | "lstat"
  | "fstat"
  | "setstat"
  | "fsetstat"
  | "opendir"
  | "readdir"
  | "remove"
  | "mkdir"
  | "rmdir"
  | "realpath"
  | "rename"
  | "readlink"
  | "symlink";

export interface EmbeddedSftpEvent {
  connection: EmbeddedConnectionInfo;
  /** Path-based operations only (reads and writes on handles are not reported, for speed). */
  operation: SftpOperation;
  path: string;
  /** SFTP status code of the reply (0 is OK). */
  status: number;
}

export interface EmbeddedForwardEvent {
  connection: EmbeddedConnectionInfo;
  /** `local`: a client -L (direct-tcpip) connection; `remote`: a client -R listener opened or closed. */
  kind: "local" | "remote-listen" | "remote-cancel";
  host: string;
  port: number;
  accepted: boolean;
}

export interface EmbeddedChannelEvent {
  connection: EmbeddedConnectionInfo;
  type: "session" | "direct-tcpip";
  accepted: boolean;
  /** Why a channel was refused (a fault, `maxSessions`, a non-loopback target). */
  reason?: string;
}

/** Events of an {@link EmbeddedHost}; listen with `host.on(name, listener)`. */
export interface EmbeddedHostEvents {
  connection: [EmbeddedConnectionInfo];
  auth: [EmbeddedAuthEvent];
  channel: [EmbeddedChannelEvent];
  exec: [EmbeddedExecEvent];
  exit: [EmbeddedExecEvent];
  sftp: [EmbeddedSftpEvent];
  forward: [EmbeddedForwardEvent];
  disconnect: [EmbeddedConnectionInfo];
}
