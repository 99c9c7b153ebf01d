// The SSH handshake and authentication of one connect attempt, over a stream that is already open
// (TCP, a jump host's channel, a ProxyCommand): keys, certificates and the agent loaded, algorithms
// chosen (known host key types first), then ssh2 driven until `ready` or the first failure, which
// becomes a typed SshError. What happens after `ready` (a lost connection) is SshClient's business.
import type { Duplex } from "node:stream";
import type { Client, ConnectConfig } from "ssh2";
import {
  ConnectionLostError,
  formatHostPort,
  HostKeyError,
  SshAbortError,
  SshAuthError,
  SshConnectError,
  type SshError,
  SshHandshakeError,
} from "../errors.js";
import { hostKeyAlgorithmsForKeyType } from "../known-hosts/key-blob.js";
import { type HostKeyVerdict, knownKeyTypesForHost, verifyHostKey } from "../known-hosts/verifier.js";
import { DEFAULT_IDENTITY_FILES } from "../ssh-config/defaults.js";
import { type AgentForwardPlan, planAgentForward } from "./agent-forward.js";
import { preferKnownHostKeyTypes, resolveAlgorithms } from "./algorithms.js";
import { AuthSession } from "./auth.js";
import { loadCertificateFiles } from "./certificates.js";
import { loadIdentityFiles, loadInMemoryKeys } from "./identities.js";
import type { SshClientOptions } from "./options.js";
import { markDroppedBeforeHandshake } from "./retry.js";

/** Who is connecting where, over what. */
export interface HandshakeTarget {
  /** The ssh2 client to drive; destroyed (with its listeners removed) when the handshake fails. */
  client: Client;
  /** The open stream to speak SSH over. */
  sock: Duplex;
  host: string;
  port: number;
  username: string;
  /** The server's host key was accepted (known, or newly recorded). */
  onHostKey: (verdict: HostKeyVerdict) => void;
  /** Authenticated: called synchronously on ssh2's `ready`, before the returned promise settles. */
  onReady: () => void;
}

/**
 * Handshake and authenticate `target.client` over `target.sock`. Resolves with the agent forwarding
 * plan once authenticated; rejects with an SshAuthError, HostKeyError, SshHandshakeError,
 * SshConnectError (ConnectTimeout), SshAbortError or ConnectionLostError (marked as dropped before
 * the handshake when it was, so that the caller may retry).
 */
export async function handshake(
  target: HandshakeTarget,
  options: SshClientOptions,
): Promise<AgentForwardPlan> {
  const { client, sock, host, port, username } = target;
  // Until ssh2 takes the socket over (keys and known_hosts load first), a reset is kept here:
  // without a listener it would be an uncaught exception (seen when a host reboots).
  let earlyError: Error | undefined;
  const keepEarlyError = (error: Error) => {
    earlyError ??= error;
  };
  sock.on("error", keepEarlyError);
  const identities = [
    ...(await loadIdentityFiles(options.identityFiles ?? DEFAULT_IDENTITY_FILES, {
      siblingCertificates: !options.certificateFiles?.length,
    })),
    ...(await loadInMemoryKeys(options.privateKeys ?? [])),
  ];
  const agent = options.agent === undefined ? process.env.SSH_AUTH_SOCK : options.agent;
  const agentForward = await planAgentForward({ agent: options.agent, agentForward: options.agentForward });
  const batch = options.batchMode ?? false;
  const auth = new AuthSession({
    username,
    host,
    agentSocket: agent && agent !== "none" ? agent : undefined,
    identities,
    certificates: await loadCertificateFiles(options.certificateFiles ?? []),
    identitiesOnly: options.identitiesOnly ?? false,
    passphrase: options.passphrase,
    promptPassphrase: options.promptPassphrase,
    password: options.password,
    promptPassword: options.promptPassword,
    onKeyboardInteractive: options.onKeyboardInteractive,
    publickey: options.authMethods?.publickey ?? true,
    keyboardInteractive: options.authMethods?.keyboardInteractive ?? true,
    passwordAuth: options.authMethods?.password ?? true,
    batchMode: batch,
    promptAttempts: options.promptAttempts ?? 3,
  });
  const hostKeyPolicy = {
    ...options,
    ...(batch ? { onUnknownHostKey: undefined } : {}),
  };
  const algorithms = resolveAlgorithms({
    ...options.algorithms,
    ...(options.compression
      ? { compress: options.algorithms?.compress ?? "zlib@openssh.com,zlib,none" }
      : {}),
  });
  if (options.algorithms?.serverHostKey === undefined) {
    const known = await knownKeyTypesForHost(host, port, hostKeyPolicy);
    algorithms.serverHostKey = preferKnownHostKeyTypes(
      algorithms.serverHostKey,
      known.flatMap(hostKeyAlgorithmsForKeyType),
    );
  }

  let hostKeyError: SshError | null = null;
  let handshakeDone = false;
  const where = formatHostPort(host, port);

  await new Promise<void>((resolve, reject) => {
    let settled = false;
    let handshakeTimer: NodeJS.Timeout | undefined;
    const finish = (error: SshError | null) => {
      if (settled) return;
      settled = true;
      if (handshakeTimer) clearTimeout(handshakeTimer);
      options.signal?.removeEventListener("abort", onAbort);
      if (error) {
        client.removeAllListeners();
        client.on("error", () => {});
        client.destroy();
        reject(error);
      } else {
        resolve();
      }
    };
    const onAbort = () => finish(new SshAbortError("Connect aborted", { cause: options.signal?.reason }));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });

    const authError = (reason?: string) =>
      auth.fatal ?? new SshAuthError(username, host, port, auth.attempts, reason);

    client.on("handshake", () => {
      handshakeDone = true;
      if (handshakeTimer) clearTimeout(handshakeTimer);
    });
    client.on("ready", () => {
      target.onReady();
      finish(null);
    });
    client.on("error", (error: Error & { level?: string; code?: unknown }) => {
      if (settled) return;
      if (error.level === "agent") return; // one key failed to sign; ssh2 moves on to the next
      if (hostKeyError) return finish(hostKeyError);
      if (error.level === "client-authentication") return finish(authError());
      if (typeof error.code === "number" && handshakeDone) return finish(authError(error.message));
      if (error.level === "client-timeout") {
        return finish(new SshConnectError("CONNECT_TIMEOUT", host, port, error.message, { cause: error }));
      }
      if (!handshakeDone && (error.level === "handshake" || typeof error.code === "number")) {
        return finish(
          new SshHandshakeError(`SSH handshake with ${where} failed: ${error.message}`, { cause: error }),
        );
      }
      const lost = new ConnectionLostError(lostMessage(host, port, error), { cause: error });
      finish(handshakeDone ? lost : markDroppedBeforeHandshake(lost));
    });
    client.on("close", () => {
      if (settled) return;
      finish(
        hostKeyError ??
          auth.fatal ??
          (handshakeDone
            ? new ConnectionLostError(`Connection to ${where} closed during authentication`)
            : markDroppedBeforeHandshake(
                new ConnectionLostError(`Connection to ${where} closed before the SSH handshake completed`),
              )),
      );
    });

    if (options.connectTimeout !== undefined && options.connectTimeout > 0) {
      const timeout = options.connectTimeout;
      handshakeTimer = setTimeout(
        () =>
          finish(
            new SshConnectError(
              "CONNECT_TIMEOUT",
              host,
              port,
              `SSH handshake with ${where} timed out after ${timeout} ms`,
            ),
          ),
        timeout,
      );
    }

    const config: ConnectConfig = {
      sock,
      username,
      readyTimeout: 0,
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        verifyHostKey(host, port, key, hostKeyPolicy).then(
          (verdict) => {
            target.onHostKey(verdict);
            verify(true);
          },
          (error: unknown) => {
            hostKeyError =
              error instanceof HostKeyError
                ? error
                : new SshHandshakeError(`Host key verification failed: ${String(error)}`, { cause: error });
            verify(false);
          },
        );
      },
      authHandler: auth.handler(),
      // ssh2 serves the server's auth-agent channels from `agent`; our authHandler does the auth.
      ...(agentForward.socket ? { agent: agentForward.socket } : {}),
      algorithms: algorithms as ConnectConfig["algorithms"],
      ...(options.keepaliveInterval ? { keepaliveInterval: options.keepaliveInterval } : {}),
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      ...(options.debug ? { debug: options.debug } : {}),
    };
    sock.off("error", keepEarlyError);
    if (earlyError || sock.destroyed) {
      sock.destroy();
      const cause = earlyError ?? new Error("socket closed");
      finish(markDroppedBeforeHandshake(new ConnectionLostError(lostMessage(host, port, cause), { cause })));
      return;
    }
    client.connect(config);
  });
  return agentForward;
}

/** The message of a ConnectionLostError for a connection that broke with `error`. */
export function lostMessage(host: string, port: number, error: Error): string {
  return `Connection to ${formatHostPort(host, port)} lost: ${error.message}`;
}
