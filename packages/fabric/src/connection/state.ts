import type { SshClient } from "@fabric-ts/ssh-core";
import { GatewayLeases } from "./gateway-leases.js";

/**
 * What a Connection and the contexts derived from it with `cd()` / `prefix()` share: the SSH client
 * (open, or being opened) and what hangs on it. The SFTP session is the client's own (`client.sftp()`).
 */
export class ConnectionState {
  client: SshClient | null = null;
  opening: Promise<SshClient> | null = null;
  /** Fired by `close()` to stop a reconnect that is backing off between tries. */
  stopReconnect: AbortController | null = null;
  /** The remote login directory, once asked for. */
  home: Promise<string> | null = null;
  /** The last connection ended by a loss rather than by `close()`. */
  lost = false;
  /** The targets tunnelling through this connection when it is their gateway. */
  readonly leases = new GatewayLeases();
  /** Run by `close()` before the client closes (e.g. destroying a gateway stream). */
  readonly onClose: (() => Promise<void> | void)[] = [];
}
