import type { Socket } from "node:net";

/**
 * Counts the bytes crossing an authenticated connection in both directions and cuts the socket once the
 * current limit is reached. The limit is read on every chunk so a test can arm it while connected.
 */
export function countBytesAfterAuth(socket: Socket, limit: () => number | undefined): void {
  let total = 0;
  const count = (bytes: number) => {
    total += bytes;
    const max = limit();
    if (max !== undefined && total >= max && !socket.destroyed) socket.destroy();
  };
  socket.on("data", (chunk: Buffer) => count(chunk.length));
  const write = socket.write;
  socket.write = function countedWrite(this: Socket, chunk: Uint8Array | string, ...rest: unknown[]) {
    const written = (write as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    count(typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length);
    return written;
  } as Socket["write"];
}
