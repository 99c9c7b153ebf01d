import { defineProject, type UserWorkspaceConfig } from "vitest/config";

/**
 * The vitest project config every package shares. Workspace packages resolve through the `source`
 * export condition to their `src/`, never to a (possibly stale) `dist/` build. Tests run in Vite's SSR
 * environment, which has conditions of its own, hence both settings.
 */
export function packageProject(
  overrides: { testTimeout?: number; hookTimeout?: number } = {},
): UserWorkspaceConfig {
  return defineProject({
    resolve: { conditions: ["source"] },
    ssr: { resolve: { conditions: ["source"], externalConditions: ["source"] } },
    test: {
      include: ["test/**/*.test.ts"],
      testTimeout: overrides.testTimeout ?? 30_000,
      hookTimeout: overrides.hookTimeout ?? 60_000,
    },
  });
}
