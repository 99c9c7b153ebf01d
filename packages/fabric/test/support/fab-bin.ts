// The installed `fab` bin (bin/fab.js on the built dist/) as a child process the test can signal,
// plus helpers to find the remote processes it left on this machine's sshd.
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { NO_FABFILE } from "./fab-process.js";

const here = dirname(fileURLToPath(import.meta.url));
/** What `npm i -g` would put on PATH: run `pnpm build` first. */
export const FAB_BIN = join(here, "..", "..", "bin", "fab.js");

export interface FabBinRun {
  readonly child: ChildProcess;
  /** Resolves once stdout (so far) matches `pattern`; rejects if the process ends first. */
  output(pattern: RegExp): Promise<void>;
  /** Settles when the process has exited, with what it wrote and how long it ran since spawn. */
  readonly done: Promise<FabBinExit>;
}

export interface FabBinExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  elapsedMs: number;
  /** The hang guard had to kill it. */
  hung: boolean;
}

/** Start `fab <args>`. A process still alive after `hangAfterMs` is killed and reported as hung. */
export function startFab(
  args: readonly string[],
  options: { cwd?: string; hangAfterMs?: number; env?: Record<string, string> } = {},
): FabBinRun {
  const started = Date.now();
  const child = spawn(process.execPath, [FAB_BIN, ...args], {
    cwd: options.cwd ?? NO_FABFILE,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", COLUMNS: "80", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const watchers = new Set<() => void>();
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    for (const check of watchers) check();
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
  });
  let hung = false;
  const guard = setTimeout(() => {
    hung = true;
    child.kill("SIGKILL");
  }, options.hangAfterMs ?? 60_000);
  const done = new Promise<FabBinExit>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(guard);
      for (const check of watchers) check();
      resolve({ code, signal, stdout, stderr, elapsedMs: Date.now() - started, hung });
    });
  });
  const output = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (pattern.test(stdout)) {
          watchers.delete(check);
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          watchers.delete(check);
          reject(new Error(`fab ended before printing ${pattern}:\n${stdout}\n${stderr}`));
        }
      };
      watchers.add(check);
      check();
    });
  return { child, output, done };
}

const run = promisify(execFile);

/** PIDs of processes whose command line contains `marker` (the sshd runs on this machine). */
export async function processesMatching(marker: string): Promise<number[]> {
  const { stdout } = await run("pgrep", ["-f", marker]).catch(() => ({ stdout: "" }));
  return stdout.split("\n").filter(Boolean).map(Number);
}

/** Kill (by PID) what a test left running remotely; nothing else has `marker` in its command line. */
export async function killMatching(marker: string): Promise<void> {
  for (const pid of await processesMatching(marker)) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}

/** A number unique enough to find one test's `sleep` among the machine's processes. */
export function uniqueSeconds(): string {
  return `${4000 + Math.floor(Math.random() * 1000)}.${process.pid % 1000}${Date.now() % 1000}`;
}
