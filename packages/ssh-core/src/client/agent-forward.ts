import { stat } from "node:fs/promises";

/** What decides which local agent a connection may forward. */
export interface AgentForwardInput {
  /** The auth agent: a socket path, `false`/`"none"` for none, undefined for `$SSH_AUTH_SOCK`. */
  agent?: string | false | undefined;
  /** The `agentForward` option: `true`, `false`, or a socket path of its own. */
  agentForward?: boolean | string | undefined;
  env?: NodeJS.ProcessEnv;
}

/** The local agent socket forwarding would use, and whether sessions ask for it by default. */
export interface AgentForwardPlan {
  /** An existing Unix socket, or null when there is nothing to forward. */
  socket: string | null;
  /** Sessions request forwarding unless told otherwise per command. */
  byDefault: boolean;
}

/**
 * Pick the agent socket to forward, as OpenSSH does: a path given to ForwardAgent wins, else the
 * auth agent (IdentityAgent / `$SSH_AUTH_SOCK`). A socket that does not exist (no agent running)
 * means no forwarding rather than an error, so `ForwardAgent yes` in a shared ssh_config is harmless.
 */
export async function planAgentForward(input: AgentForwardInput): Promise<AgentForwardPlan> {
  const env = input.env ?? process.env;
  const named =
    typeof input.agentForward === "string" && input.agentForward !== "" ? input.agentForward : null;
  const auth = input.agent === undefined ? env.SSH_AUTH_SOCK : input.agent;
  const candidate = named ?? (typeof auth === "string" && auth !== "" && auth !== "none" ? auth : null);
  const socket = candidate !== null && (await isSocket(candidate)) ? candidate : null;
  return {
    socket,
    byDefault: socket !== null && input.agentForward !== undefined && input.agentForward !== false,
  };
}

async function isSocket(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isSocket();
  } catch {
    return false;
  }
}
