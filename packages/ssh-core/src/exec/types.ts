import type { Readable, Writable } from "node:stream";

export interface PtyOptions {
  /** Default 80. */
  cols?: number;
  /** Default 24. */
  rows?: number;
  /** $TERM on the remote side. Default `vt100` (what Fabric sends). */
  term?: string;
  /** Terminal modes by name (`ECHO: 0`, …), as in RFC 4254 §8. */
  modes?: Record<string, number>;
}

/**
 * How `env` reaches the remote command. `inline` (default, like Fabric's `inline_ssh_env`) prefixes the
 * command with `export K='v' … &&`; `setenv` sends RFC 4254 env requests, which sshd silently drops
 * unless the names are listed in its AcceptEnv.
 */
export type EnvMode = "inline" | "setenv";

export interface ExecOptions {
  env?: Readonly<Record<string, string>>;
  envMode?: EnvMode;
  pty?: boolean | PtyOptions;
  /**
   * Data to send on stdin, after which stdin is closed (EOF). `null` closes stdin at once.
   * Leave undefined to write to `handle.stdin` yourself (and end it when done).
   */
  stdin?: string | Uint8Array | NodeJS.ReadableStream | null;
  /**
   * Ask for agent forwarding on this channel. Default: the client's `agentForward`. Needs a local agent
   * socket (`agent` or `agentForward` option). sshd enables the forwarded agent for the whole connection
   * once any session asked for it.
   */
  agentForward?: boolean;
  /** Aborting sends `abortSignalName` to the remote process, closes the channel and rejects `done`. */
  signal?: AbortSignal;
  /** Signal sent on abort. Default `TERM`. */
  abortSignalName?: string;
  /** Called with each stdout chunk as it arrives (the `stdout` stream is then already consumed). */
  onStdout?: (chunk: Buffer) => void;
  /** Called with each stderr chunk as it arrives (the `stderr` stream is then already consumed). */
  onStderr?: (chunk: Buffer) => void;
}

export interface ExecExit {
  /** The remote exit status, or null when the process died from a signal or none was reported. */
  exitCode: number | null;
  /** The signal that ended the process, Node style (`SIGTERM`), or null. */
  signal: string | null;
}

export interface ExecStopOptions {
  /** Signal requested for the remote process (`TERM`, `KILL`, … with or without `SIG`). Default `TERM`. */
  signal?: string;
  /** On a pty, type Ctrl-C (`\x03`) before signalling. Default true. */
  interrupt?: boolean;
  /** How long the command may take to end before its channel is closed. Default 1000 ms. */
  graceMs?: number;
}

/**
 * What {@link ExecHandle.stop} achieved:
 * - `exited`: the command ended within the grace period (`done` has its exit status);
 * - `hung-up`: its pty was closed after the grace period; the hang-up (SIGHUP) ends a command that
 *   does not ignore it, but the server had not confirmed when `stop` returned;
 * - `abandoned`: no pty, and the command did not end: the channel was closed and no longer waited
 *   for. The command may still be running (sshd refuses `signal` requests on root logins, and
 *   closing a session does not end its command);
 * - `disconnected`: the server did not answer at all (frozen, or the link is dead): the whole
 *   connection was closed. The command may still be running.
 */
export type ExecStopOutcome = "exited" | "hung-up" | "abandoned" | "disconnected";

/**
 * A running remote command. `stdout` and `stderr` apply backpressure: read both (or pass
 * `onStdout`/`onStderr`), otherwise the remote process blocks once about 2 MiB is buffered, just as a
 * child process blocks on a full pipe.
 */
export interface ExecHandle {
  readonly command: string;
  readonly stdout: Readable;
  readonly stderr: Readable;
  readonly stdin: Writable;
  /** Resolves once the channel is open and the command was accepted by the server. */
  readonly started: Promise<void>;
  /**
   * Resolves with the exit status once the channel closed and all output was delivered; rejects with
   * a typed error (`CHANNEL_OPEN_FAILED`, `CONNECTION_LOST`, `ABORTED`).
   */
  readonly done: Promise<ExecExit>;
  /** Tell the remote pty its new size (no-op without a pty). */
  resize(cols: number, rows: number): void;
  /** Send a signal (`TERM`, `INT`, `KILL`, … with or without `SIG`) to the remote process. */
  signal(name: string): void;
  /** Close the channel without waiting for the command to finish. */
  close(): void;
  /**
   * End the command within a bounded time, whatever the server does: ask it to stop, wait up to the
   * grace period, then close the channel and stop waiting (and close the connection when the server
   * answers nothing at all). `done` has settled when this resolves; without an exit status it
   * resolves with `exitCode` and `signal` null. Idempotent: later calls return the first outcome.
   */
  stop(options?: ExecStopOptions): Promise<ExecStopOutcome>;
}
