// SSH client, host keys, exec channels, typed errors

export { type AgentKey, describeKey, listAgentKeys } from "./client/agent-keys.js";
export { type AlgorithmPreferences, resolveAlgorithmList } from "./client/algorithms.js";
export type {
  KeyboardInteractiveChallenge,
  KeyboardInteractivePrompt,
  PassphrasePromptInfo,
  PasswordPromptInfo,
} from "./client/auth.js";
export { EarlyDial } from "./client/early-tcp-connect.js";
export { clientOptionsFromSshConfig, type SshConfigForClient } from "./client/from-ssh-config.js";
export type { InMemoryKey } from "./client/identities.js";
export type { SshClientOptions } from "./client/options.js";
export { type BackoffPolicy, backoffDelay } from "./client/retry.js";
export { type RunResult, SshClient, type SshClientEvents } from "./client/ssh-client.js";
export * from "./errors.js";
export { ChannelQueue, type ChannelQueueOptions, type ChannelSlot } from "./exec/channel-queue.js";
export type {
  EnvMode,
  ExecExit,
  ExecHandle,
  ExecOptions,
  ExecStopOptions,
  ExecStopOutcome,
  PtyOptions,
} from "./exec/types.js";
export {
  type ConnectViaOptions,
  connectVia,
  type JumpHostSpec,
  jumpHostsOf,
  openForwardedSocket,
} from "./jump/connect-via.js";
export {
  type ConnectWithSshConfigOptions,
  connectWithSshConfig,
  expandProxyCommand,
} from "./jump/connect-with-ssh-config.js";
export { type ProxyCommandOptions, ProxyCommandSocket, proxyCommandSocket } from "./jump/proxy-command.js";
export { hashHostName, knownHostsName } from "./known-hosts/host-pattern.js";
export { fingerprintSha256, keyTypeOfBlob } from "./known-hosts/key-blob.js";
export { checkHostKey, type HostKeyStatus } from "./known-hosts/lookup.js";
export { type KnownHostsEntry, type ParsedKnownHosts, parseKnownHosts } from "./known-hosts/parse.js";
export {
  type HostKeyPolicy,
  type HostKeyVerdict,
  type StrictHostKeyChecking,
  type UnknownHostKeyInfo,
  verifyHostKey,
} from "./known-hosts/verifier.js";
export { appendKnownHost, formatKnownHostsLine } from "./known-hosts/writer.js";
export { inlineEnvCommand, isValidEnvName, shellJoin, shellQuote } from "./quote.js";
export { SftpReadStream } from "./sftp/read-stream.js";
export { SftpFile } from "./sftp/sftp-file.js";
export { type OpenSftpOptions, SftpSession } from "./sftp/sftp-session.js";
export type { ProgressCallback } from "./sftp/transfer-state.js";
export type {
  GetDestination,
  GetOptions,
  PutOptions,
  PutSource,
  SftpDirEntry,
  SftpOpenFlags,
  SftpReadStreamOptions,
  SftpStats,
  SftpWriteStreamOptions,
  TransferOptions,
  TransferResult,
} from "./sftp/types.js";
export { SftpWriteStream } from "./sftp/write-stream.js";
export { DEFAULT_IDENTITY_FILES } from "./ssh-config/defaults.js";
// ssh_config resolution (also importable alone, without ssh2: "@fabric-ts/ssh-core/ssh-config")
export {
  type ExplainEntry,
  parseProxyJump,
  ResolvedSshConfig,
  type ResolveSshConfigOptions,
  resolveSshConfig,
  resolveSshConfigSync,
  SshConfigError,
  type SshConfigErrorCode,
  type UserHostPort,
} from "./ssh-config/index.js";
export { type DynamicForwardOptions, DynamicTunnel, forwardDynamic } from "./tunnels/dynamic-forward.js";
export { forwardLocal, type LocalForwardOptions, LocalTunnel } from "./tunnels/local-forward.js";
export { forwardRemote, type RemoteForwardOptions, RemoteTunnel } from "./tunnels/remote-forward.js";
export { Tunnel, type TunnelEvents } from "./tunnels/tunnel.js";
