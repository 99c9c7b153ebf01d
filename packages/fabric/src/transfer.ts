import { chmod, mkdir, stat } from "node:fs/promises";
import { basename, dirname, posix, resolve } from "node:path";
import { Readable, Writable } from "node:stream";
import type { SftpSession } from "@fabric-ts/ssh-core";
import { TransferError } from "./connection/errors.js";
import type { Connection } from "./connection.js";
import { interpolateLocalPath, resolveRemotePath } from "./transfer/paths.js";

/** Called as bytes are acknowledged: bytes done, and the total when known. */
export type TransferProgress = (transferred: number, total: number | undefined) => void;

export interface TransferOptions {
  /** Copy the permission bits across (remote → local for get, local → remote for put). @default true */
  preserveMode?: boolean;
  onProgress?: TransferProgress;
  signal?: AbortSignal;
}

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
   */
  async get(
    remote: string,
    local?: string | Writable,
    options: TransferOptions = {},
  ): Promise<TransferResult> {
    if (!remote) throw new TransferError("Remote path must not be empty!");
    const sftp = await this.sftp;
    const remotePath = await this.remotePath(sftp, remote);
    const remoteStats = await sftp.stat(remotePath);
    if (remoteStats.isDirectory()) {
      throw new TransferError(`Remote path ${remotePath} is a directory; get() copies single files`);
    }
    const progress = transferOptions(options);

    if (local instanceof Writable) {
      const { bytes } = await sftp.fastGet(remotePath, local, progress);
      return this.result(local, local, remotePath, remote, bytes);
    }
    if (local !== undefined && typeof local !== "string") {
      throw new TransferError("get() writes to a local path or a Writable stream");
    }
    const localPath = await this.localTarget(local, remotePath);
    await mkdir(dirname(localPath), { recursive: true });
    const { bytes } = await sftp.fastGet(remotePath, localPath, progress);
    if (options.preserveMode ?? true) await chmod(localPath, remoteStats.mode & 0o7777);
    return this.result(localPath, local, remotePath, remote, bytes);
  }

  /**
   * Upload a local path, bytes or a Readable to `remote`. A remote directory (existing, or written
   * with a trailing `/`) receives the local basename (a stream's `path`, for `fs.ReadStream`s).
   * Omitted: the local basename, relative to the Connection's `cd()` (else the login directory).
   * Streams are read from where they are; they cannot be rewound afterwards (Fabric restored the
   * position of seekable file objects).
   */
  async put(local: PutSource, remote?: string, options: TransferOptions = {}): Promise<TransferResult> {
    if (local === "" || (local as unknown) == null) {
      throw new TransferError("Local path must not be empty!");
    }
    const isPath = typeof local === "string";
    if (!isPath && !(local instanceof Uint8Array) && !(local instanceof Readable)) {
      throw new TransferError("put() reads from a local path, a Buffer/Uint8Array or a Readable stream");
    }
    const localBase = isPath ? basename(local) : streamName(local);
    if (!remote && !isPath) {
      throw new TransferError("Must give non-empty remote path when local is a Buffer or stream!");
    }
    const sftp = await this.sftp;
    let remotePath = await this.remotePath(sftp, remote || (localBase as string));
    if ((remote?.endsWith("/") ?? false) || (await isDirectory(sftp, remotePath))) {
      if (!localBase) {
        throw new TransferError(
          "Can't put a Buffer or stream into a directory unless it has a name (an fs.ReadStream's path)!",
        );
      }
      remotePath = posix.join(remotePath, localBase);
    }
    const progress = transferOptions(options);

    if (!isPath) {
      const { bytes } = await sftp.fastPut(local, remotePath, progress);
      return this.result(local, local, remotePath, remote, bytes);
    }
    const localPath = resolve(local);
    const localStats = await stat(localPath);
    if (localStats.isDirectory()) {
      throw new TransferError(`Local path ${localPath} is a directory; put() copies single files`);
    }
    const { bytes } = await sftp.fastPut(localPath, remotePath, progress);
    if (options.preserveMode ?? true) await sftp.chmod(remotePath, localStats.mode & 0o7777);
    return this.result(localPath, local, remotePath, remote, bytes);
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

function transferOptions(options: TransferOptions): { onProgress?: TransferProgress; signal?: AbortSignal } {
  return {
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  };
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
