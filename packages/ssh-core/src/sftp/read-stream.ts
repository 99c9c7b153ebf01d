import { Readable } from "node:stream";
import type { SftpFile } from "./sftp-file.js";
import type { SftpReadStreamOptions } from "./types.js";

interface PendingRead {
  position: number;
  length: number;
  buffer: Buffer;
  result: Promise<number>;
}

/**
 * A Readable over a remote file that keeps several read requests in flight (ssh2's own stream
 * waits for each reply before asking for the next chunk, which caps throughput at one round trip).
 */
export class SftpReadStream extends Readable {
  readonly path: string;
  readonly #open: () => Promise<SftpFile>;
  readonly #chunkSize: number;
  readonly #concurrency: number;
  readonly #end: number;
  #file: SftpFile | undefined;
  #position: number;
  #pending: PendingRead[] = [];
  #delivering = false;
  #done = false;

  constructor(path: string, open: () => Promise<SftpFile>, options: SftpReadStreamOptions = {}) {
    super({ highWaterMark: options.chunkSize ?? 64 * 1024 });
    this.path = path;
    this.#open = open;
    this.#chunkSize = options.chunkSize ?? 64 * 1024;
    this.#concurrency = options.concurrency ?? 16;
    this.#position = options.start ?? 0;
    this.#end = options.end === undefined ? Number.POSITIVE_INFINITY : options.end + 1;
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

  override _read(): void {
    this.#fill();
    void this.#deliver();
  }

  #fill(): void {
    const file = this.#file;
    if (!file) return;
    while (!this.#done && this.#pending.length < this.#concurrency && this.#position < this.#end) {
      const length = Math.min(this.#chunkSize, this.#end - this.#position);
      const buffer = Buffer.allocUnsafe(length);
      const result = file.read(buffer, 0, length, this.#position);
      result.catch(() => {});
      this.#pending.push({ position: this.#position, length, buffer, result });
      this.#position += length;
    }
  }

  async #deliver(): Promise<void> {
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      for (;;) {
        const head = this.#pending[0];
        if (!head) {
          if (this.#position >= this.#end || this.#done) this.#finish();
          return;
        }
        let got = await head.result;
        // A short reply is either the server's size cap or the end of the file: ask for the rest.
        while (got > 0 && got < head.length) {
          const more = await this.#file!.read(head.buffer, got, head.length - got, head.position + got);
          if (more === 0) break;
          got += more;
        }
        this.#pending.shift();
        if (this.destroyed) return;
        if (got < head.length) {
          this.#done = true;
          this.#pending = [];
          if (got > 0) this.push(head.buffer.subarray(0, got));
          this.#finish();
          return;
        }
        const wantsMore = this.push(head.buffer);
        this.#fill();
        if (!wantsMore) return;
      }
    } catch (error) {
      this.destroy(error as Error);
    } finally {
      this.#delivering = false;
    }
  }

  #finish(): void {
    this.#done = true;
    this.push(null);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#pending = [];
    const file = this.#file;
    if (!file) {
      callback(error);
      return;
    }
    file.close().then(
      () => callback(error),
      (closeError: Error) => callback(error ?? closeError),
    );
  }
}
