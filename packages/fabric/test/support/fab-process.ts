// Run `fab` (from the sources, through jiti) as a real child process, asynchronously so that
// embedded hosts served by this test process keep answering it, or synchronously for one-shot runs.
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** packages/fabric/test/fixtures */
export const FIXTURES = join(here, "..", "fixtures");
export const FAB_SOURCE = join(here, "..", "..", "src", "bin", "fab.ts");
export const NO_FABFILE = join(FIXTURES, "no-fabfile");
/** jiti is the TypeScript loader of @fabric-ts/invoke (fabric has no dependency of its own on it). */
export const JITI_CLI = join(
  dirname(createRequire(join(here, "..", "..", "..", "invoke", "package.json")).resolve("jiti/package.json")),
  "lib",
  "jiti-cli.mjs",
);
/** `node` arguments that run a TypeScript entry point from the sources: jiti, workspace packages via `source`. */
export const TS_NODE_ARGS: readonly string[] = ["--conditions=source", JITI_CLI];
/** `node` arguments that run the `fab` CLI from the sources; append fab's own arguments. */
export const FAB_NODE_ARGS: readonly string[] = [...TS_NODE_ARGS, FAB_SOURCE];

export interface SyncRun {
  stdout: string;
  stderr: string;
  code: number | null;
}

/**
 * `node <args>` run to completion (spawnSync): the environment is exactly `env` (callers pass PATH, HOME …),
 * `timeoutMs` is a hang guard.
 */
export function runNodeSync(
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
): SyncRun {
  const result = spawnSync(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    encoding: "utf8",
    timeout: options.timeoutMs,
  });
  return { stdout: result.stdout, stderr: result.stderr, code: result.status };
}

/** `fab <args>` from the sources, run to completion (see runNodeSync). */
export function runFabSync(
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
): SyncRun {
  return runNodeSync([...FAB_NODE_ARGS, ...args], options);
}

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
  return runNode([...FAB_NODE_ARGS, ...args], options);
}
