import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { closeSync, openSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { descendantsOf, isAlive, signalAll } from "./process-tree.js";
import { waitForBanners } from "./readiness.js";
import { type Reaper, startReaper } from "./reaper.js";

/** A running `sshd -D -e` child plus the watchdog that kills it if this Node process dies. */
export interface DaemonProcess {
  child: ChildProcess;
  reaper: Reaper | undefined;
  exited: Promise<void>;
}

export interface SpawnDaemonInput {
  sshdPath: string;
  configPath: string;
  logPath: string;
  /** Removed by the watchdog along with the daemon if this process dies without clean-up. */
  harnessDir: string;
  endpoints: readonly { address: string; port: number }[];
  timeoutMs: number;
  /** True when the log level shows sshd's "Server listening on …" lines (INFO or more verbose). */
  logsListening: boolean;
}

/** Spawns sshd and resolves once every endpoint shows the SSH banner; on failure nothing is left running. */
export async function spawnDaemon(input: SpawnDaemonInput): Promise<DaemonProcess> {
  const logFd = openSync(input.logPath, "a", 0o600);
  let child: ChildProcess;
  try {
    child = spawn(input.sshdPath, ["-D", "-e", "-f", input.configPath], {
      stdio: ["ignore", logFd, logFd],
      // sshd builds each session's environment itself; keep the daemon's own minimal.
      env: { PATH: process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin" },
    });
  } finally {
    closeSync(logFd);
  }
  const exited = once(child, "exit").then(
    () => undefined,
    () => undefined,
  );
  const spawnError = once(child, "error").then(([error]) => error as Error);
  let failed: Error | undefined;
  spawnError.then((error) => {
    failed = error;
  });
  const daemon: DaemonProcess = { child, reaper: undefined, exited };
  try {
    const running = () => !failed && child.exitCode === null && child.signalCode === null;
    // sshd keeps running when it binds only some of its addresses; its log says which ones it got.
    const owns = ({ address, port }: { address: string; port: number }) =>
      !input.logsListening ||
      logTail(input.logPath, 10_000).includes(`Server listening on ${address} port ${port}.`);
    await waitForBanners(input.endpoints, running, input.timeoutMs, owns);
    if (child.pid !== undefined) daemon.reaper = startReaper(child.pid, input.harnessDir);
    return daemon;
  } catch (error) {
    await terminateDaemon(daemon);
    throw failed ?? error;
  }
}

/** Stops the watchdog without triggering it. */
export function dismissReaper(daemon: DaemonProcess): void {
  daemon.reaper?.dismiss();
  daemon.reaper = undefined;
}

/** Signals the daemon and every process below it (per-connection sshd, sessions, user commands). */
export function signalTree(daemon: DaemonProcess, signal: NodeJS.Signals, includeDaemon = true): number[] {
  const pid = daemon.child.pid;
  if (pid === undefined) return [];
  const pids = descendantsOf(pid);
  // Children first, so a session cannot outlive the listener by a scheduling accident.
  signalAll(pids, signal);
  if (includeDaemon) signalAll([pid], signal);
  return includeDaemon ? [...pids, pid] : pids;
}

async function waitGone(pids: readonly number[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) return false;
    await delay(10);
  }
  return true;
}

/** SIGTERM the whole tree, then SIGKILL whatever is left; resolves when nothing of it runs. */
export async function terminateDaemon(daemon: DaemonProcess): Promise<void> {
  dismissReaper(daemon);
  if (daemon.child.exitCode !== null || daemon.child.signalCode !== null) {
    // The listener is gone, but sessions it forked may still run.
    const pid = daemon.child.pid;
    if (pid !== undefined) {
      const leftovers = descendantsOf(pid);
      signalAll(leftovers, "SIGKILL");
      await waitGone(leftovers, 2_000);
    }
    return;
  }
  const pids = signalTree(daemon, "SIGTERM");
  // A session stopped by a fault test (SIGSTOP) only acts on SIGTERM once continued.
  signalAll(pids, "SIGCONT");
  if (!(await waitGone(pids, 3_000))) {
    signalAll(pids, "SIGKILL");
    // Sessions forked between the two signals would otherwise survive.
    if (daemon.child.pid !== undefined) signalAll(descendantsOf(daemon.child.pid), "SIGKILL");
    await waitGone(pids, 3_000);
  }
  await daemon.exited;
}

/** Synchronous last-resort kill for process exit. */
export function killDaemonSync(daemon: DaemonProcess): void {
  dismissReaper(daemon);
  signalTree(daemon, "SIGKILL");
}

/** The last lines of a log file ("" when it cannot be read). */
export function logTail(path: string, lines = 30): string {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}
