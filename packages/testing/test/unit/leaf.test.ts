// @fabric-ts/testing is a leaf of the workspace: it depends on none of the packages it tests, which take
// it as a devDependency and import it by name (never its src/ by relative path). A dependency back would
// make a cycle that turbo refuses, and a relative import would test files users never install.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const packageDir = join(import.meta.dirname, "..", "..");
const root = join(packageDir, "..", "..");
const SIBLINGS = ["invoke", "ssh-core", "fabric"];

function readJson(path: string): Record<string, Record<string, string> | undefined> {
  return JSON.parse(readFileSync(path, "utf8"));
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist") continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (/\.(ts|mts|mjs|js)$/.test(entry.name)) yield path;
  }
}

describe("@fabric-ts/testing is a leaf", () => {
  it("declares no @fabric-ts package in any dependency field", () => {
    const pkg = readJson(join(packageDir, "package.json"));
    for (const field of ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"]) {
      expect(
        Object.keys(pkg[field] ?? {}).filter((name) => name.startsWith("@fabric-ts/")),
        field,
      ).toEqual([]);
    }
    expect(readJson(join(packageDir, "tsconfig.json")).references).toBeUndefined();
  });

  it("imports no @fabric-ts package from its sources", () => {
    const offenders = [...sourceFiles(join(packageDir, "src"))].filter((file) =>
      /from\s+["']@fabric-ts\/|import\(\s*["']@fabric-ts\//.test(readFileSync(file, "utf8")),
    );
    expect(offenders.map((file) => relative(root, file))).toEqual([]);
  });

  it.each(SIBLINGS)("packages/%s has it as a devDependency only", (name) => {
    const pkg = readJson(join(root, "packages", name, "package.json"));
    expect(pkg.devDependencies?.["@fabric-ts/testing"]).toBe("workspace:*");
    expect(pkg.dependencies?.["@fabric-ts/testing"]).toBeUndefined();
  });

  it("no test reaches into its src/ by relative path", () => {
    const offenders = ["packages", "apps"].flatMap((group) =>
      readdirSync(join(root, group))
        .filter((name) => !(group === "packages" && name === "testing"))
        .flatMap((name) => {
          const tests = join(root, group, name, "test");
          try {
            return [...sourceFiles(tests)];
          } catch {
            return [];
          }
        })
        .filter((file) => /["'](\.\.\/)+testing\/src\//.test(readFileSync(file, "utf8"))),
    );
    expect(offenders.map((file) => relative(root, file))).toEqual([]);
  });
});
