import { EventEmitter } from "node:events";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { TunnelError } from "../errors.js";

export interface TunnelEvents {
  /** A forwarded connection was established (both ends open). */
  connection: [info: { source: string }];
  /** One forwarded connection failed; the tunnel itself keeps running. */
  connectionError: [error: TunnelError];
  close: [];
}

/**
 * What every forward has in common: live connection tracking, `close()` and `await using`.
 * Failing connections are reported through `connectionError` (never an `error` event, so an
 * unobserved failure cannot crash the process) and kept in `lastError`.
 */
export abstract class Tunnel extends EventEmitter<TunnelEvents> implements AsyncDisposable {
  readonly #active = new Set<{ socket: Duplex; channel: Duplex }>();
  #total = 0;
  #closing: Promise<void> | undefined;
  lastError: TunnelError | undefined;

  /** Forwarded connections currently open. */
  get connections(): number {
    return this.#active.size;
  }

  /** Forwarded connections established since the tunnel opened. */
  get totalConnections(): number {
    return this.#total;
  }

  get isClosed(): boolean {
    return this.#closing !== undefined;
  }

  /** Stop listening and drop every forwarded connection. Idempotent; resolves once the listener is gone. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      for (const pair of this.#active) {
        pair.socket.destroy();
        pair.channel.destroy();
      }
      this.#active.clear();
      await this.stopListening();
      this.emit("close");
    })();
    return this.#closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  protected abstract stopListening(): Promise<void>;

  protected reportError(error: TunnelError): void {
    this.lastError = error;
    this.emit("connectionError", error);
  }

  /**
   * Join a local socket and an SSH channel both ways. Half-closes are passed on (EOF on one side
   * becomes EOF on the other); the pair is torn down once either side is fully closed or fails.
   */
  protected bridge(socket: Duplex, channel: Duplex, source: string): void {
    if (this.#closing) {
      socket.destroy();
      channel.destroy();
      return;
    }
    const pair = { socket, channel };
    this.#active.add(pair);
    this.#total++;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      this.#active.delete(pair);
      socket.destroy();
      channel.destroy();
    };
    socket.on("error", finish);
    channel.on("error", finish);
    socket.on("close", finish);
    // The channel is gone: let the socket flush what it already has, then it closes itself.
    channel.on("close", () => {
      if (!socket.writableEnded) socket.end();
      (socket as Socket).destroySoon?.();
    });
    socket.pipe(channel);
    channel.pipe(socket);
    this.emit("connection", { source });
  }
}
