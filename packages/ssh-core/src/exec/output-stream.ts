import { Readable } from "node:stream";

/**
 * A Readable that relays a channel stream and passes backpressure back to it: when our buffer is
 * full the source is paused, ssh2 stops extending the SSH window, and the server stops sending.
 */
export class ChannelOutput extends Readable {
  #source: Readable | null = null;

  constructor() {
    super({ highWaterMark: 256 * 1024 });
  }

  /** Start relaying `source`; resolves when the source has ended (all its data pushed here). */
  attach(source: Readable, onChunk?: (chunk: Buffer) => void): Promise<void> {
    this.#source = source;
    if (onChunk) this.on("data", onChunk);
    return new Promise((resolve) => {
      source.on("data", (chunk: Buffer) => {
        if (!this.push(chunk)) source.pause();
      });
      source.once("end", () => {
        this.push(null);
        resolve();
      });
      source.once("close", () => {
        if (!this.readableEnded) this.push(null);
        resolve();
      });
    });
  }

  /** End without a source (the channel never opened). */
  finish(): void {
    if (!this.readableEnded) this.push(null);
  }

  override _read(): void {
    this.#source?.resume();
  }
}
