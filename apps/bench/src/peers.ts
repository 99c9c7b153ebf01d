import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { isRoot } from "@fabric-ts/testing";
import type { Log } from "./runner.js";

export interface Peers {
  /** /usr/bin/python3 when `import fabric` works there (never the pyenv python3 on PATH). */
  python: string | undefined;
  parallelSsh: string | undefined;
  /** packages/fabric/bin/fab.js when its build output exists. */
  fabCli: string | undefined;
}

const SYSTEM_PYTHON = "/usr/bin/python3";

function which(name: string): string | undefined {
  const result = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" });
  const path = result.stdout.trim();
  return result.status === 0 && path ? path : undefined;
}

function pythonWithFabric(): string | undefined {
  if (!existsSync(SYSTEM_PYTHON)) return undefined;
  const probe = spawnSync(SYSTEM_PYTHON, ["-c", "import fabric"], { stdio: "ignore" });
  return probe.status === 0 ? SYSTEM_PYTHON : undefined;
}

function parallelSsh(): string | undefined {
  return which("parallel-ssh") ?? which("pssh");
}

/** What apt must install for the peers and measuring tools that are missing here. */
export function missingPackages(): string[] {
  const missing: string[] = [];
  if (!existsSync("/usr/bin/time")) missing.push("time");
  if (!which("ssh") || !which("scp") || !which("sftp")) missing.push("openssh-client");
  if (!pythonWithFabric()) missing.push("python3-fabric");
  if (!parallelSsh()) missing.push("pssh");
  if (!which("tar")) missing.push("tar");
  return missing;
}

/** Installs missing peers with apt when running as root; otherwise says what is missing. */
export function ensurePeers(log: Log, install: boolean): void {
  const missing = missingPackages();
  if (missing.length === 0) return;
  if (!install || !isRoot() || !which("apt-get")) {
    log(
      `missing (rows will say so): ${missing.join(", ")}; as root: apt-get install -y ${missing.join(" ")}`,
    );
    return;
  }
  log(`installing: ${missing.join(" ")}`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update", "-q"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "-q", ...missing], { stdio: "inherit", env });
}

export function findPeers(): Peers {
  const require = createRequire(import.meta.url);
  const fabricDir = dirname(require.resolve("@fabric-ts/fabric/package.json"));
  const fabBuilt = existsSync(join(fabricDir, "dist", "bundle", "bin", "fab.js"));
  return {
    python: pythonWithFabric(),
    parallelSsh: parallelSsh(),
    fabCli: fabBuilt ? join(fabricDir, "bin", "fab.js") : undefined,
  };
}
