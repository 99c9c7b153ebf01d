import { chmod, mkdir, stat, utimes } from "node:fs/promises";
import { basename, dirname, posix, resolve } from "node:path";
import { Readable, Writable } from "node:stream";
import type { SftpSession } from "@fabric-ts/ssh-core";
import type { Connection } from "../connection/connection.js";
import { TransferError } from "../connection/errors.js";
import { withInterrupt } from "../interruption.js";
import { ProgressBar } from "../output/progress.js";
import { writeLocalFile, writeRemoteFile } from "./atomic.js";
import { hasGlobSyntax, PathFilter } from "./glob.js";
import { walkLocal } from "./local-tree.js";
import type { TransferMethod, TransferOptions } from "./options.js";
import { interpolateLocalPath, resolveRemotePath } from "./paths.js";
import { ProgressTracker } from "./progress.js";
import { expandRemoteGlob, splitRemoteGlob } from "./remote-glob.js";
import { walkRemote } from "./remote-tree.js";
import { sudoPut, sudoPutTree } from "./sudo-put.js";
import { type SyncOptions, type SyncReport, syncTree } from "./sync.js";
import { chooseTar, getTreeWithTar, putTreeWithTar } from "./tar.js";
import { type Tree, totalBytes } from "./tree.js";
import { getTree, putTree } from "./tree-transfer.js";

export type { TransferMethod, TransferOptions } from "./options.js";
export type { FileProgress, FileProgressCallback, TransferProgress } from "./progress.js";
export type { SyncOptions, SyncReport } from "./sync.js";
export type { SymlinkPolicy } from "./tree.js";

/** What put/get did (Fabric's `transfer.Result`), plus the byte count. */
export interface TransferResult {
  /** The absolute local path, or the stream/buffer given. */
  local: string | Readable | Writable | Uint8Array;
  /** `local` as given (undefined when omitted). */
  origLocal: string | Readable | Writable | Uint8Array | undefined;
  /** The absolute remote path. */
  remote: string;
  /** `remote` as given (undefined when omitted). */
  origRemote: string | undefined;
  connection: Connection;
  bytes: number;
  /** Directory transfers: the paths (relative to the two roots) of the files and symlinks copied. */
  files?: string[];
  /** Directory transfers: paths left out by include/exclude or the symlink policy. */
  skipped?: string[];
  /** Directory transfers: how the files moved. */
  method?: Exclude<TransferMethod, "auto">;
}

/** What `put()` reads from: a local path, bytes, or a readable stream. */
export type PutSource = string | Uint8Array | Readable;

/**
 * SFTP uploads and downloads for one Connection (Fabric's `Transfer`, behind `put()`/`get()`), on
 * ssh-core's pipelined SFTP. Remote paths honour `~` and the Connection's `cd()`.
 */
export class Transfer {
  constructor(readonly connection: Connection) {}

  /** The Connection's (memoised) SFTP session. */
  get sftp(): Promise<SftpSession> {
    return this.connection.sftp();
  }

  /** Whether `path` is a directory on the remote side (false when it does not exist). */
  async isRemoteDir(path: string): Promise<boolean> {
    const sftp = await this.sftp;
    try {
      return (await sftp.stat(await this.remotePath(sftp, path))).isDirectory();
    } catch {
      return false;
    }
  }

  /**
   * Download `remote` to a local path or a Writable (left open).
   *
   * A local path may use `{host}`, `{user}`, `{port}`, `{originalHost}`, `{dirname}` and `{basename}`;
   * ending in `/` (or naming an existing directory) means "into this directory". Missing parent
   * directories are created. Omitted: the remote basename in the current directory.
   *
   * A remote directory is copied recursively (like `scp -r`: into an existing local directory, else
   * as the local path); a remote glob (`/var/log/*.log`, `**` for any depth) copies every match into
   * the local directory, keeping paths below the glob's fixed part.
   */
  get(remote: string, local?: string | Writable, options: TransferOptions = {}): Promise<TransferResult> {
    return this.withProgress(options, remote, (withRow) => this.getImpl(remote, local, withRow));
  }

  private async getImpl(
    remote: string,
    local: string | Writable | undefined,
    options: TransferOptions,
  ): Promise<TransferResult> {
    if (!remote) throw new TransferError("Remote path must not be empty!");
    const sftp = await this.sftp;
    const remotePath = await this.remotePath(sftp, remote);
    if (hasGlobSyntax(remotePath) && !(await sftp.exists(remotePath).catch(() => false))) {
      return this.getGlob(sftp, remotePath, remote, local, options);
    }
    const remoteStats = await sftp.stat(remotePath);
    if (remoteStats.isDirectory()) {
      if (local !== undefined && typeof local !== "string") {
        throw new TransferError(`Remote path ${remotePath} is a directory; it cannot be written to a stream`);
      }
      return this.getDirectory(sftp, remotePath, remote, local, options);
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
      return this.result(local, local, remotePath, remote, bytes);
    }
    if (local !== undefined && typeof local !== "string") {
      throw new TransferError("get() writes to a local path or a Writable stream");
    }
    const localPath = await this.localTarget(local, remotePath);
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
    return this.result(localPath, local, remotePath, remote, bytes);
  }

  /**
   * Upload a local path, bytes or a Readable to `remote`. A remote directory (existing, or written
   * with a trailing `/`) receives the local basename (a stream's `path`, for `fs.ReadStream`s).
   * Omitted: the local basename, relative to the Connection's `cd()` (else the login directory).
   * Streams are read from where they are; they cannot be rewound afterwards (Fabric restored the
   * position of seekable file objects).
   *
   * Files are written under a temporary name beside the target and renamed into place (`atomic`).
   * A local directory is copied recursively (into an existing remote directory, else as the remote
   * path; a local path ending in `/` copies its contents instead). `sudo` places a file or tree as
   * root or another user, with `owner`, `group` (and `mode` for a file).
   */
  put(local: PutSource, remote?: string, options: TransferOptions = {}): Promise<TransferResult> {
    const label = typeof local === "string" ? local : (remote ?? "stream");
    return this.withProgress(options, label, (withRow) => this.putImpl(local, remote, withRow));
  }

  private async putImpl(
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
    if (isPath && localStats?.isDirectory()) return this.putDirectory(local, remote, options);
    const localBase = isPath ? basename(local) : streamName(local);
    if (!remote && !isPath) {
      throw new TransferError("Must give non-empty remote path when local is a Buffer or stream!");
    }
    const sftp = await this.sftp;
    let remotePath = await this.remotePath(sftp, remote || (localBase as string));
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
      const home = await this.connection.remoteHome(sftp);
      bytes = await sudoPut(this.connection, sftp, home, source, remotePath, {
        sudo: options.sudo,
        mode: mode ?? 0o644,
        ...(options.owner !== undefined ? { owner: options.owner } : {}),
        ...(options.group !== undefined ? { group: options.group } : {}),
        onProgress,
        signal: withInterrupt(options.signal),
      });
    } else {
      if (options.owner !== undefined || options.group !== undefined) {
        throw new TransferError(
          "owner and group need sudo: put(local, remote, { sudo: true, owner, group })",
        );
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
        cleanup: this.cleanupRemote,
      });
    }
    tracker.fileDone(name, bytes);
    return this.result(isPath ? source : local, local, remotePath, remote, bytes);
  }

  /**
   * Make the remote directory `remote` a copy of the local directory `local`: one remote listing,
   * then only new and changed files move (size + mtime, or SHA-256 with `checksum`); `delete`
   * removes remote entries that are not local; `dryRun` only reports. No rsync needed on either side.
   */
  sync(local: string, remote: string, options: SyncOptions = {}): Promise<SyncReport> {
    return this.withProgress(options, local, (withRow) => this.syncImpl(local, remote, withRow));
  }

  private async syncImpl(local: string, remote: string, options: SyncOptions): Promise<SyncReport> {
    if (!local) throw new TransferError("Local path must not be empty!");
    if (!remote) throw new TransferError("Remote path must not be empty!");
    const localRoot = resolve(local);
    if (!(await stat(localRoot)).isDirectory()) {
      throw new TransferError(`sync() copies directories; ${localRoot} is not one`);
    }
    const sftp = await this.sftp;
    return syncTree(
      {
        sftp,
        client: () => this.connection.openClient(),
        localRoot,
        remoteRoot: await this.remotePath(sftp, remote),
        cleanupRemote: this.cleanupRemote,
      },
      options,
    );
  }

  private async putDirectory(
    local: string,
    remote: string | undefined,
    options: TransferOptions,
  ): Promise<TransferResult> {
    if (options.sudo && options.mode !== undefined) {
      throw new TransferError("mode applies to single files; a sudo directory put copies each file's mode");
    }
    const localRoot = resolve(local);
    const contentsOnly = local.endsWith("/");
    const sftp = await this.sftp;
    let remoteRoot = await this.remotePath(sftp, remote || basename(localRoot));
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
        this.connection,
        sftp,
        await this.connection.remoteHome(sftp),
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
      return this.treeResult(localRoot, local, remoteRoot, remote, tree, tracker, "sftp");
    }
    const method = await this.methodFor(tree, remoteRoot, "put", options);
    if (method === "tar") {
      await putTreeWithTar(await this.connection.openClient(), tree, remoteRoot, options, tracker);
    } else {
      await putTree({
        sftp,
        from: localRoot,
        to: remoteRoot,
        entries: tree.entries,
        options,
        tracker,
        cleanupRemote: this.cleanupRemote,
      });
    }
    tracker.finish();
    return this.treeResult(localRoot, local, remoteRoot, remote, tree, tracker, method);
  }

  private async getDirectory(
    sftp: SftpSession,
    remoteRoot: string,
    remote: string,
    local: string | undefined,
    options: TransferOptions,
  ): Promise<TransferResult> {
    const localRoot = await this.localTarget(local, remoteRoot);
    const tree = await walkRemote(sftp, remoteRoot, new PathFilter(options), options.symlinks ?? "preserve");
    const tracker = new ProgressTracker(totalBytes(tree.entries), options.onProgress, options.onFileProgress);
    const method = await this.methodFor(tree, localRoot, "get", options);
    if (method === "tar") {
      await getTreeWithTar(await this.connection.openClient(), tree, localRoot, options, tracker);
    } else {
      await getTree({ sftp, from: remoteRoot, to: localRoot, entries: tree.entries, options, tracker });
    }
    tracker.finish();
    return this.treeResult(localRoot, local, remoteRoot, remote, tree, tracker, method);
  }

  private async getGlob(
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
            ...this.templateValues(),
            dirname: glob.base,
            basename: posix.basename(glob.base),
          }),
    );
    const tree: Tree = { root: glob.base, entries, skipped };
    const tracker = new ProgressTracker(totalBytes(entries), options.onProgress, options.onFileProgress);
    await getTree({ sftp, from: glob.base, to: localRoot, entries, options, tracker });
    tracker.finish();
    return this.treeResult(localRoot, local, pattern, remote, tree, tracker, "sftp");
  }

  private async methodFor(
    tree: Tree,
    destination: string,
    direction: "put" | "get",
    options: TransferOptions,
  ): Promise<Exclude<TransferMethod, "auto">> {
    const method = options.method ?? "auto";
    if (method !== "auto") return method;
    return (await chooseTar(this.connection, tree, destination, direction, options)) ? "tar" : "sftp";
  }

  private treeResult(
    localRoot: string,
    origLocal: string | undefined,
    remoteRoot: string,
    origRemote: string | undefined,
    tree: Tree,
    tracker: ProgressTracker,
    method: Exclude<TransferMethod, "auto">,
  ): TransferResult {
    return {
      ...this.result(localRoot, origLocal, remoteRoot, origRemote, tracker.transferred),
      files: tree.entries.filter((e) => e.type !== "directory").map((e) => e.path),
      skipped: tree.skipped,
      method,
    };
  }

  /** Run `body` with the options' progress callback also feeding a progress-bar row, when one applies. */
  private async withProgress<O extends TransferOptions | SyncOptions, R>(
    options: O,
    label: string,
    body: (options: O) => Promise<R>,
  ): Promise<R> {
    const bar =
      options.progress === true
        ? new ProgressBar()
        : options.progress === false
          ? undefined
          : (options.progress ?? this.connection.transferProgress);
    if (!bar?.enabled) return body(options);
    // The host as given (an ssh_config alias), as in the prefixes and the summary; not its HostName.
    const row = bar.row(`${this.connection.originalHost}: ${basename(label) || label}`);
    const user = options.onProgress;
    try {
      const result = await body({
        ...options,
        onProgress: (transferred: number, total: number | undefined) => {
          row.onProgress(transferred, total);
          user?.(transferred, total);
        },
      });
      row.end(true);
      return result;
    } catch (error) {
      row.end(false);
      throw error;
    } finally {
      if (options.progress === true) bar.finish();
    }
  }

  /** Removes a temporary file after a failed upload; reconnects when the failure was a lost connection. */
  private readonly cleanupRemote = async (path: string): Promise<void> => {
    const sftp = await this.connection.sftp();
    await sftp.unlink(path);
  };

  private templateValues() {
    const { host, user, port, originalHost } = this.connection;
    return { host, user, port, originalHost };
  }

  private async remotePath(sftp: SftpSession, path: string): Promise<string> {
    const home = await this.connection.remoteHome(sftp);
    return resolveRemotePath(path, { home, cwd: this.connection.cwd });
  }

  private async localTarget(local: string | undefined, remotePath: string): Promise<string> {
    const { host, user, port, originalHost } = this.connection;
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

  private result(
    local: TransferResult["local"],
    origLocal: TransferResult["origLocal"],
    remote: string,
    origRemote: string | undefined,
    bytes: number,
  ): TransferResult {
    return { local, origLocal, remote, origRemote, connection: this.connection, bytes };
  }
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
