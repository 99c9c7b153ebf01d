import type { Socket } from "node:net";
import type { EmbeddedAuthMethod, EmbeddedConnectionInfo } from "./types.js";

let nextId = 1;

/** Book-keeping for one SSH connection: what faults and cleanup need to know about it. */
export class ConnectionState implements EmbeddedConnectionInfo {
  readonly id = nextId++;
  readonly remoteAddress: string;
  readonly remotePort: number;
  user?: string;
  /** Channel opens seen so far (for `refuseChannels`). */
  channelsOpened = 0;
  /** Session channels open right now (for `maxSessions`). */
  openSessions = 0;
  /** Methods already passed, for `requireAll`. */
  readonly satisfied = new Set<EmbeddedAuthMethod>();
  /** Run when the connection goes away: kill commands, close -R listeners. */
  readonly cleanups = new Set<() => void>();
  closed = false;

  constructor(readonly socket: Socket) {
    this.remoteAddress = socket.remoteAddress ?? "";
    this.remotePort = socket.remotePort ?? 0;
  }

  drop(): void {
    this.socket.destroy();
  }

  /** Registers a cleanup and returns a function that unregisters it. */
  onClose(cleanup: () => void): () => void {
    if (this.closed) {
      queueMicrotask(cleanup);
      return () => {};
    }
    this.cleanups.add(cleanup);
    return () => this.cleanups.delete(cleanup);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const cleanup of [...this.cleanups]) {
      try {
        cleanup();
      } catch {
        // Cleanup is best effort; one failure must not stop the others.
      }
    }
    this.cleanups.clear();
  }
}
