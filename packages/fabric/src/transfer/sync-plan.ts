import type { TreeEntry } from "./tree.js";

/** What `sync` will do (or, with `dryRun`, would do). Paths are relative to the synced roots. */
export interface SyncPlan {
  /** Directories to create remotely. */
  mkdir: TreeEntry[];
  /** Files and symlinks to send (new or changed). */
  send: TreeEntry[];
  /** Existing files/directories whose permission bits alone differ. */
  chmod: TreeEntry[];
  /** Remote entries to remove before sending: they are in the way (a directory where a file goes, …). */
  replace: TreeEntry[];
  /** Remote entries absent locally (removed only with `delete`). */
  extraneous: TreeEntry[];
  unchanged: number;
}

export interface PlanOptions {
  preserveMode: boolean;
  /** Compare contents by hash instead of size + mtime (hashes for same-size files). */
  checksums?: { local: ReadonlyMap<string, string>; remote: ReadonlyMap<string, string> };
}

/** Same-size files with different mtimes: the ones whose contents a checksum sync must compare. */
export function checksumCandidates(local: readonly TreeEntry[], remote: readonly TreeEntry[]): string[] {
  const remoteByPath = new Map(remote.map((entry) => [entry.path, entry]));
  return local
    .filter((entry) => {
      const other = remoteByPath.get(entry.path);
      return entry.type === "file" && other?.type === "file" && other.size === entry.size;
    })
    .map((entry) => entry.path);
}

/**
 * Compare a local tree with the remote one. Without checksums a file is unchanged when type, size
 * and mtime (seconds) agree, as rsync's quick check; with them, when size and SHA-256 agree.
 */
export function planSync(
  local: readonly TreeEntry[],
  remote: readonly TreeEntry[],
  options: PlanOptions,
): SyncPlan {
  const remoteByPath = new Map(remote.map((entry) => [entry.path, entry]));
  const localPaths = new Set(local.map((entry) => entry.path));
  const plan: SyncPlan = { mkdir: [], send: [], chmod: [], replace: [], extraneous: [], unchanged: 0 };
  for (const entry of local) {
    const other = remoteByPath.get(entry.path);
    if (other && other.type !== entry.type) plan.replace.push(other);
    const same = other?.type === entry.type ? other : undefined;
    if (entry.type === "directory") {
      if (!same) plan.mkdir.push(entry);
      else if (options.preserveMode && same.mode !== entry.mode) plan.chmod.push(entry);
      else plan.unchanged++;
      continue;
    }
    if (!same || !unchanged(entry, same, options)) {
      plan.send.push(entry);
      continue;
    }
    if (entry.type === "file" && options.preserveMode && same.mode !== entry.mode) plan.chmod.push(entry);
    else plan.unchanged++;
  }
  for (const entry of remote) {
    if (!localPaths.has(entry.path) && !coveredByExtraneousParent(entry.path, localPaths)) {
      plan.extraneous.push(entry);
    }
  }
  return plan;
}

function unchanged(local: TreeEntry, remote: TreeEntry, options: PlanOptions): boolean {
  if (local.type === "symlink") return local.target === remote.target;
  if (local.size !== remote.size) return false;
  if (options.checksums) {
    const a = options.checksums.local.get(local.path);
    return a !== undefined && a === options.checksums.remote.get(local.path);
  }
  return local.mtime === remote.mtime;
}

/** An extraneous entry below an extraneous directory goes with that directory; list only the top. */
function coveredByExtraneousParent(path: string, localPaths: ReadonlySet<string>): boolean {
  let slash = path.indexOf("/");
  while (slash !== -1) {
    if (!localPaths.has(path.slice(0, slash))) return true;
    slash = path.indexOf("/", slash + 1);
  }
  return false;
}
