import { readFile } from "node:fs/promises";
import { basename, normalize, posix } from "node:path";
import { Readable, type Writable } from "node:stream";
import { SftpError } from "@fabric-ts/ssh-core";
import type { Connection } from "../connection/connection.js";
import { TransferError } from "../errors/index.js";
import { interpolateLocalPath, resolveRemotePath } from "../transfer/paths.js";
import type { PutSource, TransferOptions, TransferResult } from "../transfer/transfer.js";

/** File contents by path: text or bytes. Remote paths may start with `~/`. */
export type MockFiles = Readonly<Record<string, string | Uint8Array>>;

/** One put/get a {@link MockSftp} served. */
export interface MockTransfer {
  readonly method: "put" | "get";
  /** The host's name as the Connection was given it. */
  readonly host: string;
  /** The absolute remote path. */
  readonly remote: string;
  /** The local path after `{host}`-style templates (a path string), or `"<stream>"`/`"<bytes>"`. */
  readonly local: string;
  readonly bytes: number;
}

/** Where a {@link MockSftp} starts: its login directory and the files already there. */
export interface MockSftpOptions {
  /** The login directory `~` and relative remote paths resolve against. @default "/home/user" */
  home?: string;
  /** Remote files present at the start. */
  files?: MockFiles;
}

const NO_SUCH_FILE = 2;

/**
 * An in-memory SFTP server and local disk for one mocked host: `put()` stores bytes under their absolute
 * remote path, `get()` reads them back and records what would have been written locally (nothing
 * touches the real disk, except reading a local path given to `put()`). Paths resolve like a real
 * Connection's: `~`, the Connection's `cd()`, trailing `/` for directories, `{host}` templates.
 */
export class MockSftp {
  /** Remote files by absolute path. */
  readonly files = new Map<string, Buffer>();
  /** What `get()` wrote, by local path (normalised, as templated). */
  readonly downloads = new Map<string, Buffer>();
  readonly transfers: MockTransfer[] = [];
  /** The login directory: where `~` and relative remote paths point. */
  readonly home: string;

  constructor(options: MockSftpOptions = {}) {
    this.home = options.home ?? "/home/user";
    for (const [path, content] of Object.entries(options.files ?? {})) this.write(path, content);
  }

  /** Add or replace a remote file. */
  write(path: string, content: string | Uint8Array): void {
    this.files.set(this.absolute(path, ""), Buffer.from(content));
  }

  /** A remote file's text, or undefined when there is none. */
  read(path: string): string | undefined {
    return this.files.get(this.absolute(path, ""))?.toString("utf8");
  }

  /** The text `get()` wrote to a local path, or undefined. */
  downloaded(localPath: string): string | undefined {
    return this.downloads.get(normalize(localPath))?.toString("utf8");
  }

  async put(
    connection: Connection,
    local: PutSource,
    remote?: string,
    _options: TransferOptions = {},
  ): Promise<TransferResult> {
    if (local === "") throw new TransferError("Local path must not be empty!");
    const name = typeof local === "string" ? basename(local) : "";
    if (!remote && name === "") {
      throw new TransferError("Must give non-empty remote path when local is a Buffer or stream!");
    }
    let target = this.absolute(remote || name, connection.cwd);
    if ((remote ?? "").endsWith("/") || this.isDirectory(target)) {
      if (name === "") {
        throw new TransferError("Can't put a Buffer or stream into a directory unless it has a name");
      }
      target = posix.join(target, name);
    }
    const data = await bytesOf(local);
    this.files.set(target, data);
    const shown = typeof local === "string" ? local : local instanceof Readable ? "<stream>" : "<bytes>";
    this.transfers.push({
      method: "put",
      host: connection.originalHost,
      remote: target,
      local: shown,
      bytes: data.length,
    });
    return {
      local,
      origLocal: local,
      remote: target,
      origRemote: remote,
      connection,
      bytes: data.length,
    };
  }

  async get(
    connection: Connection,
    remote: string,
    local?: string | Writable,
    _options: TransferOptions = {},
  ): Promise<TransferResult> {
    if (!remote) throw new TransferError("Remote path must not be empty!");
    const source = this.absolute(remote, connection.cwd);
    const data = this.files.get(source);
    if (data === undefined) {
      if (this.isDirectory(source)) throw new TransferError(`${source} is a directory`);
      throw new SftpError("open", source, NO_SUCH_FILE, "No such file");
    }
    let shown: string;
    if (local !== undefined && typeof local !== "string") {
      await new Promise<void>((resolve, reject) =>
        local.write(data, (error) => (error ? reject(error) : resolve())),
      );
      shown = "<stream>";
    } else {
      const templated = interpolateLocalPath(local ?? "{basename}", {
        host: connection.host,
        originalHost: connection.originalHost,
        user: connection.user,
        port: connection.port,
        dirname: posix.dirname(source),
        basename: posix.basename(source),
      });
      shown = normalize(templated.endsWith("/") ? `${templated}${posix.basename(source)}` : templated);
      this.downloads.set(shown, data);
    }
    this.transfers.push({
      method: "get",
      host: connection.originalHost,
      remote: source,
      local: shown,
      bytes: data.length,
    });
    return {
      local: local === undefined || typeof local === "string" ? shown : local,
      origLocal: local,
      remote: source,
      origRemote: remote,
      connection,
      bytes: data.length,
    };
  }

  private absolute(path: string, cwd: string): string {
    return resolveRemotePath(path, { home: this.home, cwd });
  }

  private isDirectory(path: string): boolean {
    const prefix = path.endsWith("/") ? path : `${path}/`;
    for (const file of this.files.keys()) if (file.startsWith(prefix)) return true;
    return false;
  }
}

async function bytesOf(local: PutSource): Promise<Buffer> {
  if (typeof local === "string") return readFile(local);
  if (local instanceof Uint8Array) return Buffer.from(local);
  const chunks: Buffer[] = [];
  for await (const chunk of local) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}
