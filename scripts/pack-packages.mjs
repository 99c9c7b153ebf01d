#!/usr/bin/env node
// Packs the four published packages with `pnpm pack` (workspace:* becomes the real version, the
// publishConfig fields replace their workspace counterparts) into one directory, ready for
// `npm install <dir>/fabric-ts-fabric-0.1.0.tgz ...`. Run after `pnpm build`.
//
//   node scripts/pack-packages.mjs [--out DIR]      (default: .packs/ at the repository root)
//
// Prints one tarball path a line, in dependency order. Also usable as a module: packPackages(outDir).
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(fileURLToPath(new URL("..", import.meta.url)));

/** The published packages, each after its @fabric-ts dependencies. */
export const PUBLISHED = ["invoke", "ssh-core", "fabric", "testing"];

/** `@fabric-ts/fabric` → the tarball name pnpm gives it. */
export function tarballName(name, version) {
  return `${name.replace(/^@/, "").replace("/", "-")}-${version}.tgz`;
}

/** Packs every published package into `outDir` (emptied first); returns `{ [dir]: tarballPath }`. */
export function packPackages(outDir = join(repoRoot, ".packs")) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const tarballs = {};
  for (const dir of PUBLISHED) {
    const packageDir = join(repoRoot, "packages", dir);
    const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
    if (!existsSync(join(packageDir, "dist"))) {
      throw new Error(`packages/${dir} has no dist/: run \`npx -y pnpm@10 build\` first`);
    }
    execFileSync("npx", ["-y", "pnpm@10", "pack", "--pack-destination", outDir], {
      cwd: packageDir,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const file = join(outDir, tarballName(pkg.name, pkg.version));
    if (!existsSync(file)) {
      throw new Error(`pnpm pack made no ${file} (found: ${readdirSync(outDir).join(", ")})`);
    }
    tarballs[dir] = file;
  }
  return tarballs;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--out");
  const outDir = at > 0 ? resolve(process.argv[at + 1] ?? "") : undefined;
  for (const file of Object.values(packPackages(outDir))) console.log(file);
}
