import type { Stats } from "node:fs";
import { lstat, readdir, readlink, stat } from "node:fs/promises";
import { join } from "node:path";
import { TransferError } from "../errors/index.js";
import type { PathFilter } from "./glob.js";
import { joinRelative, neededDirectories, type SymlinkPolicy, type Tree, type TreeEntry } from "./tree.js";

/**
 * Walk a local directory. Excluded directories are not descended into; with `follow`, links are
 * replaced by what they point at (a link cycle fails instead of recursing forever).
 */
export async function walkLocal(root: string, filter: PathFilter, symlinks: SymlinkPolicy): Promise<Tree> {
  const entries: TreeEntry[] = [];
  const skipped: string[] = [];
  const visit = async (dir: string, relative: string, ancestors: ReadonlySet<string>): Promise<void> => {
    const names = (await readdir(dir)).sort();
    const children = await Promise.all(
      names.map(async (name) => {
        const full = join(dir, name);
        return { name, full, stats: await lstat(full) };
      }),
    );
    for (const { name, full, stats: linkStats } of children) {
      const path = joinRelative(relative, name);
      let stats: Stats = linkStats;
      let target: string | undefined;
      if (linkStats.isSymbolicLink()) {
        if (symlinks === "skip") {
          skipped.push(path);
          continue;
        }
        if (symlinks === "follow") {
          const followed = await stat(full).catch(() => null);
          if (!followed) {
            skipped.push(path); // dangling
            continue;
          }
          stats = followed;
        } else {
          target = await readlink(full);
        }
      }
      const isDirectory = stats.isDirectory();
      if (!filter.visits(path, isDirectory)) {
        skipped.push(path);
        continue;
      }
      if (isDirectory) {
        const key = `${stats.dev}:${stats.ino}`;
        if (ancestors.has(key)) throw new TransferError(`Symlink cycle at ${full}`);
        entries.push(entryOf(path, "directory", stats));
        await visit(full, path, new Set([...ancestors, key]));
        continue;
      }
      if (!filter.keeps(path)) {
        skipped.push(path);
        continue;
      }
      if (target !== undefined) entries.push({ ...entryOf(path, "symlink", stats), target });
      else if (stats.isFile()) entries.push(entryOf(path, "file", stats));
      else skipped.push(path); // sockets, fifos, devices
    }
  };
  const top = await stat(root);
  await visit(root, "", new Set([`${top.dev}:${top.ino}`]));
  return { root, entries: pruneDirectories(entries, filter.selective), skipped };
}

function entryOf(path: string, type: TreeEntry["type"], stats: Stats): TreeEntry {
  return {
    path,
    type,
    mode: stats.mode & 0o7777,
    size: type === "file" ? stats.size : 0,
    mtime: Math.floor(stats.mtimeMs / 1000),
    atime: Math.floor(stats.atimeMs / 1000),
  };
}

/** With include patterns, only directories that lead to kept entries remain. */
export function pruneDirectories(entries: TreeEntry[], selective: boolean): TreeEntry[] {
  if (!selective) return entries;
  const needed = neededDirectories(entries);
  return entries.filter((entry) => entry.type !== "directory" || needed.has(entry.path));
}
