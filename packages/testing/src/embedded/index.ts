export type { FaultPlan } from "./faults.js";
export { type EmbeddedClientKey, EmbeddedHost } from "./host.js";
export { loadPty, type PtyModule, type PtyProcess } from "./pty.js";
export { sendExitAfterEof } from "./ssh2-internals.js";
export { type EmbeddedHosts, startEmbeddedHosts } from "./start.js";
export type {
  EmbeddedAuthEvent,
  EmbeddedAuthMethod,
  EmbeddedChannelEvent,
  EmbeddedConnectionInfo,
  EmbeddedExecEvent,
  EmbeddedForwardEvent,
  EmbeddedHostEvents,
  EmbeddedHostSpec,
  EmbeddedHostsOptions,
  EmbeddedSftpEvent,
  EmbeddedUser,
  ExecLogEntry,
  KeyboardInteractivePrompt,
  SftpOperation,
} from "./types.js";
