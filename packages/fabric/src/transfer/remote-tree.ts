import { posix } from "node:path";
import type { SftpSession, SftpStats } from "@fabric-ts/ssh-core";
import { TransferError } from "../errors/index.js";
import { runPool } from "../pool.js";
import type { PathFilter } from "./glob.js";
import { pruneDirectories } from "./local-tree.js";
import { joinRelative, type SymlinkPolicy, type Tree, type TreeEntry } from "./tree.js";

/** Directories listed at once: READDIR requests of different directories share the SFTP channel. */
const LISTING_CONCURRENCY = 16;
const MAX_DEPTH = 256;

/**
 * Walk a remote directory over SFTP, many directories in flight at once. OpenSSH returns lstat
 * attributes with each name, so only symlinks (with `follow`) and link targets cost extra requests.
 */
export async function walkRemote(
  sftp: SftpSession,
  root: string,
  filter: PathFilter,
  symlinks: SymlinkPolicy,
): Promise<Tree> {
  const entries: TreeEntry[] = [];
  const skipped: string[] = [];
  await runPool<string>([""], LISTING_CONCURRENCY, async (relative, push) => {
    const listing = await sftp.readdir(relative === "" ? root : posix.join(root, relative));
    listing.sort((a, b) => (a.filename < b.filename ? -1 : a.filename > b.filename ? 1 : 0));
    await Promise.all(
      listing.map(async ({ filename, attrs }) => {
        const path = joinRelative(relative, filename);
        const full = posix.join(root, path);
        let stats: SftpStats = attrs;
        let target: string | undefined;
        if (attrs.isSymbolicLink()) {
          if (symlinks === "skip") return void skipped.push(path);
          if (symlinks === "follow") {
            const followed = await sftp.stat(full).catch(() => null);
            if (!followed) return void skipped.push(path);
            stats = followed;
          } else {
            target = await sftp.readlink(full);
          }
        }
        const isDirectory = stats.isDirectory();
        if (!filter.visits(path, isDirectory)) return void skipped.push(path);
        if (isDirectory) {
          // SFTP has no inode numbers to spot a loop of followed links; a depth this large is one.
          if (depth(path) > MAX_DEPTH)
            throw new TransferError(`Directory nesting too deep (symlink loop?) at ${full}`);
          entries.push(entryOf(path, "directory", stats));
          push(path);
          return;
        }
        if (!filter.keeps(path)) return void skipped.push(path);
        if (target !== undefined) entries.push({ ...entryOf(path, "symlink", stats), target });
        else if (stats.isFile()) entries.push(entryOf(path, "file", stats));
        else skipped.push(path);
      }),
    );
  });
  entries.sort((a, b) => comparePaths(a.path, b.path));
  return { root, entries: pruneDirectories(entries, filter.selective), skipped };
}

function depth(path: string): number {
  let count = 0;
  for (const char of path) if (char === "/") count++;
  return count;
}

/** Parents before children, siblings by name: segment-wise comparison. */
export function comparePaths(a: string, b: string): number {
  const sa = a.split("/");
  const sb = b.split("/");
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const x = sa[i] as string;
    const y = sb[i] as string;
    if (x !== y) return x < y ? -1 : 1;
  }
  return sa.length - sb.length;
}

function entryOf(path: string, type: TreeEntry["type"], stats: SftpStats): TreeEntry {
  return {
    path,
    type,
    mode: stats.mode & 0o7777,
    size: type === "file" ? stats.size : 0,
    mtime: stats.mtime,
    atime: stats.atime,
  };
}
