/**
 * `fab --list-agent-keys`: one line per key of the agent at `$SSH_AUTH_SOCK`, in Fabric's format
 * `{bits} {fingerprint} {comment} ({algorithm})` (the same as `ssh-add -l`).
 * @throws {Error} when no agent can be reached (Fabric printed nothing and exited 0).
 */
export async function agentKeyLines(
  socket: string | undefined = process.env.SSH_AUTH_SOCK,
): Promise<string[]> {
  if (!socket)
    throw new Error("Could not open a connection to your authentication agent (SSH_AUTH_SOCK is not set).");
  const { listAgentKeys } = await import("@fabric-ts/ssh-core");
  let keys: Awaited<ReturnType<typeof listAgentKeys>>;
  try {
    keys = await listAgentKeys(socket);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not open a connection to your authentication agent at ${socket}: ${why}`, {
      cause: error,
    });
  }
  return keys.map((key) => `${key.bits} ${key.fingerprint} ${key.comment} (${key.algorithm})`);
}
