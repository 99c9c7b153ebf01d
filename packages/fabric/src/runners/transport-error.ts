// Named rather than instanceof-checked: ssh-core may be loaded twice (src and dist).
const SSH_ERROR_NAMES = new Set([
  "SshError",
  "SshConnectError",
  "SshHandshakeError",
  "SshAuthError",
  "HostKeyError",
  "KeyFileError",
  "ChannelOpenError",
  "ConnectionLostError",
  "NotConnectedError",
  "SftpError",
  "TunnelError",
  "JumpHostError",
]);

/**
 * The SSH error behind a runner failure. Invoke's Runner wraps anything its process throws in a
 * SpawnError; for a remote command that would hide the typed ssh-core error (`CONNECTION_LOST`,
 * `CONNECT_REFUSED` …) that callers, groups and retry policies switch on, so it is unwrapped.
 */
export function transportError(error: unknown): unknown {
  if (!(error instanceof Error) || error.name !== "SpawnError") return error;
  const cause = error.cause;
  return cause instanceof Error && SSH_ERROR_NAMES.has(cause.name) ? cause : error;
}
