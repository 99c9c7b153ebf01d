import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
/** The `inv` bin as installed; it loads the bundled build (dist/bundle/bin/inv.js). */
export const INV_BIN = join(here, "..", "..", "bin", "inv.js");
const BUILT = join(here, "..", "..", "dist", "bundle", "bin", "inv.js");
export const FIXTURES = join(here, "..", "fixtures");
const emptyHome = mkdtempSync(join(tmpdir(), "inv-home-"));

export interface InvResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Run the built `inv` bin in a clean environment (fixed COLUMNS, empty HOME, no INVOKE_* vars). */
export function inv(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): InvResult {
  if (!existsSync(BUILT)) {
    throw new Error(`${BUILT} is missing: run \`pnpm build\` at the repository root before the CLI tests.`);
  }
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: emptyHome,
    COLUMNS: "80",
  };
  const result = spawnSync(process.execPath, [INV_BIN, ...args], {
    cwd: options.cwd ?? join(FIXTURES, "project"),
    env: { ...env, ...options.env },
    encoding: "utf8",
  });
  return { stdout: result.stdout, stderr: result.stderr, code: result.status };
}
