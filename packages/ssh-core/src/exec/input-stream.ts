import { Writable } from "node:stream";
import type { ClientChannel } from "ssh2";

/**
 * stdin for a command whose channel may still be queued: writes wait for the channel, then go out
 * with ssh2's window-based backpressure. Once the channel is gone, writes are discarded (like writing
 * to a process that already exited, minus the EPIPE) so producers never hang.
 */
export class ChannelInput extends Writable {
  #channel: Promise<ClientChannel | null>;
  #closed = false;
  #pending = new Set<() => void>();

  constructor(channel: Promise<ClientChannel | null>) {
    super({ highWaterMark: 64 * 1024 });
    this.#channel = channel;
    channel.then(
      (c) => c?.once("close", () => this.#markClosed()),
      () => this.#markClosed(),
    );
  }

  #markClosed(): void {
    this.#closed = true;
    for (const done of this.#pending) done();
    this.#pending.clear();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.#channel.then(
      (channel) => {
        if (!channel || this.#closed) return callback();
        const done = () => {
          if (this.#pending.delete(done)) callback();
        };
        this.#pending.add(done);
        channel.write(chunk, () => done());
      },
      () => callback(),
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#channel.then(
      (channel) => {
        // EOF, not channel.end(): every write has already been handed to ssh2 (its callbacks ran), so
        // nothing is left to flush, and the channel stays writable for signals and resizes. ssh2 ends
        // the channel's writable side again when it closes, which after end() cost an error object.
        if (channel && !this.#closed) channel.eof();
        callback();
      },
      () => callback(),
    );
  }
}
