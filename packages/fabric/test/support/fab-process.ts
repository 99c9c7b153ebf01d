// Run `fab` (from the sources, through jiti) as a real child process, asynchronously so that
// embedded hosts served by this test process keep answering it.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const FAB_SOURCE = join(here, "..", "..", "src", "bin", "fab.ts");
export const NO_FABFILE = join(here, "..", "fixtures", "no-fabfile");
const JITI_CLI = join(
  dirname(createRequire(join(here, "..", "..", "..", "invoke", "package.json")).resolve("jiti/package.json")),
  "lib",
  "jiti-cli.mjs",
);

export interface ChildRun {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** The hang guard had to kill it. */
  hung: boolean;
}

/**
 * Run `node <args>` and collect everything it writes. `hangAfterMs` is a generous hang detector:
 * a process still alive then is killed and reported as `hung`.
 */
export function runNode(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string; hangAfterMs?: number } = {},
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd ?? NO_FABFILE,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", COLUMNS: "80", ...options.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let hung = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.stdin.end(options.input ?? "");
    const guard = setTimeout(() => {
      hung = true;
      child.kill("SIGKILL");
    }, options.hangAfterMs ?? 60_000);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(guard);
      resolve({ stdout, stderr, code, signal, hung });
    });
  });
}

/** Run `fab <args>` from the sources. */
export function runFab(
  args: readonly string[],
  options: Parameters<typeof runNode>[1] = {},
): Promise<ChildRun> {
  return runNode(["--conditions=source", JITI_CLI, FAB_SOURCE, ...args], options);
}
