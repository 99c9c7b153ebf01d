// The installed `fab` bin (bin/fab.js on the built dist/) as a child process the test can signal. The
// remote processes it leaves on this machine's sshd: processesMatching/killMatching in @fabric-ts/testing.
import { type ChildProcess, spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
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
