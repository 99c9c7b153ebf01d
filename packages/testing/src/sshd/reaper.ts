import { type ChildProcess, spawn } from "node:child_process";

// Runs when its stdin closes, which happens only when the Node process that spawned it dies
// (even by SIGKILL): kills the process and its direct children, then removes the dir.
const SCRIPT =
  'read -r _ ; if [ -n "$1" ]; then pkill -KILL -P "$1"; kill -CONT "$1"; kill -KILL "$1"; fi 2>/dev/null; [ -n "$2" ] && rm -rf -- "$2"';

/** A watchdog for a helper process (sshd, ssh-agent) that would otherwise outlive a crashed test run. */
export interface Reaper {
  /** Stops the watchdog without triggering it (call it on orderly shutdown). */
  dismiss(): void;
}

/** Starts a detached `sh` watchdog for `pid` (if any) and `dir`; it never keeps the event loop alive. */
export function startReaper(pid: number | undefined, dir: string): Reaper {
  let reaper: ChildProcess | undefined;
  try {
    reaper = spawn("/bin/sh", ["-c", SCRIPT, "fabts-reaper", pid === undefined ? "" : String(pid), dir], {
      stdio: ["pipe", "ignore", "ignore"],
      detached: true,
    });
    reaper.on("error", () => {});
    reaper.unref();
    const stdin = reaper.stdin as (NodeJS.WritableStream & { unref?: () => void }) | null;
    stdin?.on("error", () => {});
    stdin?.unref?.();
  } catch {
    reaper = undefined;
  }
  return {
    dismiss() {
      if (reaper?.pid !== undefined && reaper.exitCode === null) {
        try {
          process.kill(reaper.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
      reaper = undefined;
    },
  };
}
