import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/** The `fab` executable of @fabric-ts/fabric (what `npx fab` runs). */
export function fabBin(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("@fabric-ts/fabric/package.json")), "bin", "fab.js");
}

/**
 * Run `fab` as its own process, its output straight to ours (colours when that is a terminal).
 * Asynchronous on purpose: the embedded hosts live in this process and must keep serving meanwhile.
 */
export function runFab(args: readonly string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [fabBin(), ...args], {
      cwd,
      stdio: ["ignore", "inherit", "inherit"],
    });
    child.once("error", reject);
    child.once("close", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
