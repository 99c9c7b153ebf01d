/**
 * Invoke's auto-dash rule extended to camelCase: `buildDocs` and `build_docs` both become
 * `build-docs`. Underscores at either end or beside a dot are kept; leading/trailing ones
 * are what Invoke uses to dodge reserved words, so they stay meaningful.
 */
export function dashName(name: string): string {
  const dashed = name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2");
  return dashed.replace(/(?<=[^._])_(?=[^._])/g, "-").toLowerCase();
}

/** CLI flag name of a task argument key: `dryRun` / `dry_run` → `dry-run`; `_from_` → `from`. */
export function flagName(key: string): string {
  return dashName(key.replace(/^_+|_+$/g, ""));
}
