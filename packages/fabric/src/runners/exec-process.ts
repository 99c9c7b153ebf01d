import type { ProcessExit, StartedProcess, TerminalSize } from "@fabric-ts/invoke";
import type { ExecHandle, ExecStopOutcome } from "@fabric-ts/ssh-core";

/** How long a killed remote command may take to end before its channel is closed. */
const KILL_GRACE_MS = 500;

/** Why a stopped remote command may have outlived the stop, by how the stop ended. */
const STILL_RUNNING: Record<ExecStopOutcome, string | null> = {
  exited: null,
  "hung-up":
    "The remote command did not end when interrupted; its terminal was hung up, which ends it unless it ignores SIGHUP.",
  abandoned:
    "The remote command did not end when signalled (sshd refuses signals on root logins; some commands ignore them): its channel was closed, and it may still be running on the host.",
  disconnected:
    "The server stopped answering: the connection was closed, and the remote command may still be running on the host.",
};

/**
 * An ssh-core exec channel seen as the process a Runner drives. SIGINT (and other signals) go to the
 * remote process as a `signal` request (sshd delivers it to the session's process group). SIGKILL
 * and SIGTERM (timeouts, aborts, exit) stop it within a bounded time whatever the server does: see
 * `ExecHandle.stop`, which closes the channel after a grace period instead of waiting for a reply
 * sshd only sends once the command has exited.
 */
export function execAsProcess(handle: ExecHandle): StartedProcess {
  let finished = false;
  let stopping: Promise<ExecStopOutcome> | null = null;
  let stopOutcome: ExecStopOutcome | null = null;
  const exited = handle.done.then(
    async (exit): Promise<ProcessExit> => {
      // A stop settles `done` before it has decided about the connection: wait for its verdict.
      if (stopping) stopOutcome = await stopping;
      finished = true;
      return { exitCode: exit.exitCode, signal: exit.signal };
    },
    (error: unknown) => {
      finished = true;
      throw error;
    },
  );
  exited.catch(() => {});
  return {
    pid: undefined,
    stdout: handle.stdout,
    stderr: handle.stderr,
    stdin: handle.stdin,
    wait: () => exited,
    kill: (signal = "SIGTERM") => {
      if (finished) return;
      if (signal === "SIGKILL" || signal === "SIGTERM") {
        stopping ??= handle.stop({ signal, graceMs: KILL_GRACE_MS });
        return;
      }
      try {
        handle.signal(signal);
      } catch {
        // channel already gone
      }
    },
    closeStdin: () => {
      if (!handle.stdin.writableEnded) handle.stdin.end();
    },
    resize: (size: TerminalSize) => handle.resize(size.columns, size.rows),
    stillRunning: () => (stopOutcome ? STILL_RUNNING[stopOutcome] : null),
  };
}
