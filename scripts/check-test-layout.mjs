#!/usr/bin/env node
// Every test file sits in a package's test/unit/ or test/integration/: the only places the vitest
// projects (`<package>:unit`, `<package>:integration`, see vitest.shared.ts) look. A test file anywhere
// else would silently never run; this check names it instead. Exit code 1 when there is one.
//   node scripts/check-test-layout.mjs
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TEST_FILE = /\.test\.[cm]?[jt]sx?$/;
const SKIP = new Set(["node_modules", "dist", ".turbo", ".git"]);

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (TEST_FILE.test(entry.name)) yield path;
  }
}

/** Test files (relative to `root`) that are not under `<group>/<package>/test/{unit,integration}/`. */
export function strayTestFiles(root) {
  const strays = [];
  for (const group of ["packages", "apps"]) {
    for (const pkg of readdirSync(join(root, group), { withFileTypes: true })) {
      if (!pkg.isDirectory()) continue;
      const dir = join(root, group, pkg.name);
      for (const file of walk(dir)) {
        const [top, kind] = relative(dir, file).split(sep);
        if (top !== "test" || (kind !== "unit" && kind !== "integration")) strays.push(relative(root, file));
      }
    }
  }
  return strays.sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const strays = strayTestFiles(join(import.meta.dirname, ".."));
  if (strays.length > 0) {
    console.error(
      `${strays.length} test file(s) outside test/unit/ and test/integration/ (no vitest project runs them):\n` +
        strays.map((file) => `  ${file}`).join("\n") +
        "\nMove each (git mv) into its package's test/unit/ (no sshd, no built bin) or test/integration/.",
    );
    process.exit(1);
  }
}
