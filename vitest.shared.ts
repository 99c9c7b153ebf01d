import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { defineProject, type TestProjectInlineConfiguration, type UserWorkspaceConfig } from "vitest/config";

/** Where a package keeps its tests: `test/unit` runs anywhere in seconds, `test/integration` needs more. */
export const TEST_KINDS = ["unit", "integration"] as const;
export type TestKind = (typeof TEST_KINDS)[number];

/**
 * The vitest config every package shares (each package's vitest.config.ts). Workspace packages resolve
 * through the `source` export condition to their `src/`, never to a (possibly stale) `dist/` build. Tests
 * run in Vite's SSR environment, which has conditions of its own, hence both settings.
 *
 * No `include` here: run inside a package (`pnpm --filter <pkg> test`), vitest's default picks up every
 * test file of the package; from the repository root, `testProjects()` splits each package in two.
 */
export function packageProject(
  overrides: { testTimeout?: number; hookTimeout?: number } = {},
): UserWorkspaceConfig {
  return defineProject({
    resolve: { conditions: ["source"] },
    ssr: { resolve: { conditions: ["source"], externalConditions: ["source"] } },
    test: {
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: overrides.hookTimeout ?? 60_000,
    },
  });
}

/**
 * The packages and apps that have tests, as `<group>/<name>` paths relative to the repository root.
 * Read from disk, so a new package needs no change here.
 */
export function testedPackages(root: string): string[] {
  return ["packages", "apps"].flatMap((group) =>
    readdirSync(join(root, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(root, group, entry.name, "vitest.config.ts")))
      .map((entry) => `${group}/${entry.name}`),
  );
}

/**
 * Two vitest projects per package, `<name>:unit` (test/unit/**) and `<name>:integration`
 * (test/integration/**), each on the package's own vitest.config.ts (its timeouts, the `source` condition).
 * `vitest run --project '*:unit'` runs every unit project; `--project 'fabric:*'` one package.
 */
export function testProjects(root: string): TestProjectInlineConfiguration[] {
  return testedPackages(root).flatMap((dir) => {
    const name = dir.slice(dir.indexOf("/") + 1);
    return TEST_KINDS.map((kind) => ({
      extends: `./${dir}/vitest.config.ts`,
      root: `./${dir}`,
      test: { name: `${name}:${kind}`, include: [`test/${kind}/**/*.test.ts`] },
    }));
  });
}
