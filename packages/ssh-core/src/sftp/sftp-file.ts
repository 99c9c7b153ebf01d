import { type RawSftp, readChunk, request, writeChunk } from "./raw.js";
import type { SftpStats } from "./types.js";

/** An open remote file handle. Close it (or `await using` it) when done. */
export class SftpFile implements AsyncDisposable {
  readonly path: string;
  readonly #sftp: RawSftp;
  readonly #handle: Buffer;
  readonly #onClose: () => void;
  #closed: Promise<void> | undefined;

  /** @internal Created by `SftpSession.open()`. */
  constructor(sftp: RawSftp, handle: Buffer, path: string, onClose: () => void) {
    this.#sftp = sftp;
    this.#handle = handle;
    this.path = path;
    this.#onClose = onClose;
  }

  /** The raw SFTP handle (for the transfer loops). */
  get handle(): Buffer {
    return this.#handle;
  }

  get closed(): boolean {
    return this.#closed !== undefined;
  }

  /** Read up to `length` bytes at `position` into `buffer[offset…]`; resolves 0 at end of file. */
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<number> {
    return readChunk(this.#sftp, this.#handle, buffer, offset, length, position, this.path);
  }

  /** Write `buffer[offset…offset+length]` at `position`; keep those bytes unchanged until this settles. */
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<void> {
    return writeChunk(this.#sftp, this.#handle, buffer, offset, length, position, this.path);
  }

  stat(): Promise<SftpStats> {
    return request<SftpStats>("fstat", this.path, (done) => this.#sftp.fstat(this.#handle, done));
  }

  chmod(mode: number | string): Promise<void> {
    return request<void>("fchmod", this.path, (done) => this.#sftp.fchmod(this.#handle, mode, done));
  }

  /** Idempotent. The handle is forgotten even when the server reports an error. */
  close(): Promise<void> {
    this.#closed ??= request<void>("close", this.path, (done) =>
      this.#sftp.close(this.#handle, done),
    ).finally(this.#onClose);
    return this.#closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close().catch(() => {});
  }
}
