import type { JumpHostError } from "@fabric-ts/ssh-core";
import { isSshError } from "@fabric-ts/ssh-core/errors";

type JumpHostErrorClass = typeof JumpHostError;

/** What the message needs to know about the gateway Connection. */
export interface GatewayInfo {
  originalHost: string;
  host: string;
  port: number;
  user: string;
}

/**
 * A failure reaching a target through its gateway Connection, as a JumpHostError naming the
 * gateway (which the bare ssh-core error does not: "Connection refused by 10.0.0.1:22",
 * "Channel open failure"). An error already naming a deeper hop is passed on unchanged.
 */
export function gatewayError(
  JumpHostErrorCtor: JumpHostErrorClass,
  gateway: GatewayInfo,
  target: { host: string; port: number },
  stage: "connect" | "forward",
  error: unknown,
): unknown {
  if (isSshError(error, "JumpHostError")) return error;
  const where = `${gateway.user}@${gateway.host}:${gateway.port}`;
  const name =
    gateway.originalHost === gateway.host ? `gateway ${where}` : `gateway ${gateway.originalHost} (${where})`;
  const reason = error instanceof Error ? error.message : String(error);
  const what =
    stage === "connect"
      ? `${capitalize(name)} is unreachable`
      : `${capitalize(name)} could not open a tunnel to ${target.host}:${target.port}`;
  return new JumpHostErrorCtor(
    { index: 0, name: gateway.originalHost, host: gateway.host, port: gateway.port, username: gateway.user },
    `${what}: ${reason}`,
    { cause: error },
  );
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
