import { Writable } from "node:stream";

/**
 * A Writable that counts the characters written and keeps none of them (huge outputs). It completes
 * each write on a later turn, like a pipe to a slower reader, so a writer that ignores backpressure
 * makes its buffer grow.
 */
export class CountingSink extends Writable {
  length = 0;
  /** Characters other than `expected`, when given (proves nothing else was written). */
  unexpected = 0;

  constructor(private readonly expected?: string) {
    super({ decodeStrings: false, highWaterMark: 64 * 1024 });
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    const text = chunk.toString();
    this.length += text.length;
    if (this.expected !== undefined) {
      for (let i = 0; i < text.length; i += 1) if (text[i] !== this.expected) this.unexpected += 1;
    }
    setImmediate(callback);
  }
}
