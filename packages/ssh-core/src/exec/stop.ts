import { ConnectionLostError, type SshError } from "../errors.js";
import type { ExecStopOptions, ExecStopOutcome } from "./types.js";

const DEFAULT_GRACE_MS = 1000;

/** What stopping needs from one running exec. */
export interface StoppableExec {
  readonly hasPty: boolean;
  /** Settles (never rejects) once the exec's `done` has settled. */
  readonly settled: Promise<void>;
  /** Type Ctrl-C on the pty (no-op when stdin is closed or the channel is not open yet). */
  writeInterrupt(): void;
  signal(name: string): void;
  close(): void;
  /** Settle `done` now without waiting for the server, and end stdout/stderr. */
  abandon(): void;
}

/** What stopping needs from the connection. */
export interface StopTransport {
  /** Resolves true when the server answers a request within `timeoutMs`, else false. */
  probe(timeoutMs: number): Promise<boolean>;
  /** Close the connection at once (no goodbye exchange), failing what still uses it with `error`. */
  disconnect(error: SshError): void;
  readonly label: string;
}

/**
 * End a remote command within `graceMs` whatever the server does. sshd may refuse the signal (root
 * logins) or answer nothing (a frozen server), and a closed channel is only confirmed once the
 * command has exited, so nothing here waits on the server beyond the grace period. A request that
 * needs an answer is sent alongside: a server that answers nothing at all gets its connection closed,
 * which is the only way to stop waiting on it (and lets the next command reconnect).
 */
export async function stopExec(
  exec: StoppableExec,
  transport: StopTransport,
  options: ExecStopOptions = {},
): Promise<ExecStopOutcome> {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  try {
    if (exec.hasPty && options.interrupt !== false) exec.writeInterrupt();
    exec.signal(options.signal ?? "TERM");
  } catch {
    // The channel is already going away: the grace below still bounds the wait.
  }
  const answered = transport.probe(graceMs);
  let timer: NodeJS.Timeout | undefined;
  const ended = await Promise.race([
    exec.settled.then(() => true),
    new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), graceMs);
    }),
  ]);
  clearTimeout(timer);
  if (ended) return "exited";
  // On a pty, closing the channel makes sshd hang up the terminal (SIGHUP to the command).
  exec.close();
  exec.abandon();
  if (!(await answered)) {
    transport.disconnect(
      new ConnectionLostError(
        `Connection to ${transport.label} closed: the server did not answer within ${graceMs} ms while a command was being stopped`,
      ),
    );
    return "disconnected";
  }
  return exec.hasPty ? "hung-up" : "abandoned";
}
