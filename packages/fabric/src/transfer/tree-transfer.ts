import { chmod, lstat, mkdir, rm, symlink, utimes } from "node:fs/promises";
import { join, posix } from "node:path";
import type { SftpSession } from "@fabric-ts/ssh-core";
import { runPool } from "../pool.js";
import { localTempBeside, remoteTempBeside, renameOver, writeLocalFile, writeRemoteFile } from "./atomic.js";
import { DEFAULT_FILE_CONCURRENCY, type TransferOptions } from "./options.js";
import type { ProgressTracker } from "./progress.js";
import { neededDirectories, type TreeEntry } from "./tree.js";

/** What a tree copy needs besides the entries. */
export interface TreeCopy {
  sftp: SftpSession;
  /** Where the entries live (local root for put, remote root for get). */
  from: string;
  /** Where they go. */
  to: string;
  entries: readonly TreeEntry[];
  options: TransferOptions;
  tracker: ProgressTracker;
  /** Removes a remote temporary file after a failure, reconnecting when the connection died. */
  cleanupRemote?: (path: string) => Promise<void>;
}

/** SFTP requests in flight per file when many files move at once (one file alone gets ssh-core's 64). */
const PER_FILE_REQUESTS = 16;

/** Upload a walked local tree under `to` (created when missing) over one SFTP session. */
export async function putTree(copy: TreeCopy): Promise<void> {
  const { sftp, entries, options } = copy;
  const remote = (path: string) => (path === "" ? copy.to : posix.join(copy.to, path));
  await sftp.mkdir(copy.to, { recursive: true });
  for (const level of byDepth(entries.filter((e) => e.type === "directory"))) {
    await runPool(level, concurrencyOf(options), async (entry) => {
      await sftp.mkdir(remote(entry.path), { recursive: true });
    });
  }
  const files = entries.filter((e) => e.type !== "directory");
  const perFile = files.length === 1 ? undefined : PER_FILE_REQUESTS;
  await runPool(
    files,
    concurrencyOf(options),
    async (entry) => {
      const target = remote(entry.path);
      if (entry.type === "symlink") {
        await putSymlink(sftp, entry.target ?? "", target);
        copy.tracker.fileDone(entry.path, 0);
        return;
      }
      await writeRemoteFile(sftp, join(copy.from, entry.path), target, {
        atomic: options.atomic ?? true,
        ...((options.preserveMode ?? true) ? { mode: entry.mode } : {}),
        ...(options.preserveTimes ? { times: entry } : {}),
        onProgress: copy.tracker.file(entry.path, entry.size),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(perFile ? { concurrency: perFile } : {}),
        size: entry.size,
        ...(copy.cleanupRemote ? { cleanup: copy.cleanupRemote } : {}),
      });
      copy.tracker.fileDone(entry.path, entry.size);
    },
    options.signal ? { signal: options.signal } : {},
  );
  // Directory modes and times last: writing files into a directory changes its mtime, and a
  // read-only mode would have refused the files.
  await finishDirectories(entries, options, async (entry) => {
    const path = remote(entry.path);
    if (options.preserveMode ?? true) await sftp.chmod(path, entry.mode);
    if (options.preserveTimes) await sftp.utimes(path, entry.atime, entry.mtime);
  });
}

/** Download a walked remote tree under the local directory `to` (created when missing). */
export async function getTree(copy: TreeCopy): Promise<void> {
  const { sftp, entries, options } = copy;
  const local = (path: string) => (path === "" ? copy.to : join(copy.to, path));
  await mkdir(copy.to, { recursive: true });
  // Every parent, also of entries listed without theirs (remote glob matches deep down).
  const parents = neededDirectories(entries);
  for (const entry of entries) if (entry.type === "directory") parents.add(entry.path);
  for (const dir of [...parents].sort()) await mkdir(local(dir), { recursive: true });
  const files = entries.filter((e) => e.type !== "directory");
  const perFile = files.length === 1 ? undefined : PER_FILE_REQUESTS;
  await runPool(
    files,
    concurrencyOf(options),
    async (entry) => {
      const target = local(entry.path);
      if (entry.type === "symlink") {
        await localSymlink(entry.target ?? "", target);
        copy.tracker.fileDone(entry.path, 0);
        return;
      }
      const onProgress = copy.tracker.file(entry.path, entry.size);
      await writeLocalFile(
        target,
        async (path) => {
          const from = posix.join(copy.from, entry.path);
          if (entry.size <= sftp.smallFileBytes) await sftp.getSmallFile(from, path, entry.size, onProgress);
          else {
            await sftp.fastGet(from, path, {
              onProgress,
              ...(options.signal ? { signal: options.signal } : {}),
              ...(perFile ? { concurrency: perFile } : {}),
            });
          }
          if (options.preserveMode ?? true) await chmod(path, entry.mode);
          if (options.preserveTimes) await utimes(path, entry.atime, entry.mtime);
        },
        options.atomic ?? true,
      );
      copy.tracker.fileDone(entry.path, entry.size);
    },
    options.signal ? { signal: options.signal } : {},
  );
  await finishDirectories(entries, options, async (entry) => {
    const path = local(entry.path);
    if (options.preserveMode ?? true) await chmod(path, entry.mode);
    if (options.preserveTimes) await utimes(path, entry.atime, entry.mtime);
  });
}

/** A symlink replaced atomically: made under a temporary name, renamed over whatever was there. */
export async function putSymlink(sftp: SftpSession, target: string, path: string): Promise<void> {
  const temp = remoteTempBeside(path);
  await sftp.symlink(target, temp);
  try {
    await renameOver(sftp, temp, path);
  } catch (error) {
    await sftp.unlink(temp).catch(() => {});
    throw error;
  }
}

async function localSymlink(target: string, path: string): Promise<void> {
  const { rename } = await import("node:fs/promises");
  const temp = localTempBeside(path);
  await symlink(target, temp);
  try {
    const existing = await lstat(path).catch(() => null);
    if (existing?.isDirectory()) await rm(path, { recursive: true });
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

async function finishDirectories(
  entries: readonly TreeEntry[],
  options: TransferOptions,
  finish: (entry: TreeEntry) => Promise<void>,
): Promise<void> {
  if (!(options.preserveMode ?? true) && !options.preserveTimes) return;
  const levels = byDepth(entries.filter((e) => e.type === "directory")).reverse();
  for (const level of levels) await runPool(level, concurrencyOf(options), finish);
}

/** Directories grouped by depth, shallowest first (parents exist before their children are made). */
function byDepth(directories: readonly TreeEntry[]): TreeEntry[][] {
  const levels: TreeEntry[][] = [];
  for (const entry of directories) {
    const depth = entry.path.split("/").length - 1;
    const level = levels[depth] ?? [];
    level.push(entry);
    levels[depth] = level;
  }
  return levels.filter((level) => level !== undefined);
}

export function concurrencyOf(options: TransferOptions): number {
  return Math.max(1, Math.floor(options.concurrency ?? DEFAULT_FILE_CONCURRENCY));
}
