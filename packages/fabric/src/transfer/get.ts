// `get()`: a remote file to a local path or a Writable, a remote directory to a local tree (SFTP or
// one tar stream), and a remote glob's matches into a local directory.
import { chmod, mkdir, stat, utimes } from "node:fs/promises";
import { dirname, posix, resolve } from "node:path";
import { Writable } from "node:stream";
import type { SftpSession } from "@fabric-ts/ssh-core";
import type { Connection } from "../connection/connection.js";
import { TransferError } from "../errors/index.js";
import { withInterrupt } from "../interruption.js";
import { writeLocalFile } from "./atomic.js";
import type { TransferContext, TransferResult } from "./context.js";
import { hasGlobSyntax, PathFilter } from "./glob.js";
import type { TransferOptions } from "./options.js";
import { interpolateLocalPath } from "./paths.js";
import { ProgressTracker } from "./progress.js";
import { expandRemoteGlob, splitRemoteGlob } from "./remote-glob.js";
import { walkRemote } from "./remote-tree.js";
import { getTreeWithTar } from "./tar.js";
import { type Tree, totalBytes } from "./tree.js";
import { getTree } from "./tree-transfer.js";

/** Download `remote` to `local` (see `Transfer.get`). */
export async function get(
  context: TransferContext,
  remote: string,
  local: string | Writable | undefined,
  options: TransferOptions,
): Promise<TransferResult> {
  if (!remote) throw new TransferError("Remote path must not be empty!");
  const sftp = await context.sftp();
  const remotePath = await context.remotePath(sftp, remote);
  if (hasGlobSyntax(remotePath) && !(await sftp.exists(remotePath).catch(() => false))) {
    return getGlob(context, sftp, remotePath, remote, local, options);
  }
  const remoteStats = await sftp.stat(remotePath);
  if (remoteStats.isDirectory()) {
    if (local !== undefined && typeof local !== "string") {
      throw new TransferError(`Remote path ${remotePath} is a directory; it cannot be written to a stream`);
    }
    return getDirectory(context, sftp, remotePath, remote, local, options);
  }
  const tracker = new ProgressTracker(remoteStats.size, options.onProgress, options.onFileProgress);
  const name = posix.basename(remotePath);
  const progress = {
    onProgress: tracker.file(name, remoteStats.size),
    signal: withInterrupt(options.signal),
  };

  if (local instanceof Writable) {
    const { bytes } = await sftp.fastGet(remotePath, local, progress);
    tracker.fileDone(name, bytes);
    return context.result(local, local, remotePath, remote, bytes);
  }
  if (local !== undefined && typeof local !== "string") {
    throw new TransferError("get() writes to a local path or a Writable stream");
  }
  const localPath = await localTarget(context.connection, local, remotePath);
  await mkdir(dirname(localPath), { recursive: true });
  const bytes = await writeLocalFile(
    localPath,
    async (path) => {
      const { bytes } = await sftp.fastGet(remotePath, path, progress);
      if (options.preserveMode ?? true) await chmod(path, remoteStats.mode & 0o7777);
      if (options.preserveTimes) await utimes(path, remoteStats.atime, remoteStats.mtime);
      return bytes;
    },
    options.atomic ?? true,
  );
  tracker.fileDone(name, bytes);
  return context.result(localPath, local, remotePath, remote, bytes);
}

async function getDirectory(
  context: TransferContext,
  sftp: SftpSession,
  remoteRoot: string,
  remote: string,
  local: string | undefined,
  options: TransferOptions,
): Promise<TransferResult> {
  const localRoot = await localTarget(context.connection, local, remoteRoot);
  const tree = await walkRemote(sftp, remoteRoot, new PathFilter(options), options.symlinks ?? "preserve");
  const tracker = new ProgressTracker(totalBytes(tree.entries), options.onProgress, options.onFileProgress);
  const method = await context.methodFor(tree, localRoot, "get", options);
  if (method === "tar") {
    await getTreeWithTar(await context.connection.openClient(), tree, localRoot, options, tracker);
  } else {
    await getTree({ sftp, from: remoteRoot, to: localRoot, entries: tree.entries, options, tracker });
  }
  tracker.finish();
  return context.treeResult(localRoot, local, remoteRoot, remote, tree, tracker, method);
}

async function getGlob(
  context: TransferContext,
  sftp: SftpSession,
  pattern: string,
  remote: string,
  local: string | Writable | undefined,
  options: TransferOptions,
): Promise<TransferResult> {
  if (local !== undefined && typeof local !== "string") {
    throw new TransferError(`Remote glob ${pattern} matches files; it cannot be written to a stream`);
  }
  const glob = splitRemoteGlob(pattern);
  const matches = await expandRemoteGlob(sftp, glob);
  if (matches.length === 0) throw new TransferError(`No remote files match ${pattern}`);
  const filter = new PathFilter(options);
  const symlinks = options.symlinks ?? "follow";
  const entries: Tree["entries"] = [];
  const skipped: string[] = [];
  for (const match of matches) {
    const full = posix.join(glob.base, match.path);
    if (match.isDirectory) {
      const sub = await walkRemote(sftp, full, filter, options.symlinks ?? "preserve");
      entries.push(...sub.entries.map((e) => ({ ...e, path: `${match.path}/${e.path}` })));
      skipped.push(...sub.skipped.map((p) => `${match.path}/${p}`));
      continue;
    }
    const stats = symlinks === "follow" ? await sftp.stat(full) : await sftp.lstat(full);
    if (stats.isSymbolicLink()) {
      if (symlinks === "skip") skipped.push(match.path);
      else
        entries.push({
          path: match.path,
          type: "symlink",
          mode: 0o777,
          size: 0,
          mtime: stats.mtime,
          atime: stats.atime,
          target: await sftp.readlink(full),
        });
      continue;
    }
    if (!stats.isFile()) continue;
    entries.push({
      path: match.path,
      type: "file",
      mode: stats.mode & 0o7777,
      size: stats.size,
      mtime: stats.mtime,
      atime: stats.atime,
    });
  }
  // Parent directories of deep matches exist locally without copying their remote modes.
  const localRoot = resolve(
    local === undefined || local === ""
      ? "."
      : interpolateLocalPath(local, {
          ...templateValues(context.connection),
          dirname: glob.base,
          basename: posix.basename(glob.base),
        }),
  );
  const tree: Tree = { root: glob.base, entries, skipped };
  const tracker = new ProgressTracker(totalBytes(entries), options.onProgress, options.onFileProgress);
  await getTree({ sftp, from: glob.base, to: localRoot, entries, options, tracker });
  tracker.finish();
  return context.treeResult(localRoot, local, pattern, remote, tree, tracker, "sftp");
}

function templateValues(connection: Connection) {
  const { host, user, port, originalHost } = connection;
  return { host, user, port, originalHost };
}

/** Where a remote file lands locally: `local` with its templates filled in, into it when it is a directory. */
async function localTarget(
  connection: Connection,
  local: string | undefined,
  remotePath: string,
): Promise<string> {
  const { host, user, port, originalHost } = connection;
  const remoteBase = posix.basename(remotePath);
  if (!local) return resolve(remoteBase);
  const interpolated = interpolateLocalPath(local, {
    host,
    user,
    port,
    originalHost,
    dirname: posix.dirname(remotePath),
    basename: remoteBase,
  });
  if (interpolated.endsWith("/")) return resolve(interpolated, remoteBase);
  const absolute = resolve(interpolated);
  const existing = await stat(absolute).catch(() => null);
  return existing?.isDirectory() ? resolve(absolute, remoteBase) : absolute;
}
