import { stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import type { Writable } from "node:stream";
import type { SftpSession } from "@fabric-ts/ssh-core";
import type { Connection } from "../connection/connection.js";
import { TransferError } from "../errors/index.js";
import { ProgressBar } from "../output/progress.js";
import { TransferContext, type TransferResult } from "./context.js";
import { get } from "./get.js";
import type { TransferOptions } from "./options.js";
import { type PutSource, put } from "./put.js";
import { type SyncOptions, type SyncReport, syncTree } from "./sync.js";

export type { TransferResult } from "./context.js";
export type { TransferMethod, TransferOptions } from "./options.js";
export type { FileProgress, FileProgressCallback, TransferProgress } from "./progress.js";
export type { PutSource } from "./put.js";
export type { SyncOptions, SyncReport } from "./sync.js";
export type { SymlinkPolicy } from "./tree.js";

/**
 * SFTP uploads and downloads for one Connection (Fabric's `Transfer`, behind `put()`/`get()`), on
 * ssh-core's pipelined SFTP. Remote paths honour `~` and the Connection's `cd()`. The work is done in
 * `put.ts`, `get.ts` and `sync.ts`; this class is their public face and draws progress bars.
 */
export class Transfer {
  readonly #context: TransferContext;

  constructor(readonly connection: Connection) {
    this.#context = new TransferContext(connection);
  }

  /** The Connection's (memoised) SFTP session. */
  get sftp(): Promise<SftpSession> {
    return this.connection.sftp();
  }

  /** Whether `path` is a directory on the remote side (false when it does not exist). */
  async isRemoteDir(path: string): Promise<boolean> {
    const sftp = await this.sftp;
    try {
      return (await sftp.stat(await this.#context.remotePath(sftp, path))).isDirectory();
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
    return this.withProgress(options, remote, (withRow) => get(this.#context, remote, local, withRow));
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
    return this.withProgress(options, label, (withRow) => put(this.#context, local, remote, withRow));
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
        remoteRoot: await this.#context.remotePath(sftp, remote),
        cleanupRemote: this.#context.cleanupRemote,
      },
      options,
    );
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
}
