import type { Duplex } from "node:stream";
import type { ClientChannel } from "ssh2";
import type { SshClientOptions } from "../client/options.js";
import { SshClient } from "../client/ssh-client.js";
import { formatHostPort, type JumpHop, JumpHostError } from "../errors.js";
import type { ProxyCommandSocket } from "./proxy-command.js";

/** A jump host to connect (optionally named for error messages), or an existing connection to reuse. */
export type JumpHostSpec = (SshClientOptions & { name?: string }) | SshClient;

export interface ConnectViaOptions {
  target: SshClientOptions;
  /** In connection order: the first is dialled directly, each next one through the previous. */
  jumps: readonly JumpHostSpec[];
}

const jumpChains = new WeakMap<SshClient, readonly SshClient[]>();

/** The jump-host connections a client was reached through (first hop first); [] for direct ones. */
export function jumpHostsOf(client: SshClient): readonly SshClient[] {
  return jumpChains.get(client) ?? [];
}

function hopOf(spec: JumpHostSpec, index: number): JumpHop {
  const options =
    spec instanceof SshClient ? { host: spec.host, port: spec.port, username: spec.username } : spec;
  return {
    index,
    name: (spec instanceof SshClient ? undefined : spec.name) ?? options.host,
    host: options.host,
    port: options.port ?? 22,
    username: options.username,
  };
}

function describeHop(hop: JumpHop): string {
  const where = formatHostPort(hop.host, hop.port);
  const who = hop.username ? `${hop.username}@${where}` : where;
  if (hop.name.startsWith("ProxyCommand ")) return `${hop.name} (for ${who})`;
  return hop.name === hop.host ? `jump host ${who}` : `jump host ${hop.name} (${who})`;
}

/** A direct-tcpip channel from `via` to host:port, to carry the next hop's SSH connection. */
export function openForwardedSocket(via: SshClient, host: string, port: number): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    try {
      via.ssh2Client.forwardOut(
        "127.0.0.1",
        0,
        host,
        port,
        (error: Error | undefined, channel: ClientChannel) => (error ? reject(error) : resolve(channel)),
      );
    } catch (error) {
      reject(error);
    }
  });
}

/**
 * Connect to `target` through a chain of jump hosts (OpenSSH's ProxyJump order). Failures of a hop
 * are {@link JumpHostError}s naming it; a failure of the target itself is the target's own error.
 * Hops opened here are closed when the target connection closes; reused SshClients are left open.
 */
export async function connectVia(options: ConnectViaOptions): Promise<SshClient> {
  const owned: SshClient[] = [];
  const chain: SshClient[] = [];
  const closeOwned = async () => {
    for (const hop of owned.reverse()) await hop.close().catch(() => {});
  };
  try {
    let previous: { client: SshClient; hop: JumpHop } | undefined;
    for (const [index, spec] of options.jumps.entries()) {
      const hop = hopOf(spec, index);
      let client: SshClient;
      if (spec instanceof SshClient) {
        client = spec;
      } else {
        const { name: _name, ...connect } = spec;
        const sock = previous
          ? await openThrough(previous, hop, connect.host, connect.port ?? 22)
          : connect.sock;
        client = await connectHop(hop, { ...connect, ...(sock ? { sock } : {}) });
        owned.push(client);
      }
      chain.push(client);
      previous = { client, hop };
    }
    const target = options.target;
    const sock = previous
      ? await openThrough(previous, undefined, target.host, target.port ?? 22)
      : target.sock;
    const client = await SshClient.connect({ ...target, ...(sock ? { sock } : {}) });
    jumpChains.set(client, chain);
    void client.closed.then(closeOwned);
    return client;
  } catch (error) {
    await closeOwned();
    throw error;
  }
}

/**
 * Open the channel for the next connection. When it fails, the hop being reached is the one that
 * is down (or the previous hop is the one that cannot reach the target).
 */
async function openThrough(
  previous: { client: SshClient; hop: JumpHop },
  next: JumpHop | undefined,
  host: string,
  port: number,
): Promise<Duplex> {
  try {
    return await openForwardedSocket(previous.client, host, port);
  } catch (error) {
    const reason = (error as Error).message;
    const message = next
      ? `${capitalise(describeHop(next))} is unreachable through ${describeHop(previous.hop)}: ${reason}`
      : `${capitalise(describeHop(previous.hop))} could not open a connection to the target ${formatHostPort(host, port)}: ${reason}`;
    throw new JumpHostError(next ?? previous.hop, message, { cause: error });
  }
}

async function connectHop(hop: JumpHop, options: SshClientOptions): Promise<SshClient> {
  try {
    return await SshClient.connect(options);
  } catch (error) {
    throw await hopFailure(hop, error, options.sock);
  }
}

/** Wrap a hop's failure; for a ProxyCommand transport, add its exit status and stderr. */
export async function hopFailure(
  hop: JumpHop,
  error: unknown,
  sock: Duplex | undefined,
): Promise<JumpHostError> {
  if (error instanceof JumpHostError) return error;
  let detail = error instanceof Error ? error.message : String(error);
  const command = sock as Partial<ProxyCommandSocket> | undefined;
  if (command && typeof command.command === "string" && command.exited) {
    sock?.destroy();
    await command.exited;
    const status = command.exitSignal ? `killed by ${command.exitSignal}` : `exit status ${command.exitCode}`;
    detail += ` (ProxyCommand ${status}${command.stderrTail ? `; stderr: ${command.stderrTail}` : ""})`;
  }
  const message = `${capitalise(describeHop(hop))} failed: ${detail}`;
  return new JumpHostError(hop, message, { cause: error });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
