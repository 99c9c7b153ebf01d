import { connect } from "node:net";
import type ssh2 from "ssh2";
import type { Channel } from "ssh2";
import type { SshClient } from "../client/ssh-client.js";
import { formatHostPort, TunnelError } from "../errors.js";
import { Tunnel } from "./tunnel.js";

export type RemoteForwardOptions =
  | {
      /** Address the server binds. Default 127.0.0.1 (sshd only binds others with GatewayPorts). */
      remoteHost?: string;
      /** 0 lets the server pick; the handle reports the port it chose. */
      remotePort: number;
      /** Default 127.0.0.1. */
      localHost?: string;
      localPort: number;
    }
  | {
      /** Unix socket the server creates (streamlocal-forward@openssh.com). */
      remotePath: string;
      /** Local unix socket each connection is carried to. */
      localPath: string;
    };

type Accept = () => Channel;
type Reject = () => void;

/** One dispatcher per ssh2 client routes server-initiated channels to the tunnel that asked for them. */
const dispatchers = new WeakMap<ssh2.Client, Map<string, RemoteTunnel>>();

function routes(client: ssh2.Client): Map<string, RemoteTunnel> {
  let table = dispatchers.get(client);
  if (table) return table;
  const created = new Map<string, RemoteTunnel>();
  table = created;
  dispatchers.set(client, created);
  client.on("tcp connection", (info, accept: Accept, reject: Reject) => {
    const tunnel = created.get(tcpKey(info.destIP, info.destPort));
    if (tunnel) tunnel.accept(accept, `${info.srcIP}:${info.srcPort}`);
    else reject();
  });
  client.on("unix connection", (info, accept: Accept, reject: Reject) => {
    const tunnel = created.get(unixKey(info.socketPath));
    if (tunnel) tunnel.accept(accept, info.socketPath);
    else reject();
  });
  return created;
}

const tcpKey = (host: string, port: number) => `tcp:${host}:${port}`;
const unixKey = (path: string) => `unix:${path}`;

/** `ssh -R`: the server listens and carries each connection back to a local host/port (or socket). */
export class RemoteTunnel extends Tunnel {
  readonly remoteHost: string | undefined;
  /** The port the server bound (the assigned one when 0 was asked for). */
  readonly remotePort: number | undefined;
  readonly remotePath: string | undefined;
  readonly localHost: string | undefined;
  readonly localPort: number | undefined;
  readonly localPath: string | undefined;
  readonly #client: SshClient;
  readonly #key: string;

  /** @internal Use `forwardRemote()`. */
  constructor(client: SshClient, options: RemoteForwardOptions, boundPort: number | undefined) {
    super();
    this.#client = client;
    if ("remotePath" in options) {
      this.remotePath = options.remotePath;
      this.localPath = options.localPath;
      this.#key = unixKey(options.remotePath);
    } else {
      this.remoteHost = options.remoteHost ?? "127.0.0.1";
      this.remotePort = boundPort;
      this.localHost = options.localHost ?? "127.0.0.1";
      this.localPort = options.localPort;
      this.#key = tcpKey(this.remoteHost, boundPort ?? 0);
    }
    routes(client.ssh2Client).set(this.#key, this);
  }

  /** @internal */
  accept(accept: Accept, source: string): void {
    if (this.isClosed) return;
    const channel = accept();
    const socket =
      this.localPath !== undefined
        ? connect({ path: this.localPath, allowHalfOpen: true })
        : connect({
            host: this.localHost ?? "127.0.0.1",
            port: this.localPort ?? 0,
            allowHalfOpen: true,
            noDelay: true,
          });
    const target = this.localPath ?? formatHostPort(this.localHost ?? "", this.localPort ?? 0);
    const onConnectError = (error: NodeJS.ErrnoException) => {
      channel.destroy();
      this.reportError(
        new TunnelError(
          "LOCAL_CONNECT_FAILED",
          `Forwarded connection from the server could not reach ${target}: ${error.code ?? error.message}`,
          { cause: error },
        ),
      );
    };
    socket.once("error", onConnectError);
    socket.once("connect", () => {
      socket.off("error", onConnectError);
      this.bridge(socket, channel, source);
    });
  }

  protected async stopListening(): Promise<void> {
    const table = routes(this.#client.ssh2Client);
    if (table.get(this.#key) === this) table.delete(this.#key);
    if (!this.#client.isConnected) return;
    await new Promise<void>((resolve) => {
      const done = () => resolve();
      try {
        if (this.remotePath !== undefined) {
          this.#client.ssh2Client.openssh_unforwardInStreamLocal(this.remotePath, done);
        } else {
          this.#client.ssh2Client.unforwardIn(this.remoteHost ?? "", this.remotePort ?? 0, done);
        }
      } catch {
        resolve();
      }
    });
  }
}

/** Ask the server to listen. Rejects with a REMOTE_BIND_REFUSED {@link TunnelError} when it will not. */
export async function forwardRemote(client: SshClient, options: RemoteForwardOptions): Promise<RemoteTunnel> {
  const raw = client.ssh2Client;
  const where =
    "remotePath" in options
      ? options.remotePath
      : formatHostPort(options.remoteHost ?? "127.0.0.1", options.remotePort);
  const port = await new Promise<number | undefined>((resolve, reject) => {
    const done = (error: Error | undefined, bound?: number) => {
      if (error) {
        reject(
          new TunnelError(
            "REMOTE_BIND_REFUSED",
            `The server refused to listen on ${where}: ${error.message}`,
            { cause: error },
          ),
        );
      } else resolve(bound);
    };
    try {
      if ("remotePath" in options)
        raw.openssh_forwardInStreamLocal(options.remotePath, (error) => done(error ?? undefined));
      else raw.forwardIn(options.remoteHost ?? "127.0.0.1", options.remotePort, done);
    } catch (error) {
      done(error as Error);
    }
  });
  const tunnel = new RemoteTunnel(client, options, port);
  void client.closed.then(() => tunnel.close());
  return tunnel;
}
