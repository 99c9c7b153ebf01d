import { connect, createServer, type Server, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import type {
  AcceptConnection,
  Connection,
  RejectConnection,
  ServerChannel,
  TcpipBindInfo,
  TcpipRequestInfo,
} from "ssh2";
import type { ConnectionState } from "./connection-state.js";
import { loopbackTarget } from "./loopback.js";
import type { HostRuntime } from "./runtime.js";

/** Joins a TCP socket and an SSH channel; either side closing tears down the other. */
function splice(socket: Socket, channel: Duplex, state: ConnectionState): void {
  const forget = state.onClose(() => socket.destroy());
  socket.setNoDelay(true);
  socket.pipe(channel);
  channel.pipe(socket);
  socket.on("error", () => channel.destroy());
  channel.on("error", () => socket.destroy());
  channel.on("close", () => socket.destroy());
  socket.on("close", () => {
    forget();
    channel.end();
  });
}

/** A client -L connection: the host connects to the target (loopback only) and relays. */
export function serveDirectTcpip(
  accept: AcceptConnection<ServerChannel>,
  reject: RejectConnection,
  info: TcpipRequestInfo,
  state: ConnectionState,
  host: HostRuntime,
): void {
  const target = loopbackTarget(info.destIP);
  const report = (accepted: boolean) =>
    host.emit("forward", {
      connection: state,
      kind: "local",
      host: info.destIP,
      port: info.destPort,
      accepted,
    });
  if (!target) {
    reject();
    report(false);
    return;
  }
  const socket = connect({ host: target, port: info.destPort });
  socket.once("error", () => {
    reject();
    report(false);
  });
  socket.once("connect", () => {
    socket.removeAllListeners("error");
    splice(socket, accept(), state);
    report(true);
  });
}

/** The -R listeners of one connection, keyed by the address and port the client asked for. */
export class RemoteForwards {
  private readonly listeners = new Map<string, Server>();

  constructor(
    private readonly client: Connection,
    private readonly state: ConnectionState,
    private readonly host: HostRuntime,
  ) {
    state.onClose(() => {
      for (const key of [...this.listeners.keys()]) this.close(key);
    });
  }

  private report(kind: "remote-listen" | "remote-cancel", info: TcpipBindInfo, accepted: boolean) {
    this.host.emit("forward", {
      connection: this.state,
      kind,
      host: info.bindAddr,
      port: info.bindPort,
      accepted,
    });
  }

  /** Listens on loopback whatever address was asked for (sshd's `GatewayPorts no`). */
  listen(info: TcpipBindInfo, accept?: (port?: number) => void, reject?: () => void): void {
    let boundPort = info.bindPort;
    const server = createServer((socket) => {
      socket.pause();
      this.client.forwardOut(
        info.bindAddr,
        boundPort,
        socket.remoteAddress ?? "127.0.0.1",
        socket.remotePort ?? 0,
        (error, channel) => {
          if (error) return socket.destroy();
          splice(socket, channel, this.state);
          socket.resume();
        },
      );
    });
    server.once("error", () => {
      reject?.();
      this.report("remote-listen", info, false);
    });
    server.listen(info.bindPort, loopbackTarget(info.bindAddr) ?? "127.0.0.1", () => {
      const address = server.address();
      boundPort = typeof address === "object" && address ? address.port : info.bindPort;
      this.listeners.set(`${info.bindAddr}:${boundPort}`, server);
      accept?.(boundPort);
      this.report("remote-listen", { bindAddr: info.bindAddr, bindPort: boundPort }, true);
    });
  }

  cancel(info: TcpipBindInfo, accept?: () => void, reject?: () => void): void {
    const key = `${info.bindAddr}:${info.bindPort}`;
    const found = this.listeners.has(key)
      ? key
      : [...this.listeners.keys()].find((k) => k.endsWith(`:${info.bindPort}`));
    if (found === undefined) {
      reject?.();
    } else {
      this.close(found);
      accept?.();
    }
    this.report("remote-cancel", info, found !== undefined);
  }

  /** Stops listening; connections already forwarded stay up, as with sshd. */
  private close(key: string): void {
    this.listeners.get(key)?.close();
    this.listeners.delete(key);
  }
}
