import { Writable } from "node:stream";
import type { SftpFile } from "./sftp-file.js";
import type { SftpWriteStreamOptions } from "./types.js";

/**
 * A Writable over a remote file that acknowledges `write()` at once while fewer than
 * `concurrency` requests are in flight; `finish` fires only after every write was confirmed and
 * the handle closed.
 */
export class SftpWriteStream extends Writable {
  readonly path: string;
  readonly #open: () => Promise<SftpFile>;
  readonly #concurrency: number;
  readonly #maxChunk: number;
  #file: SftpFile | undefined;
  #position: number;
  #inFlight = 0;
  #error: Error | undefined;
  #whenSlotFree: (() => void) | undefined;
  #whenIdle: (() => void) | undefined;
  /** Bytes the server has confirmed. */
  bytesWritten = 0;

  constructor(
    path: string,
    open: () => Promise<SftpFile>,
    maxChunk: number,
    options: SftpWriteStreamOptions = {},
  ) {
    super({ highWaterMark: 256 * 1024 });
    this.path = path;
    this.#open = open;
    this.#maxChunk = maxChunk;
    this.#concurrency = options.concurrency ?? 64;
    this.#position = options.start ?? 0;
  }

  override _construct(callback: (error?: Error | null) => void): void {
    this.#open().then(
      (file) => {
        this.#file = file;
        callback();
      },
      (error: Error) => callback(error),
    );
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.#error) {
      callback(this.#error);
      return;
    }
    // Acknowledged before the server confirms, so the writer may reuse `chunk`; ssh2 reads the
    // bytes only as the channel window allows: send a copy.
    const bytes = Buffer.from(chunk);
    for (let offset = 0; offset < bytes.length; offset += this.#maxChunk) {
      this.#send(bytes.subarray(offset, offset + this.#maxChunk));
    }
    if (this.#inFlight < this.#concurrency) {
      callback();
      return;
    }
    this.#whenSlotFree = () => callback(this.#error);
  }

  #send(piece: Buffer): void {
    const file = this.#file!;
    this.#inFlight++;
    const position = this.#position;
    this.#position += piece.length;
    file.write(piece, 0, piece.length, position).then(
      () => {
        this.bytesWritten += piece.length;
        this.#settled();
      },
      (error: Error) => {
        this.#error ??= error;
        this.#settled();
      },
    );
  }

  #settled(): void {
    this.#inFlight--;
    const free = this.#whenSlotFree;
    if (free && (this.#inFlight < this.#concurrency || this.#error)) {
      this.#whenSlotFree = undefined;
      free();
    }
    if (this.#inFlight === 0) {
      const idle = this.#whenIdle;
      this.#whenIdle = undefined;
      idle?.();
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    const close = () => {
      if (this.#error) return callback(this.#error);
      this.#file!.close().then(() => callback(), callback);
    };
    if (this.#inFlight === 0) close();
    else this.#whenIdle = close;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const file = this.#file;
    if (!file || file.closed) {
      callback(error);
      return;
    }
    file.close().then(
      () => callback(error),
      (closeError: Error) => callback(error ?? closeError),
    );
  }
}
