// The fabric-ts rows measure what users install: the packages packed with `pnpm pack` and installed
// with npm from the tarballs into a fresh project (stock ssh2 from the registry, no workspace links).
// The workers are copied into that project so `import "@fabric-ts/fabric"` resolves there.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface FabricTsInstall {
  /** Where the workers' `*-worker.js` files are, next to the installed packages. */
  workersDir: string;
  /** The installed `fab` (bin/fab.js of the installed @fabric-ts/fabric). */
  fabCli: string;
  /** The bench fabfiles, copied beside the installed packages (they import @fabric-ts/fabric and zod). */
  fabfilesDir: string;
  /** How the rows were installed, for the report. */
  description: string;
}

/** Packs the workspace packages and npm-installs invoke, ssh-core and fabric into `dir`. */
export function installPacked(
  repoRoot: string,
  workersDist: string,
  fabfilesSource: string,
  dir: string,
  log: (line: string) => void,
): FabricTsInstall {
  const packs = join(dir, "packs");
  const project = join(dir, "project");
  mkdirSync(project, { recursive: true });
  log("packing the packages (pnpm pack) and installing the tarballs with npm …");
  execFileSync(process.execPath, [join(repoRoot, "scripts", "pack-packages.mjs"), "--out", packs], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  writeFileSync(
    join(project, "package.json"),
    `${JSON.stringify({ name: "bench-install", private: true, type: "module" })}\n`,
  );
  const tarballs = ["invoke", "ssh-core", "fabric"].map((name) => join(packs, `fabric-ts-${name}-0.1.0.tgz`));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", ...tarballs], {
    cwd: project,
    stdio: ["ignore", "ignore", "inherit"],
  });
  const workersDir = join(project, "workers");
  cpSync(workersDist, workersDir, { recursive: true });
  const fabfilesDir = join(project, "fabfiles");
  cpSync(fabfilesSource, fabfilesDir, { recursive: true });
  const fabCli = join(project, "node_modules", "@fabric-ts", "fabric", "bin", "fab.js");
  if (!existsSync(fabCli)) throw new Error(`npm install made no ${fabCli}`);
  return {
    workersDir,
    fabCli,
    fabfilesDir,
    description: "installed with npm from the packed tarballs (stock ssh2 from the registry)",
  };
}
