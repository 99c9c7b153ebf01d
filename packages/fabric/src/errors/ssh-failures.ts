import { isSshError, type SshError, type SshErrorCode } from "@fabric-ts/ssh-core/errors";

/**
 * ssh-core codes meaning "could not get a working SSH connection to the host": the network, the
 * server's listener, the handshake, a jump host, or a drop of the connection itself. Authentication
 * and host key failures are not among them: the host answered, and refused us. This one list
 * decides `skipUnreachable`, reconnection and the "unreachable" status of a host's outcome.
 */
export const UNREACHABLE_CODES: ReadonlySet<SshErrorCode> = new Set<SshErrorCode>([
  "CONNECT_REFUSED",
  "CONNECT_TIMEOUT",
  "HOST_UNREACHABLE",
  "HANDSHAKE_FAILED",
  "CONNECTION_LOST",
  "JUMP_HOST_FAILED",
]);

/** Whether `error` is an ssh-core error (from any copy of it) meaning the host could not be reached. */
export function isUnreachableError(error: unknown): error is SshError {
  return isSshError(error) && UNREACHABLE_CODES.has(error.code);
}

/**
 * ssh-core codes of a failure of the SSH session a command runs over (connecting, authenticating,
 * the host key, the channel, SFTP, tunnels, jump hosts). Not among them: `ABORTED` (the caller
 * cancelled) and the local set-up problems of ssh_config and the control directory.
 */
const TRANSPORT_CODES: ReadonlySet<SshErrorCode> = new Set<SshErrorCode>([
  "CONNECT_REFUSED",
  "CONNECT_TIMEOUT",
  "HOST_UNREACHABLE",
  "HANDSHAKE_FAILED",
  "AUTH_FAILED",
  "HOST_KEY_MISMATCH",
  "HOST_KEY_UNKNOWN",
  "HOST_KEY_REVOKED",
  "CHANNEL_OPEN_FAILED",
  "CONNECTION_LOST",
  "NOT_CONNECTED",
  "KEY_UNREADABLE",
  "BAD_PASSPHRASE",
  "SFTP_FAILED",
  "TUNNEL_FAILED",
  "JUMP_HOST_FAILED",
]);

/** Whether `error` is an ssh-core error about the SSH session itself (see TRANSPORT_CODES). */
export function isTransportError(error: unknown): error is SshError {
  return isSshError(error) && TRANSPORT_CODES.has(error.code);
}
