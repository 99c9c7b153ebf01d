import type { ProcessExit, StartedProcess, TerminalSize } from "@fabric-ts/invoke";
import type { ExecHandle } from "@fabric-ts/ssh-core";

/** How long a killed remote command may take to report its exit before its channel is closed. */
const KILL_GRACE_MS = 2000;

/**
 * An ssh-core exec channel seen as the process a Runner drives. Signals go to the remote process
 * (sshd delivers them to the session's process group); SIGKILL/SIGTERM also close the channel if the
 * command has not ended shortly after, so a timeout never waits on a command that ignores signals.
 */
export function execAsProcess(handle: ExecHandle): StartedProcess {
  let finished = false;
  const exited = handle.done.then(
    (exit): ProcessExit => {
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
      try {
        handle.signal(signal);
      } catch {
        // channel already gone
      }
      if (signal === "SIGKILL" || signal === "SIGTERM") {
        setTimeout(() => {
          if (!finished) handle.close();
        }, KILL_GRACE_MS).unref();
      }
    },
    closeStdin: () => {
      if (!handle.stdin.writableEnded) handle.stdin.end();
    },
    resize: (size: TerminalSize) => handle.resize(size.columns, size.rows),
  };
}
