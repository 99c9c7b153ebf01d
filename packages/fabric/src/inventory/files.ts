// Which inventory files are in play. Light (node:fs only): `fab` asks this before importing any
// inventory code, so runs without an inventory pay nothing for it.
import { existsSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

/** Files looked for beside the fabfile when neither `--inventory` nor the config names one. */
export const DEFAULT_INVENTORY_FILES = [
  "inventory.ts",
  "inventory.mts",
  "inventory.js",
  "inventory.mjs",
  "inventory.yml",
  "inventory.yaml",
  "inventory.json",
  "inventory.ini",
  "hosts",
];

export interface InventorySources {
  /** `--inventory` files (win over the rest). */
  flags: readonly string[];
  /** Config `inventory`. */
  configured: string | readonly string[] | null | undefined;
  /** Where the fabfile is (the default file is looked for there; config paths are relative to it). */
  projectDir: string | undefined;
}

/** The inventory files in play, in order; empty when none. */
export function inventoryFiles({ flags, configured, projectDir }: InventorySources): string[] {
  if (flags.length) return flags.map((f) => resolve(f));
  const base = projectDir ?? process.cwd();
  if (configured) {
    const list = typeof configured === "string" ? [configured] : [...configured];
    return list.map((f) => (isAbsolute(f) ? f : join(base, f)));
  }
  if (!projectDir) return [];
  const found = DEFAULT_INVENTORY_FILES.map((f) => join(projectDir, f)).find((f) => existsSync(f));
  return found ? [found] : [];
}
