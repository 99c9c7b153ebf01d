// The sshd harness entry (re-exported by the package root). @fabric-ts/testing is a leaf package: nothing in
// it imports @fabric-ts/invoke, ssh-core or fabric, which list it as a devDependency.
export { type AgentIdentity, SshAgent, type StartAgentOptions, startAgent } from "../agent.js";
export {
  DEFAULT_NOPASSWD_USER,
  DEFAULT_TEST_USER,
  type EnsureTestUserOptions,
  ensureRootLoginUser,
  ensureTestUser,
  isRoot,
  ROOT_LOGIN_USER,
  SUDOERS_DROP_IN,
  type SudoCapability,
  type TestUser,
} from "../users.js";
export { askpassEnv } from "./askpass.js";
export {
  decideSuite,
  requireSshd,
  type SshdAvailability,
  type SuiteDecision,
  sshdAvailability,
} from "./availability.js";
export { findProgram, type OpenSshProgram } from "./binaries.js";
export { type ClientKeys, getClientKeys, TEST_KEY_PASSPHRASE } from "./client-keys.js";
export { type CommandResult, runCommand } from "./exec.js";
export {
  type SshCommandOptions,
  SshdHarness,
  type SshdLogLevel,
  type StartSshdOptions,
  startSshd,
} from "./harness.js";
export { type HostSpec, isLoopbackV4, knownHostsName, type SshdHost } from "./hosts.js";
export { fingerprintOf, type KeyPair, type KeyType } from "./keys.js";
export { hashHostName } from "./known-hosts.js";
export { readBanner } from "./readiness.js";
export {
  killMatching,
  loginNeedsRoot,
  processesMatching,
  remoteSleep,
  SSHD_LOGINS,
  type SshdLogin,
  uniqueSeconds,
  within,
} from "./remote-processes.js";
