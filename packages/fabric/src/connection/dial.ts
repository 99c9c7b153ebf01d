// Dialling one Connection: through its gateway (a ProxyJump Connection or a ProxyCommand), a warm
// master, the `fab` CLI's head-start socket, or a fresh TCP connect; then the ssh-core handshake.
import type { Duplex } from "node:stream";
import type { SshClient } from "@fabric-ts/ssh-core";
import { ConnectionSpecError } from "../errors/index.js";
import { clientOverrides } from "./connect-kwargs.js";
import type { Connection } from "./connection.js";
import { gatewayError } from "./gateway-error.js";
import { claimEarlyDial } from "./head-start.js";
import { withHostKeyConfigHint } from "./host-key-hint.js";
import type { ConnectionState } from "./state.js";
import { connectWarm, warmSettings } from "./warm.js";

/**
 * Connect and authenticate `target`'s SSH client and record it in `state`, which it keeps up to date
 * when the client closes (`lost` after a drop). A gateway stream is destroyed with the client.
 */
export async function dial(target: Connection, state: ConnectionState): Promise<SshClient> {
  const overrides = clientOverrides(target.connectKwargs);
  const { SshClient, clientOptionsFromSshConfig } = await import("@fabric-ts/ssh-core");
  const sock = target.gateway === null ? undefined : await target.openGateway();
  const earlyDial = sock ? null : claimEarlyDial();
  try {
    const options = clientOptionsFromSshConfig(target.sshConfig, {
      host: target.host,
      port: target.port,
      username: target.user,
      identityFiles: [...target.identityFiles],
      agentForward: target.forwardAgentSocket ?? target.forwardAgent,
      ...(target.connectTimeout !== null && target.connectTimeout > 0
        ? { connectTimeout: target.connectTimeout * 1000 }
        : {}),
      ...overrides,
      ...(sock ? { sock } : {}),
    });
    // Warm connections (persist / ControlPersist): direct connections only; null falls back.
    const warm = sock ? null : warmSettings(target.sshConfig, target.config);
    const viaMaster = warm ? await connectWarm(options, warm) : null;
    if (viaMaster) earlyDial?.discard();
    const client =
      viaMaster ?? (await SshClient.connect({ ...options, ...(earlyDial ? { earlyDial } : {}) }));
    state.client = client;
    state.lost = false;
    if (sock) state.onClose.push(() => void sock.destroy());
    client.once("close", ({ error }) => {
      if (state.client === client) state.client = null;
      if (error) state.lost = true;
      sock?.destroy();
    });
    return client;
  } catch (error) {
    sock?.destroy();
    throw withHostKeyConfigHint(error);
  }
}

/**
 * A stream to `target`'s host through its gateway: a `direct-tcpip` channel when the gateway is a
 * Connection (holding a lease on it until the stream closes), the ProxyCommand's stdin/stdout when it
 * is a command string.
 * @throws {ConnectionSpecError} when there is no gateway.
 */
export async function openGatewayStream(target: Connection): Promise<Duplex> {
  const gateway = target.gateway;
  if (gateway === null) throw new ConnectionSpecError(`${target} has no gateway`);
  const { expandProxyCommand, JumpHostError, openForwardedSocket, proxyCommandSocket } = await import(
    "@fabric-ts/ssh-core"
  );
  if (typeof gateway === "string") {
    return proxyCommandSocket(expandProxyCommand(gateway, target.originalHost, target.sshConfig));
  }
  const blame = (stage: "connect" | "forward", error: unknown) =>
    gatewayError(JumpHostError, gateway, target, stage, error);
  const client = await gateway.acquireLease().catch((error: unknown) => {
    throw blame("connect", error);
  });
  try {
    const stream = await openForwardedSocket(client, target.host, target.port);
    stream.once("close", () => void gateway.releaseLease());
    return stream;
  } catch (error) {
    await gateway.releaseLease();
    throw blame("forward", error);
  }
}
