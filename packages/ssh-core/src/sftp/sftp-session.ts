// Over 400 lines on purpose: one class, one documented method per SFTP request; the transfer engines are in transfer.ts and small-files.ts.
import { open as openLocal } from "node:fs/promises";
import { posix } from "node:path";
import { Writable } from "node:stream";
import type { SshClient } from "../client/ssh-client.js";
import { ChannelOpenError, SftpError, SftpStatus } from "../errors.js";
import { maxWriteLength, type RawSftp, request, serverExtensions } from "./raw.js";
import { SftpReadStream } from "./read-stream.js";
import { SftpFile } from "./sftp-file.js";
import { getSmallFile, putSmallFile, SMALL_FILE_BYTES, type SmallFilePutOptions } from "./small-files.js";
import {
  downloadToFile,
  downloadToStream,
  type PipelineOptions,
  type RemoteFile,
  uploadFromBuffer,
  uploadFromFile,
  uploadFromStream,
} from "./transfer.js";
import { TransferState } from "./transfer-state.js";
import type {
  GetDestination,
  GetOptions,
  PutOptions,
  PutSource,
  SftpDirEntry,
  SftpOpenFlags,
  SftpReadStreamOptions,
  SftpStats,
  SftpWriteStreamOptions,
  TransferOptions,
  TransferResult,
} from "./types.js";
import { SftpWriteStream } from "./write-stream.js";

export interface OpenSftpOptions {
  signal?: AbortSignal;
}

/**
 * A promise API over one SFTP channel. Errors are {@link SftpError}s carrying the SFTP status and
 * the path. Get one with `client.sftp()` (shared per connection) or `SftpSession.open(client)`.
 *
 * ```ts
 * const sftp = await client.sftp();
 * await sftp.mkdir("/srv/app/releases", { recursive: true });
 * await sftp.fastPut("dist.tar.gz", "/srv/app/releases/dist.tar.gz", { onProgress: (n, total) => … });
 * ```
 */
export class SftpSession implements AsyncDisposable {
  readonly #sftp: RawSftp;
  readonly #handles = new Set<SftpFile>();
  readonly #closed: Promise<void>;
  #isClosed = false;

  private constructor(sftp: RawSftp, release: () => void) {
    this.#sftp = sftp;
    this.#closed = new Promise((resolve) => {
      sftp.once("close", () => {
        this.#isClosed = true;
        release();
        resolve();
      });
    });
    // Channel errors also surface on the pending requests; keep them from crashing the process.
    sftp.on("error", () => {});
  }

  /** Open a new SFTP channel (through the connection's channel queue, so MaxSessions is respected). */
  static async open(client: SshClient, options: OpenSftpOptions = {}): Promise<SftpSession> {
    const slot = await client.queue
      .open(
        () =>
          new Promise<RawSftp>((resolve, reject) => {
            const error = client.connectionError();
            if (error) return reject(error);
            client.ssh2Client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp as RawSftp)));
          }),
        {
          isRefusal: (error) => client.isSessionRefusal(error),
          ...(options.signal ? { signal: options.signal } : {}),
        },
      )
      .catch((error: unknown) => {
        throw client.toChannelError(error) ?? new ChannelOpenError(String(error));
      });
    return new SftpSession(slot.value, slot.release);
  }

  /** The underlying ssh2 SFTP object. Not a stable API. */
  get raw(): RawSftp {
    return this.#sftp;
  }

  /** Extensions the server announced (`posix-rename@openssh.com`, `statvfs@openssh.com` …). */
  get extensions(): Record<string, string> {
    return serverExtensions(this.#sftp);
  }

  /** Remote file handles currently open through this session. */
  get openHandles(): number {
    return this.#handles.size;
  }

  get isClosed(): boolean {
    return this.#isClosed;
  }

  // Metadata ------------------------------------------------------------------------------------

  stat(path: string): Promise<SftpStats> {
    return request<SftpStats>("stat", path, (done) => this.#sftp.stat(path, done));
  }

  /** Like stat, but a symbolic link is described itself rather than its target. */
  lstat(path: string): Promise<SftpStats> {
    return request<SftpStats>("lstat", path, (done) => this.#sftp.lstat(path, done));
  }

  /** True when `path` exists (following symlinks); false only for NO_SUCH_FILE, other errors throw. */
  async exists(path: string): Promise<boolean> {
    try {
      await this.stat(path);
      return true;
    } catch (error) {
      if (error instanceof SftpError && error.status === SftpStatus.NO_SUCH_FILE) return false;
      throw error;
    }
  }

  /** Directory entries without `.` and `..`. */
  readdir(path: string): Promise<SftpDirEntry[]> {
    return request<SftpDirEntry[]>("readdir", path, (done) => this.#sftp.readdir(path, done)).then(
      (entries) => entries.filter((entry) => entry.filename !== "." && entry.filename !== ".."),
    );
  }

  /** Canonical absolute path (resolves `.`, `..` and symlinks; `"."` is the login directory). */
  realpath(path: string): Promise<string> {
    return request<string>("realpath", path, (done) => this.#sftp.realpath(path, done));
  }

  readlink(path: string): Promise<string> {
    return request<string>("readlink", path, (done) => this.#sftp.readlink(path, done));
  }

  /** Create `linkPath` pointing at `target` (argument order as in fs.symlink; OpenSSH's swap is handled). */
  symlink(target: string, linkPath: string): Promise<void> {
    return request<void>("symlink", linkPath, (done) => this.#sftp.symlink(target, linkPath, done));
  }

  chmod(path: string, mode: number | string): Promise<void> {
    return request<void>("chmod", path, (done) => this.#sftp.chmod(path, mode, done));
  }

  chown(path: string, uid: number, gid: number): Promise<void> {
    return request<void>("chown", path, (done) => this.#sftp.chown(path, uid, gid, done));
  }

  /** Set access and modification times (Dates, or seconds since the epoch). */
  utimes(path: string, atime: Date | number, mtime: Date | number): Promise<void> {
    return request<void>("utimes", path, (done) => this.#sftp.utimes(path, atime, mtime, done));
  }

  // Changing the tree ---------------------------------------------------------------------------

  /** Create a directory; `recursive` creates missing parents and accepts an existing directory (mkdir -p). */
  async mkdir(path: string, options: { recursive?: boolean; mode?: number } = {}): Promise<void> {
    const attrs = options.mode === undefined ? {} : { mode: options.mode };
    const once = () => request<void>("mkdir", path, (done) => this.#sftp.mkdir(path, attrs, done));
    if (!options.recursive) return once();
    try {
      await once();
    } catch (error) {
      if (!(error instanceof SftpError)) throw error;
      const parent = posix.dirname(path);
      if (error.status === SftpStatus.NO_SUCH_FILE && parent !== path) {
        await this.mkdir(parent, options);
        return this.mkdir(path, options);
      }
      // Already there (OpenSSH answers EEXIST with a plain FAILURE): fine if it is a directory.
      const existing = await this.stat(path).catch(() => null);
      if (existing?.isDirectory()) return;
      throw error;
    }
  }

  unlink(path: string): Promise<void> {
    return request<void>("unlink", path, (done) => this.#sftp.unlink(path, done));
  }

  /** Remove a directory; `recursive` removes its contents first (symlinks are removed, not followed). */
  async rmdir(path: string, options: { recursive?: boolean } = {}): Promise<void> {
    if (options.recursive) {
      for (const entry of await this.readdir(path)) {
        const child = posix.join(path, entry.filename);
        if (entry.attrs.isDirectory()) await this.rmdir(child, options);
        else await this.unlink(child);
      }
    }
    return request<void>("rmdir", path, (done) => this.#sftp.rmdir(path, done));
  }

  /**
   * Rename `from` to `to`. When the server offers posix-rename@openssh.com it is used, so an
   * existing `to` is replaced atomically; plain SFTP rename fails when `to` exists.
   */
  rename(from: string, to: string): Promise<void> {
    if (serverExtensions(this.#sftp)["posix-rename@openssh.com"] !== undefined) {
      return request<void>("rename", from, (done) => this.#sftp.ext_openssh_rename(from, to, done));
    }
    return request<void>("rename", from, (done) => this.#sftp.rename(from, to, done));
  }

  // Files ---------------------------------------------------------------------------------------

  /** Open a remote file; the handle counts in `openHandles` until closed. */
  async open(path: string, flags: SftpOpenFlags = "r", mode?: number): Promise<SftpFile> {
    const attrs = mode === undefined ? {} : { mode };
    const handle = await request<Buffer>("open", path, (done) => this.#sftp.open(path, flags, attrs, done));
    const file = new SftpFile(this.#sftp, handle, path, () => this.#handles.delete(file));
    this.#handles.add(file);
    return file;
  }

  createReadStream(path: string, options: SftpReadStreamOptions = {}): SftpReadStream {
    return new SftpReadStream(path, () => this.open(path, "r"), options);
  }

  createWriteStream(path: string, options: SftpWriteStreamOptions = {}): SftpWriteStream {
    return new SftpWriteStream(
      path,
      () => this.open(path, options.flags ?? "w", options.mode),
      maxWriteLength(this.#sftp),
      options,
    );
  }

  async readFile(path: string, options: TransferOptions = {}): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    await this.fastGet(path, sink, options);
    return Buffer.concat(chunks);
  }

  async writeFile(path: string, data: Uint8Array | string, options: PutOptions = {}): Promise<void> {
    await this.fastPut(typeof data === "string" ? Buffer.from(data) : data, path, options);
  }

  /**
   * Upload with many requests in flight. The remote file is created or truncated. On failure or
   * abort the handles are closed and the error says why; the partial remote file is left in place.
   */
  async fastPut(source: PutSource, remotePath: string, options: PutOptions = {}): Promise<TransferResult> {
    const pipeline = pipelineOptions(options);
    if (typeof source === "string") {
      const local = await openLocal(source, "r");
      try {
        const { size } = await local.stat();
        const state = new TransferState(size, options.onProgress, options.signal);
        await this.#untilClosed(
          "put",
          remotePath,
          this.#withRemote(remotePath, "w", options.mode, state, (remote) =>
            uploadFromFile(remote, local, size, state, pipeline),
          ),
        );
        state.finish();
        return { bytes: state.transferred };
      } finally {
        await local.close();
      }
    }
    if (source instanceof Uint8Array) {
      const state = new TransferState(source.byteLength, options.onProgress, options.signal);
      await this.#untilClosed(
        "put",
        remotePath,
        this.#withRemote(remotePath, "w", options.mode, state, (remote) =>
          uploadFromBuffer(remote, source, state, pipeline),
        ),
      );
      state.finish();
      return { bytes: state.transferred };
    }
    const state = new TransferState(options.size, options.onProgress, options.signal);
    await this.#untilClosed(
      "put",
      remotePath,
      this.#withRemote(remotePath, "w", options.mode, state, (remote) =>
        uploadFromStream(remote, source, state, pipeline),
      ),
    );
    state.finish();
    return { bytes: state.transferred };
  }

  /**
   * Files up to this size (256 KiB) suit {@link putSmallFile} / {@link getSmallFile}: read whole into
   * memory and moved in one pipelined burst. Larger ones take {@link fastPut} / {@link fastGet}.
   */
  get smallFileBytes(): number {
    return SMALL_FILE_BYTES;
  }

  /**
   * Upload a small local file (up to {@link smallFileBytes}) with every request issued at
   * once: open, all writes, `mode` and `times`, close, answered in order, so the file costs about two
   * round trips instead of one per request. The remote file is created or truncated; resolves to the
   * bytes written. Many such files in flight at once are what makes a tree of small files fast.
   */
  putSmallFile(localPath: string, remotePath: string, options: SmallFilePutOptions = {}): Promise<number> {
    return putSmallFile(this, localPath, remotePath, options);
  }

  /**
   * Download a small remote file whose `size` a listing gave, all reads issued at once (plus one past
   * the end to notice a file that grew since; a file that changed size is then read on to its end).
   * The local file is created or truncated; resolves to the bytes read.
   */
  getSmallFile(
    remotePath: string,
    localPath: string,
    size: number,
    onProgress?: (transferred: number, total: number | undefined) => void,
  ): Promise<number> {
    return getSmallFile(this, remotePath, localPath, size, onProgress);
  }

  /**
   * Download with many requests in flight. A local path is created or truncated; a Writable is
   * written in order (respecting backpressure) and left open.
   */
  async fastGet(
    remotePath: string,
    destination: GetDestination,
    options: GetOptions = {},
  ): Promise<TransferResult> {
    const pipeline = pipelineOptions(options);
    let current: TransferState | undefined;
    let bytes = 0;
    const run = async (
      write: (remote: RemoteFile, size: number, state: TransferState) => Promise<number>,
    ) => {
      const file = await this.open(remotePath, "r");
      let state: TransferState | undefined;
      try {
        const { size } = await file.stat();
        state = new TransferState(size > 0 ? size : undefined, options.onProgress, options.signal);
        current = state;
        bytes = await write({ sftp: this.#sftp, handle: file.handle, path: remotePath }, size, state);
      } finally {
        await closeQuietly(file, state);
      }
      state.finish();
    };
    if (typeof destination === "string") {
      const local = await openLocal(destination, "w");
      try {
        await this.#untilClosed(
          "get",
          remotePath,
          run((remote, size, s) => downloadToFile(remote, local, size, s, pipeline)),
        );
      } finally {
        await local.close();
      }
    } else {
      const onError = (error: Error) => current?.fail(error);
      destination.on("error", onError);
      try {
        await this.#untilClosed(
          "get",
          remotePath,
          run((remote, size, s) => downloadToStream(remote, destination as Writable, size, s, pipeline)),
        );
      } finally {
        destination.off("error", onError);
      }
    }
    return { bytes };
  }

  /**
   * `work`, or a CONNECTION_LOST SftpError once the channel closes under it: ssh2 never answers
   * requests sent on a dead channel (closing the remote handle after a failed write, for one), so
   * without this a transfer cut by a dropped connection would wait forever.
   */
  #untilClosed<T>(operation: string, path: string, work: Promise<T>): Promise<T> {
    const lost = this.#closed.then((): never => {
      throw new SftpError(
        operation,
        path,
        SftpStatus.CONNECTION_LOST,
        "the SFTP channel closed before the transfer finished (connection lost)",
      );
    });
    lost.catch(() => {});
    work.catch(() => {});
    return Promise.race([work, lost]);
  }

  async #withRemote(
    path: string,
    flags: SftpOpenFlags,
    mode: number | undefined,
    state: TransferState,
    body: (remote: RemoteFile) => Promise<void>,
  ): Promise<void> {
    const file = await this.open(path, flags, mode);
    try {
      await body({ sftp: this.#sftp, handle: file.handle, path });
    } finally {
      await closeQuietly(file, state);
    }
  }

  /** Close the SFTP channel (idempotent). Open handles are released by the server. */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#sftp.end();
    await this.#closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function pipelineOptions(options: TransferOptions): PipelineOptions {
  return { concurrency: options.concurrency, chunkSize: options.chunkSize };
}

/** After a failure the handle is still closed, but a close error must not hide the first one. */
async function closeQuietly(file: SftpFile, state: TransferState | undefined): Promise<void> {
  if (state && !state.ok) {
    await file.close().catch(() => {});
    return;
  }
  await file.close();
}
