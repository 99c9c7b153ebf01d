import type { ResolvedSshConfig } from "../ssh-config/resolved.js";
import type { SshClientOptions } from "./options.js";

/** The parts of a resolved ssh_config the client uses (satisfied by `ResolvedSshConfig`). */
export type SshConfigForClient = Pick<
  ResolvedSshConfig,
  | "hostname"
  | "port"
  | "user"
  | "identityFilePaths"
  | "certificateFilePaths"
  | "identitiesOnly"
  | "identityAgent"
  | "forwardAgent"
  | "strictHostKeyChecking"
  | "userKnownHostsFiles"
  | "globalKnownHostsFiles"
  | "hostKeyAlias"
  | "connectTimeout"
  | "connectionAttempts"
  | "serverAliveInterval"
  | "serverAliveCountMax"
  | "ciphers"
  | "kexAlgorithms"
  | "macs"
  | "hostKeyAlgorithms"
  | "compression"
  | "batchMode"
  | "passwordAuthentication"
  | "kbdInteractiveAuthentication"
  | "pubkeyAuthentication"
  | "get"
  | "explain"
>;

/**
 * Translate a resolved ssh_config (`resolveSshConfig(...)`) into explicit `SshClient.connect()`
 * options; `overrides` (callbacks, passwords, a `sock`, …) win. Seconds become milliseconds, and
 * `IdentityAgent none` disables the agent.
 */
export function clientOptionsFromSshConfig(
  resolved: SshConfigForClient,
  overrides: Partial<SshClientOptions> = {},
): SshClientOptions {
  const connectTimeout = resolved.connectTimeout;
  const interval = resolved.serverAliveInterval;
  const fromFile = (key: string) => resolved.explain().some((e) => e.key === key && e.file !== "(default)");
  const options: SshClientOptions = {
    host: resolved.hostname,
    port: resolved.port,
    ...(resolved.user ? { username: resolved.user } : {}),
    identityFiles: resolved.identityFilePaths,
    ...(resolved.certificateFilePaths.length ? { certificateFiles: resolved.certificateFilePaths } : {}),
    identitiesOnly: resolved.identitiesOnly,
    agent: agentSocket(resolved.identityAgent),
    ...(resolved.forwardAgent === false ? {} : { agentForward: resolved.forwardAgent }),
    strictHostKeyChecking: resolved.strictHostKeyChecking,
    userKnownHostsFiles: resolved.userKnownHostsFiles,
    globalKnownHostsFiles: resolved.globalKnownHostsFiles,
    ...(resolved.hostKeyAlias ? { hostKeyAlias: resolved.hostKeyAlias } : {}),
    hashKnownHosts: resolved.get("hashknownhosts") === "yes",
    ...(connectTimeout !== null && connectTimeout > 0 ? { connectTimeout: connectTimeout * 1000 } : {}),
    connectionAttempts: resolved.connectionAttempts,
    ...(interval > 0 ? { keepaliveInterval: interval * 1000 } : {}),
    keepaliveCountMax: resolved.serverAliveCountMax,
    algorithms: {
      // Unless configured, ssh2's own order (AES-GCM first on CPUs with AES instructions): OpenSSH's
      // default puts chacha20-poly1305 first, which costs ssh2 and sshd more CPU per byte.
      ...(resolved.ciphers.length && fromFile("ciphers") ? { cipher: resolved.ciphers } : {}),
      ...(resolved.kexAlgorithms.length ? { kex: resolved.kexAlgorithms } : {}),
      ...(resolved.macs.length ? { hmac: resolved.macs } : {}),
      // Left to the client unless configured, so it can prefer key types already in known_hosts.
      ...(resolved.hostKeyAlgorithms.length && fromFile("hostkeyalgorithms")
        ? { serverHostKey: resolved.hostKeyAlgorithms }
        : {}),
    },
    compression: resolved.compression,
    batchMode: resolved.batchMode,
    authMethods: {
      publickey: resolved.pubkeyAuthentication,
      keyboardInteractive: resolved.kbdInteractiveAuthentication,
      password: resolved.passwordAuthentication,
    },
    ...promptAttempts(resolved.get("numberofpasswordprompts")),
  };
  return { ...options, ...overrides };
}

function agentSocket(identityAgent: string | null): string | false | undefined {
  if (identityAgent === null) return undefined;
  if (identityAgent === "none") return false;
  if (identityAgent === "SSH_AUTH_SOCK") return undefined;
  if (identityAgent.startsWith("$")) return process.env[identityAgent.slice(1)] ?? false;
  return identityAgent;
}

function promptAttempts(value: string | undefined): Partial<SshClientOptions> {
  const n = value === undefined ? Number.NaN : Number(value);
  return Number.isInteger(n) && n >= 0 ? { promptAttempts: n } : {};
}
