import type { AddressInfo, Server, Socket } from "node:net";
import type { ClientChannel } from "ssh2";
import type { SshClient } from "../client/ssh-client.js";
import { formatHostPort, TunnelError } from "../errors.js";
import { closeServer, describeSource, listen } from "./listen.js";
import { readSocksRequest, socksFailure, socksSuccess } from "./socks.js";
import { Tunnel } from "./tunnel.js";

export interface DynamicForwardOptions {
  /** Default 127.0.0.1. */
  localHost?: string;
  /** 0 picks a free port. */
  localPort: number;
}

/** `ssh -D`: a local SOCKS5 / SOCKS4a proxy whose connections are opened by the server. */
export class DynamicTunnel extends Tunnel {
  readonly localHost: string;
  readonly localPort: number;
  readonly #server: Server;

  /** @internal Use `forwardDynamic()`. */
  constructor(server: Server) {
    super();
    this.#server = server;
    const address = server.address() as AddressInfo;
    this.localHost = address.address;
    this.localPort = address.port;
  }

  protected stopListening(): Promise<void> {
    return closeServer(this.#server);
  }

  /** @internal */
  async handle(client: SshClient, socket: Socket): Promise<void> {
    socket.on("error", () => {});
    let request: Awaited<ReturnType<typeof readSocksRequest>>;
    try {
      request = await readSocksRequest(socket);
    } catch (error) {
      socket.destroy();
      if (error instanceof TunnelError) this.reportError(error);
      return;
    }
    const target = formatHostPort(request.host, request.port);
    const done = (error: Error | undefined, channel: ClientChannel | undefined) => {
      if (error || !channel) {
        const reason = (error as { reason?: number } | undefined)?.reason;
        socket.end(socksFailure(request.version, reason));
        this.reportError(
          new TunnelError(
            "REMOTE_CONNECT_FAILED",
            `SOCKS connection to ${target} failed on the server: ${error?.message ?? "no channel"}`,
            { cause: error },
          ),
        );
        return;
      }
      socket.write(socksSuccess(request.version));
      if (request.rest.length > 0) channel.write(request.rest);
      this.bridge(socket, channel, describeSource(socket));
      socket.resume();
    };
    try {
      client.ssh2Client.forwardOut(
        socket.remoteAddress ?? "127.0.0.1",
        socket.remotePort ?? 0,
        request.host,
        request.port,
        done,
      );
    } catch (error) {
      done(error as Error, undefined);
    }
  }
}

/** Start a SOCKS proxy on `client`. Rejects with a BIND_FAILED {@link TunnelError} when it cannot listen. */
export async function forwardDynamic(
  client: SshClient,
  options: DynamicForwardOptions,
): Promise<DynamicTunnel> {
  let tunnel: DynamicTunnel | undefined;
  const pending: Socket[] = [];
  const server = await listen(
    { host: options.localHost ?? "127.0.0.1", port: options.localPort },
    (socket) => (tunnel ? void tunnel.handle(client, socket) : pending.push(socket)),
  );
  tunnel = new DynamicTunnel(server);
  for (const socket of pending) void tunnel.handle(client, socket);
  void client.closed.then(() => tunnel?.close());
  return tunnel;
}
