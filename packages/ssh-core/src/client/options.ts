import type { Duplex } from "node:stream";
import type { ChannelQueueOptions } from "../exec/channel-queue.js";
import type { EnvMode } from "../exec/types.js";
import type { HostKeyPolicy } from "../known-hosts/verifier.js";
import type { AlgorithmPreferences } from "./algorithms.js";
import type { KeyboardInteractiveChallenge, PassphrasePromptInfo, PasswordPromptInfo } from "./auth.js";
import type { EarlyDial } from "./early-tcp-connect.js";
import type { InMemoryKey } from "./identities.js";

/**
 * Everything `SshClient.connect()` needs, as plain data. Nothing is read from ssh_config here; use
 * `clientOptionsFromSshConfig()` to derive these from a resolved config. Times are milliseconds.
 */
export interface SshClientOptions extends HostKeyPolicy {
  host: string;
  /** Default 22. */
  port?: number;
  /** Default: the local user name. */
  username?: string;
  /** An already-connected stream to speak SSH over (ProxyCommand, jump host channel). Skips TCP connect. */
  sock?: Duplex;
  /**
   * A TCP connect started earlier ({@link EarlyDial}), used by the first attempt instead of dialing
   * when it goes to this `host` and `port` (else it is closed). Ignored with `sock`.
   */
  earlyDial?: EarlyDial;

  /** TCP connect + SSH handshake timeout (ssh_config ConnectTimeout). Default: none. */
  connectTimeout?: number;
  /**
   * Total connect attempts (ConnectionAttempts). Default 1. A refused/failed TCP connect and a drop
   * before the SSH handshake (sshd's MaxStartups) are retried; auth and host key failures never are.
   */
  connectionAttempts?: number;
  /**
   * Connect attempts in all when the server closes the connection before the SSH handshake
   * completed (sshd's MaxStartups sheds load that way): nothing was authenticated or run, so the
   * connect is retried with the same backoff even when `connectionAttempts` is 1. Default 12
   * (pauses of about 53 s in all, 71 s at most, before a server that always drops is reported);
   * 1 turns it off (OpenSSH's behaviour); the larger of this and `connectionAttempts` applies.
   * Ignored with `sock`.
   */
  handshakeAttempts?: number;
  /** Pause before the first retry; later ones double (up to `retryMaxDelay`). Default 1000 (as OpenSSH). */
  retryDelay?: number;
  /** Longest pause between connect attempts. Default 8000 (or `retryDelay` if larger). */
  retryMaxDelay?: number;
  /** Random fraction of each pause (0…1), so clients that failed together retry apart. Default 0.5. */
  retryJitter?: number;
  /** ServerAliveInterval: keepalive request interval; 0/undefined disables. */
  keepaliveInterval?: number;
  /** ServerAliveCountMax: unanswered keepalives before the connection is declared lost. Default 3. */
  keepaliveCountMax?: number;

  /** ssh-agent socket (IdentityAgent). Default `$SSH_AUTH_SOCK`; `false` or `"none"` disables the agent. */
  agent?: string | false;
  /**
   * ForwardAgent: let the server use a local agent (`ssh -A`). `true` forwards the auth agent (`agent`,
   * default `$SSH_AUTH_SOCK`); a string forwards that socket instead. Every session channel asks for it
   * (per command: `exec(cmd, { agentForward })`). Nothing is forwarded when the socket does not exist.
   */
  agentForward?: boolean | string;
  /**
   * IdentityFile list. Default: OpenSSH's default key files. Missing files are skipped silently.
   * A `<key>-cert.pub` beside a key is offered too, unless `certificateFiles` is set (as OpenSSH).
   */
  identityFiles?: readonly string[];
  /**
   * CertificateFile list: OpenSSH user certificates, offered first and signed with the matching
   * IdentityFile or agent key. Missing files are skipped silently.
   */
  certificateFiles?: readonly string[];
  /** Private keys held in memory, tried after the identity files. */
  privateKeys?: readonly InMemoryKey[];
  /** IdentitiesOnly: only use agent keys that match an identity file. */
  identitiesOnly?: boolean;
  /** Passphrase for encrypted identity files. */
  passphrase?: string;
  /** Asked for an encrypted key's passphrase, only once the server accepted that key. */
  promptPassphrase?: (info: PassphrasePromptInfo) => Promise<string | null | undefined>;
  password?: string;
  /** Asked for the login password when password auth is reached and no `password` was given. */
  promptPassword?: (info: PasswordPromptInfo) => Promise<string | null | undefined>;
  /** Answers keyboard-interactive challenges (2FA, OTP, Duo …). */
  onKeyboardInteractive?: (challenge: KeyboardInteractiveChallenge) => Promise<string[]>;
  /** Turn individual methods off (PubkeyAuthentication / KbdInteractiveAuthentication / PasswordAuthentication). */
  authMethods?: { publickey?: boolean; keyboardInteractive?: boolean; password?: boolean };
  /** BatchMode: never call prompt callbacks (and `ask` host key checking behaves like `yes`). */
  batchMode?: boolean;
  /** NumberOfPasswordPrompts. Default 3. */
  promptAttempts?: number;

  algorithms?: AlgorithmPreferences;
  /** Offer zlib compression (ssh_config Compression). Default false. */
  compression?: boolean;

  /** Channel queue limits; by default the limit is learned from the server's refusals (MaxSessions). */
  channels?: ChannelQueueOptions;
  /** Default env mode for `exec()`: `inline` (default) or `setenv`. */
  envMode?: EnvMode;

  /** Abort the connection attempt. */
  signal?: AbortSignal;
  /** ssh2 protocol debug output. */
  debug?: (message: string) => void;
}
