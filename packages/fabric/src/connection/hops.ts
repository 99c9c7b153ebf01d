import type { UserHostPort } from "@fabric-ts/ssh-core/ssh-config";
import type { FabricConfig } from "../config/fabric-config.js";
import { ConnectionSpecError } from "../errors/index.js";
import type { Connection, ConnectionOptions } from "./connection.js";

type MakeConnection = (host: string, options: ConnectionOptions) => Connection;

/** Hop Connections per config, so targets behind the same bastion share its one transport. */
const sharedHops = new WeakMap<FabricConfig, Map<string, Connection>>();
/** Hops being built right now (a hop's own ssh_config may name further hops). */
let depth = 0;
const MAX_DEPTH = 16;

/**
 * The Connection for one ProxyJump hop, reached through `previous` (the hop before it), or through
 * whatever its own ssh_config says when it is the first hop. Hops are full Connections with their own
 * ssh_config lookup and a clone of the target's config; the same hop (and chain) is reused by every
 * Connection sharing that config object.
 */
export function hopConnection(
  config: FabricConfig,
  hop: UserHostPort,
  previous: Connection | undefined,
  make: MakeConnection,
): Connection {
  let hops = sharedHops.get(config);
  if (!hops) {
    hops = new Map();
    sharedHops.set(config, hops);
  }
  const key = `${hop.user ?? ""}@${hop.host}:${hop.port ?? ""}<${previous ? hopKey(previous) : ""}`;
  const existing = hops.get(key);
  if (existing) return existing;
  if (depth >= MAX_DEPTH) {
    throw new ConnectionSpecError(`ProxyJump chain deeper than ${MAX_DEPTH} hops (a loop?) at ${hop.host}`);
  }
  depth++;
  try {
    const connection = make(hop.host, {
      config: config.clone(),
      ...(hop.user === undefined ? {} : { user: hop.user }),
      ...(hop.port === undefined ? {} : { port: hop.port }),
      ...(previous ? { gateway: previous } : {}),
    });
    hops.set(key, connection);
    return connection;
  } finally {
    depth--;
  }
}

function hopKey(connection: Connection): string {
  return `${connection.user}@${connection.host}:${connection.port}`;
}
