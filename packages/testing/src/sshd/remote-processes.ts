// For tests about stopping remote commands: the harness's sshd runs on this machine, so the processes a
// test started "remotely" can be found (and cleaned up) with pgrep, and both kinds of login can be tried.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { isRoot } from "../users.js";

const run = promisify(execFile);

/**
 * The two logins sshd treats differently: it refuses `signal` requests on root sessions ("session
 * signalling requires privilege separation"), so behaviour around stopping commands can differ. Start the
 * harness with `startSshd({ rootLogin })` for each.
 */
export const SSHD_LOGINS = [
  { name: "non-root login", rootLogin: false },
  { name: "root login", rootLogin: true },
] as const;

export type SshdLogin = (typeof SSHD_LOGINS)[number];

/** True when `login` cannot be tested here: a root login needs the tests to run as root. */
export function loginNeedsRoot(login: { rootLogin: boolean }): boolean {
  return login.rootLogin && !isRoot();
}

/** `promise`'s outcome, or "pending" once `ms` have passed: a generous hang guard, not a speed check. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | "pending"> {
  return Promise.race([
    promise,
    new Promise<"pending">((resolve) => setTimeout(() => resolve("pending"), ms)),
  ]);
}

/** A `pgrep -f` pattern for the remote `sleep <seconds>` alone (not a local process whose arguments name it). */
export function remoteSleep(seconds: string): string {
  return `^sleep ${seconds}$`;
}

/** A number of seconds unique enough to find one test's `sleep` among the machine's processes. */
export function uniqueSeconds(): string {
  return `${4000 + Math.floor(Math.random() * 1000)}.${process.pid % 1000}${Date.now() % 1000}`;
}

/** PIDs of processes on this machine whose command line matches `pattern` (`pgrep -f`). */
export async function processesMatching(pattern: string): Promise<number[]> {
  const { stdout } = await run("pgrep", ["-f", pattern]).catch(() => ({ stdout: "" }));
  return stdout.split("\n").filter(Boolean).map(Number);
}

/** SIGKILL (by PID) every process `processesMatching(pattern)` finds: what a test left running. */
export async function killMatching(pattern: string): Promise<void> {
  for (const pid of await processesMatching(pattern)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
