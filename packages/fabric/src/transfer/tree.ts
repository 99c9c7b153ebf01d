/** One entry of a directory tree, on either side of a transfer. */
export interface TreeEntry {
  /** Path relative to the tree's root, `/`-separated, no leading `/`. */
  path: string;
  type: "file" | "directory" | "symlink";
  /** Permission bits (`mode & 0o7777`). */
  mode: number;
  size: number;
  /** Modification time in whole seconds since the epoch (what SFTP carries). */
  mtime: number;
  atime: number;
  /** A symlink's target, as stored in the link. */
  target?: string;
}

/** What to do with symbolic links met while walking a tree. */
export type SymlinkPolicy = "preserve" | "follow" | "skip";

/** A walked tree: entries in walk order (parents before children). */
export interface Tree {
  root: string;
  entries: TreeEntry[];
  /** Paths left out by the include/exclude filter or the symlink policy. */
  skipped: string[];
}

export function totalBytes(entries: readonly TreeEntry[]): number {
  let sum = 0;
  for (const entry of entries) if (entry.type === "file") sum += entry.size;
  return sum;
}

/** Directory entries that must exist for the kept files (include patterns drop the others). */
export function neededDirectories(entries: readonly TreeEntry[]): Set<string> {
  const needed = new Set<string>();
  for (const entry of entries) {
    if (entry.type === "directory") continue;
    let dir = parentOf(entry.path);
    while (dir !== "" && !needed.has(dir)) {
      needed.add(dir);
      dir = parentOf(dir);
    }
  }
  return needed;
}

export function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash === -1 ? "" : path.slice(0, slash);
}

export function joinRelative(parent: string, name: string): string {
  return parent === "" ? name : `${parent}/${name}`;
}
