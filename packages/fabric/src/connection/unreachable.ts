/**
 * Error codes meaning "could not get a working SSH connection to the host": the network, the
 * server's listener, the handshake, a jump host, or a drop of the connection itself. Authentication
 * and host key failures are not among them: the host answered, and refused us.
 */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  "CONNECT_REFUSED",
  "CONNECT_TIMEOUT",
  "HOST_UNREACHABLE",
  "HANDSHAKE_FAILED",
  "CONNECTION_LOST",
  "JUMP_HOST_FAILED",
]);

/** Whether `error` (typically from ssh-core, matched by `code`) means the host could not be reached. */
export function isUnreachableError(error: unknown): boolean {
  return UNREACHABLE_CODES.has(String((error as { code?: unknown } | null)?.code));
}
