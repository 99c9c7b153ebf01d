import type { LocalTunnel, RemoteTunnel } from "@fabric-ts/ssh-core";

/** `forwardLocal()` options (Fabric's `forward_local` arguments). */
export interface ForwardLocalOptions {
  /** Local port to listen on (0 picks a free one; then give `remotePort`). */
  localPort: number;
  /** Port on `remoteHost`, as seen from the server. Default: `localPort`. */
  remotePort?: number;
  /** Host the server connects to. Default `localhost` (the server itself). */
  remoteHost?: string;
  /** Local address to listen on. Default `127.0.0.1` (what Fabric's `localhost` bound to). */
  localHost?: string;
}

/** `forwardRemote()` options (Fabric's `forward_remote` arguments). */
export interface ForwardRemoteOptions {
  /** Port the server listens on (0 lets it pick; then give `localPort`). */
  remotePort: number;
  /** Local port connections are carried to. Default: `remotePort`. */
  localPort?: number;
  /** Address the server listens on. Default `127.0.0.1` (its loopback only). */
  remoteHost?: string;
  /** Local host connections are carried to. Default `127.0.0.1`. */
  localHost?: string;
}

/** The body of a scoped forward: runs while the tunnel is up, which is closed when it settles. */
export type TunnelBody<T extends LocalTunnel | RemoteTunnel, R> = (tunnel: T) => R | Promise<R>;

export function localForwardSpec(options: ForwardLocalOptions) {
  const remotePort = options.remotePort ?? options.localPort;
  if (remotePort === 0) throw new RangeError("forwardLocal(): give remotePort when localPort is 0");
  return {
    localHost: options.localHost ?? "127.0.0.1",
    localPort: options.localPort,
    remoteHost: options.remoteHost ?? "localhost",
    remotePort,
  };
}

export function remoteForwardSpec(options: ForwardRemoteOptions) {
  const localPort = options.localPort ?? options.remotePort;
  if (localPort === 0) throw new RangeError("forwardRemote(): give localPort when remotePort is 0");
  return {
    remoteHost: options.remoteHost ?? "127.0.0.1",
    remotePort: options.remotePort,
    localHost: options.localHost ?? "127.0.0.1",
    localPort,
  };
}

/** Run `body` with the tunnel open and close the tunnel afterwards, whatever happened. */
export async function withTunnel<T extends LocalTunnel | RemoteTunnel, R>(
  tunnel: T,
  body: TunnelBody<T, R>,
): Promise<R> {
  try {
    return await body(tunnel);
  } finally {
    await tunnel.close();
  }
}
