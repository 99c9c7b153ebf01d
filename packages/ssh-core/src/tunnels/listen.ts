import { createServer, type Server, type Socket } from "node:net";
import { TunnelError } from "../errors.js";

export type ListenTarget = { host: string; port: number } | { path: string };

/** Listen on TCP or a unix socket; a failure becomes a BIND_FAILED {@link TunnelError}. */
export function listen(target: ListenTarget, onSocket: (socket: Socket) => void): Promise<Server> {
  // allowHalfOpen: a client's EOF must reach the remote side without cutting off the reply.
  const server = createServer({ allowHalfOpen: true, noDelay: true, pauseOnConnect: true }, onSocket);
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const where = "path" in target ? target.path : `${target.host}:${target.port}`;
      reject(
        new TunnelError("BIND_FAILED", `Cannot listen on ${where}: ${error.code ?? error.message}`, {
          cause: error,
        }),
      );
    };
    server.once("error", onError);
    server.listen("path" in target ? { path: target.path } : { host: target.host, port: target.port }, () => {
      server.off("error", onError);
      server.on("error", () => {});
      resolve(server);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
  });
}

export function describeSource(socket: Socket): string {
  return socket.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : "unix socket";
}
