// `put()`: a local file, Buffer or Readable to a remote file (atomically, or placed by sudo), and a
// local directory to a remote tree (SFTP with many files in flight, or one tar stream).
import { stat } from "node:fs/promises";
import { basename, posix, resolve } from "node:path";
import { Readable } from "node:stream";
import type { SftpSession } from "@fabric-ts/ssh-core";
import { TransferError } from "../errors/index.js";
import { withInterrupt } from "../interruption.js";
import { writeRemoteFile } from "./atomic.js";
import type { TransferContext, TransferResult } from "./context.js";
import { PathFilter } from "./glob.js";
import { walkLocal } from "./local-tree.js";
import type { TransferOptions } from "./options.js";
import { ProgressTracker } from "./progress.js";
import { sudoPut, sudoPutTree } from "./sudo-put.js";
import { putTreeWithTar } from "./tar.js";
import { totalBytes } from "./tree.js";
import { putTree } from "./tree-transfer.js";

/** What `put()` reads from: a local path, bytes, or a readable stream. */
export type PutSource = string | Uint8Array | Readable;

/** Upload `local` to `remote` (see `Transfer.put`). */
export async function put(
  context: TransferContext,
  local: PutSource,
  remote: string | undefined,
  options: TransferOptions,
): Promise<TransferResult> {
  if (local === "" || (local as unknown) == null) {
    throw new TransferError("Local path must not be empty!");
  }
  const isPath = typeof local === "string";
  if (!isPath && !(local instanceof Uint8Array) && !(local instanceof Readable)) {
    throw new TransferError("put() reads from a local path, a Buffer/Uint8Array or a Readable stream");
  }
  const localStats = isPath ? await stat(resolve(local)) : undefined;
  if (isPath && localStats?.isDirectory()) return putDirectory(context, local, remote, options);
  const localBase = isPath ? basename(local) : streamName(local);
  if (!remote && !isPath) {
    throw new TransferError("Must give non-empty remote path when local is a Buffer or stream!");
  }
  const sftp = await context.sftp();
  let remotePath = await context.remotePath(sftp, remote || (localBase as string));
  let existing = await sftp.stat(remotePath).catch(() => null);
  if ((remote?.endsWith("/") ?? false) || existing?.isDirectory()) {
    if (!localBase) {
      throw new TransferError(
        "Can't put a Buffer or stream into a directory unless it has a name (an fs.ReadStream's path)!",
      );
    }
    remotePath = posix.join(remotePath, localBase);
    existing = await sftp.stat(remotePath).catch(() => null);
  }
  const source = isPath ? resolve(local) : local;
  const size = localStats?.size ?? (local instanceof Uint8Array ? local.byteLength : undefined);
  const tracker = new ProgressTracker(size, options.onProgress, options.onFileProgress);
  const name = posix.basename(remotePath);
  const onProgress = tracker.file(name, size);
  // Without a mode to copy, a replaced file keeps its mode (as an in-place write would).
  const mode =
    options.mode ??
    (localStats && (options.preserveMode ?? true) ? localStats.mode & 0o7777 : undefined) ??
    (existing?.isFile() && (options.atomic ?? true) ? existing.mode & 0o7777 : undefined);

  let bytes: number;
  if (options.sudo) {
    const home = await context.connection.remoteHome(sftp);
    bytes = await sudoPut(context.connection, sftp, home, source, remotePath, {
      sudo: options.sudo,
      mode: mode ?? 0o644,
      ...(options.owner !== undefined ? { owner: options.owner } : {}),
      ...(options.group !== undefined ? { group: options.group } : {}),
      onProgress,
      signal: withInterrupt(options.signal),
    });
  } else {
    if (options.owner !== undefined || options.group !== undefined) {
      throw new TransferError("owner and group need sudo: put(local, remote, { sudo: true, owner, group })");
    }
    bytes = await writeRemoteFile(sftp, source, remotePath, {
      atomic: options.atomic ?? true,
      ...(mode !== undefined ? { mode } : {}),
      ...(options.preserveTimes && localStats
        ? { times: { atime: localStats.atimeMs / 1000, mtime: localStats.mtimeMs / 1000 } }
        : {}),
      onProgress,
      // An interrupted `fab` aborts the upload, which removes the temporary file.
      signal: withInterrupt(options.signal),
      ...(size !== undefined ? { size } : {}),
      cleanup: context.cleanupRemote,
    });
  }
  tracker.fileDone(name, bytes);
  return context.result(isPath ? source : local, local, remotePath, remote, bytes);
}

async function putDirectory(
  context: TransferContext,
  local: string,
  remote: string | undefined,
  options: TransferOptions,
): Promise<TransferResult> {
  if (options.sudo && options.mode !== undefined) {
    throw new TransferError("mode applies to single files; a sudo directory put copies each file's mode");
  }
  const localRoot = resolve(local);
  const contentsOnly = local.endsWith("/");
  const sftp = await context.sftp();
  let remoteRoot = await context.remotePath(sftp, remote || basename(localRoot));
  // With no remote given the copy lands under its own name, merging into what is there.
  const into = remote !== undefined && remote !== "";
  if (!contentsOnly && into && (remote.endsWith("/") || (await isDirectory(sftp, remoteRoot)))) {
    remoteRoot = posix.join(remoteRoot, basename(localRoot));
  }
  const tree = await walkLocal(localRoot, new PathFilter(options), options.symlinks ?? "preserve");
  const tracker = new ProgressTracker(totalBytes(tree.entries), options.onProgress, options.onFileProgress);
  if (options.sudo) {
    const sudo = options.sudo;
    await sudoPutTree(
      context.connection,
      sftp,
      await context.connection.remoteHome(sftp),
      remoteRoot,
      {
        sudo,
        ...(options.owner !== undefined ? { owner: options.owner } : {}),
        ...(options.group !== undefined ? { group: options.group } : {}),
        preserveMode: options.preserveMode ?? true,
        preserveTimes: options.preserveTimes ?? false,
      },
      (privateRoot) =>
        putTree({
          sftp,
          from: localRoot,
          to: privateRoot,
          entries: tree.entries,
          options: { ...options, atomic: false },
          tracker,
        }),
    );
    tracker.finish();
    return context.treeResult(localRoot, local, remoteRoot, remote, tree, tracker, "sftp");
  }
  const method = await context.methodFor(tree, remoteRoot, "put", options);
  if (method === "tar") {
    await putTreeWithTar(await context.connection.openClient(), tree, remoteRoot, options, tracker);
  } else {
    await putTree({
      sftp,
      from: localRoot,
      to: remoteRoot,
      entries: tree.entries,
      options,
      tracker,
      cleanupRemote: context.cleanupRemote,
    });
  }
  tracker.finish();
  return context.treeResult(localRoot, local, remoteRoot, remote, tree, tracker, method);
}

/** The file name of a stream that has one (`fs.createReadStream(path)`), else undefined. */
function streamName(local: Uint8Array | Readable): string | undefined {
  const path = (local as { path?: unknown }).path;
  if (typeof path === "string" && path !== "") return basename(path);
  if (Buffer.isBuffer(path)) return basename(path.toString());
  return undefined;
}

async function isDirectory(sftp: SftpSession, path: string): Promise<boolean> {
  try {
    return (await sftp.stat(path)).isDirectory();
  } catch {
    return false;
  }
}
