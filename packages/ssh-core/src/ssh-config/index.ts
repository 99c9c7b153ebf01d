/**
 * OpenSSH-exact ssh_config resolution (`ssh -G`), importable without loading ssh2:
 * `import { resolveSshConfig } from "@fabric-ts/ssh-core/ssh-config"`.
 */
export { parseProxyJump, parseUserHostPort, type UserHostPort } from "./destination.js";
export { type SshConfigDiagnostic, SshConfigError, type SshConfigErrorCode } from "./errors.js";
export { matchHostname, matchPattern, matchPatternList } from "./patterns.js";
export { type ResolveSshConfigOptions, resolveSshConfig, resolveSshConfigSync } from "./resolve.js";
export { type ExplainEntry, ResolvedSshConfig, type StrictHostKeyChecking } from "./resolved.js";
export { percentExpand } from "./tokens.js";
