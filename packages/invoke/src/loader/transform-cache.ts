// Where the transformed (type-stripped) tasks files of a Node without type stripping are kept
// between runs, and how that directory stays small. The transform itself and the per-file entries
// are jiti's: one entry per source path, holding a hash of the source it was made from, so an edited
// file misses and its entry is rewritten. This module decides the directory, refuses one it cannot
// write (the caller then transforms in memory, as without a cache) and bounds the number of entries.
import { accessSync, constants, mkdirSync, readdirSync, statSync, unlinkSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";

/** Entries kept at most; the least recently written go first. */
export const MAX_CACHE_ENTRIES = 256;

/** `FABRIC_TS_TRANSFORM_CACHE` values that turn the cache off. */
const OFF = new Set(["off", "0", "false", "no"]);

/**
 * The cache directory: `$FABRIC_TS_TRANSFORM_CACHE` when it is an absolute path, null when it says
 * `off` (or `0`, `false`, `no`) or there is no home, else `$XDG_CACHE_HOME/fabric-ts/transform`
 * (`~/.cache/fabric-ts/transform`).
 */
export function transformCacheDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const setting = env.FABRIC_TS_TRANSFORM_CACHE?.trim();
  if (setting && OFF.has(setting.toLowerCase())) return null;
  if (setting && isAbsolute(setting)) return setting;
  const home = homedir();
  const base =
    env.XDG_CACHE_HOME && isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : home && join(home, ".cache");
  return base ? join(base, "fabric-ts", "transform") : null;
}

/** Creates `dir` (0700) if needed; true when this process can write entries into it. Never throws. */
export function usableCacheDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!statSync(dir).isDirectory()) return false;
    accessSync(dir, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Deletes the least recently written entries beyond `maxEntries`; returns how many went. Entries
 * another process is writing or deleting at the same time are skipped. Never throws.
 */
export function pruneCache(dir: string, maxEntries: number = MAX_CACHE_ENTRIES): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  if (names.length <= maxEntries) return 0;
  const entries: { path: string; mtimeMs: number }[] = [];
  for (const name of names) {
    const path = join(dir, name);
    try {
      const stats = statSync(path);
      if (stats.isFile()) entries.push({ path, mtimeMs: stats.mtimeMs });
    } catch {
      // Gone already.
    }
  }
  entries.sort((a, b) => a.mtimeMs - b.mtimeMs);
  let removed = 0;
  for (const { path } of entries.slice(0, Math.max(0, entries.length - maxEntries))) {
    try {
      unlinkSync(path);
      removed++;
    } catch {
      // Someone else removed it.
    }
  }
  return removed;
}
