import type { AddressInfo, Server, Socket } from "node:net";
import type { ClientChannel } from "ssh2";
import type { SshClient } from "../client/ssh-client.js";
import { formatHostPort, TunnelError } from "../errors.js";
import { closeServer, describeSource, listen } from "./listen.js";
import { Tunnel } from "./tunnel.js";

export type LocalForwardOptions =
  | {
      /** Default 127.0.0.1. */
      localHost?: string;
      /** 0 picks a free port (see `localPort` on the handle). */
      localPort: number;
      remoteHost: string;
      remotePort: number;
    }
  | {
      /** Unix socket to create locally. */
      localPath: string;
      /** Unix socket on the server (direct-streamlocal@openssh.com). */
      remotePath: string;
    };

/** `ssh -L`: connections to a local listener are carried to a host/port (or socket) seen from the server. */
export class LocalTunnel extends Tunnel {
  readonly localHost: string | undefined;
  readonly localPort: number | undefined;
  readonly localPath: string | undefined;
  readonly remoteHost: string | undefined;
  readonly remotePort: number | undefined;
  readonly remotePath: string | undefined;
  readonly #server: Server;

  /** @internal Use `forwardLocal()`. */
  constructor(server: Server, options: LocalForwardOptions) {
    super();
    this.#server = server;
    if ("localPath" in options) {
      this.localPath = options.localPath;
      this.remotePath = options.remotePath;
    } else {
      const address = server.address() as AddressInfo;
      this.localHost = address.address;
      this.localPort = address.port;
      this.remoteHost = options.remoteHost;
      this.remotePort = options.remotePort;
    }
  }

  protected stopListening(): Promise<void> {
    return closeServer(this.#server);
  }

  /** @internal */
  handle(client: SshClient, socket: Socket): void {
    const target = this.remotePath ?? formatHostPort(this.remoteHost ?? "", this.remotePort ?? 0);
    const done = (error: Error | undefined, channel: ClientChannel | undefined) => {
      if (error || !channel) {
        socket.destroy();
        this.reportError(
          new TunnelError(
            "REMOTE_CONNECT_FAILED",
            `Forwarded connection to ${target} failed on the server: ${error?.message ?? "no channel"}`,
            { cause: error },
          ),
        );
        return;
      }
      this.bridge(socket, channel, describeSource(socket));
      socket.resume();
    };
    try {
      if (this.remotePath !== undefined) {
        client.ssh2Client.openssh_forwardOutStreamLocal(this.remotePath, done);
      } else {
        client.ssh2Client.forwardOut(
          socket.remoteAddress ?? "127.0.0.1",
          socket.remotePort ?? 0,
          this.remoteHost ?? "",
          this.remotePort ?? 0,
          done,
        );
      }
    } catch (error) {
      done(error as Error, undefined);
    }
  }
}

/** Open a local forward on `client`. Rejects with a BIND_FAILED {@link TunnelError} when it cannot listen. */
export async function forwardLocal(client: SshClient, options: LocalForwardOptions): Promise<LocalTunnel> {
  let tunnel: LocalTunnel | undefined;
  const pending: Socket[] = [];
  const server = await listen(
    "localPath" in options
      ? { path: options.localPath }
      : { host: options.localHost ?? "127.0.0.1", port: options.localPort },
    (socket) => (tunnel ? tunnel.handle(client, socket) : pending.push(socket)),
  );
  tunnel = new LocalTunnel(server, options);
  for (const socket of pending) tunnel.handle(client, socket);
  void client.closed.then(() => tunnel?.close());
  return tunnel;
}
