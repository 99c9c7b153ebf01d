// Helpers for the reliability suites: Connections to embedded hosts, waiting for a connection to drop.
import { FabricConfig } from "../../src/config/fabric-config.js";
import type { Connection } from "../../src/connection/connection.js";

export {
  type EmbeddedHost,
  type EmbeddedHosts,
  startEmbeddedHosts,
} from "@fabric-ts/testing";

/** A FabricConfig reading only `sshConfigPath` (aliases, users, keys, known_hosts), no agent. */
export function configFor(sshConfigPath: string): FabricConfig {
  const config = new FabricConfig({ lazy: true, runtimeSshPath: sshConfigPath, env: {} });
  config.set("connectKwargs", { agent: false });
  return config;
}

/** Resolves once the Connection's current SSH connection has ended (returns its error code). */
export async function connectionEnded(c: Connection): Promise<string | undefined> {
  const client = c.client;
  if (!client) return undefined;
  const { error } = await client.closed;
  return error?.code;
}
