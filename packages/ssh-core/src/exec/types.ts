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
}
