import { Readable } from "node:stream";

/**
 * A Readable that relays a channel stream and passes backpressure back to it: when our buffer is
 * full the source is paused, ssh2 stops extending the SSH window, and the server stops sending.
 */
export class ChannelOutput extends Readable {
  #source: Readable | null = null;
  #ended = false;
  #stopRelay: (() => void) | null = null;

  constructor() {
    super({ highWaterMark: 256 * 1024 });
  }

  /** Start relaying `source`; resolves when the source has ended (all its data pushed here). */
  attach(source: Readable, onChunk?: (chunk: Buffer) => void): Promise<void> {
    this.#source = source;
    if (onChunk) this.on("data", onChunk);
    return new Promise((resolve) => {
      const onData = (chunk: Buffer) => {
        if (!this.push(chunk)) source.pause();
      };
      const onEnd = () => {
        this.finish();
        resolve();
      };
      this.#stopRelay = () => {
        source.off("data", onData);
        source.off("end", onEnd);
        source.off("close", onEnd);
        // Keep the abandoned source flowing so ssh2 does not buffer for it.
        source.resume();
        onEnd();
      };
      source.on("data", onData);
      source.once("end", onEnd);
      source.once("close", onEnd);
    });
  }

  /** End without a source (the channel never opened). */
  finish(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.push(null);
  }

  /** Stop relaying the source and end now; what it still sends is dropped. */
  detach(): void {
    if (this.#stopRelay) this.#stopRelay();
    else this.finish();
  }

  override _read(): void {
    this.#source?.resume();
  }
}
