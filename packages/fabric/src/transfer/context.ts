// What put and get share: the Connection's SFTP session and login directory, remote paths after
// `cd()`, the tar-or-SFTP choice for trees, the result objects, and cleanup after a failed upload.
import type { Readable, Writable } from "node:stream";
import type { SftpSession } from "@fabric-ts/ssh-core";
import type { Connection } from "../connection/connection.js";
import type { TransferMethod, TransferOptions } from "./options.js";
import { resolveRemotePath } from "./paths.js";
import type { ProgressTracker } from "./progress.js";
import { chooseTar } from "./tar.js";
import type { Tree } from "./tree.js";

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

/** One Connection's side of a transfer, as put and get use it. */
export class TransferContext {
  constructor(readonly connection: Connection) {}

  /** The Connection's (memoised) SFTP session. */
  sftp(): Promise<SftpSession> {
    return this.connection.sftp();
  }

  /** `path` made absolute: `~` is the login directory, relative paths follow the Connection's `cd()`. */
  async remotePath(sftp: SftpSession, path: string): Promise<string> {
    const home = await this.connection.remoteHome(sftp);
    return resolveRemotePath(path, { home, cwd: this.connection.cwd });
  }

  /** How a tree moves: as asked, or with `auto` tar when it pays and is safe, else SFTP. */
  async methodFor(
    tree: Tree,
    destination: string,
    direction: "put" | "get",
    options: TransferOptions,
  ): Promise<Exclude<TransferMethod, "auto">> {
    const method = options.method ?? "auto";
    if (method !== "auto") return method;
    return (await chooseTar(this.connection, tree, destination, direction, options)) ? "tar" : "sftp";
  }

  /** Removes a temporary file after a failed upload; reconnects when the failure was a lost connection. */
  readonly cleanupRemote = async (path: string): Promise<void> => {
    const sftp = await this.connection.sftp();
    await sftp.unlink(path);
  };

  result(
    local: TransferResult["local"],
    origLocal: TransferResult["origLocal"],
    remote: string,
    origRemote: string | undefined,
    bytes: number,
  ): TransferResult {
    return { local, origLocal, remote, origRemote, connection: this.connection, bytes };
  }

  treeResult(
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
}
