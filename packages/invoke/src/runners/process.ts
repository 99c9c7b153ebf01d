import { constants } from "node:os";
import type { Readable, Writable } from "node:stream";
import type { TerminalSize } from "../terminals.js";

/** What a runner subclass needs to start one command. */
export interface StartOptions {
  readonly shell: string;
  readonly env: Readonly<Record<string, string>>;
  readonly pty: boolean;
  /** Terminal size for a pty. */
  readonly size: TerminalSize;
  /** Start the command detached from us: no pipes, not waited for. */
  readonly disown: boolean;
  readonly cwd?: string;
}

/** How a process ended: `exitCode` for a normal exit, `signal` (e.g. `"SIGTERM"`) when killed. */
export interface ProcessExit {
  readonly exitCode: number | null;
  readonly signal: string | null;
}

/**
 * A started command, as a runner subclass hands it to the {@link Runner} base class. Output arrives on
 * `stdout` (and `stderr` unless a pty merged them) as bytes; `wait()` settles once the process has exited.
 */
export interface StartedProcess {
  readonly pid: number | undefined;
  readonly stdout: Readable | null;
  readonly stderr: Readable | null;
  readonly stdin: Writable | null;
  wait(): Promise<ProcessExit>;
  /** Signal the command and everything it started (its process group). Never throws. */
  kill(signal?: NodeJS.Signals): void;
  /** Send end-of-file to the command's stdin, if that makes sense for this process. */
  closeStdin?(): void;
  /** Resize the pseudo-terminal, when there is one. */
  resize?(size: TerminalSize): void;
  /**
   * After a kill: a sentence saying the process may still be running (a remote command the server
   * would not signal, whose channel was closed instead), or null when it is known to have ended.
   */
  stillRunning?(): string | null;
}

/** Invoke's exit code convention: the exit status, or the negative signal number (`-15` for SIGTERM). */
export function exitCodeOf(exit: ProcessExit): number | null {
  if (exit.exitCode !== null) return exit.exitCode;
  if (exit.signal === null) return null;
  const number = constants.signals[exit.signal as NodeJS.Signals];
  return number === undefined ? null : -number;
}
