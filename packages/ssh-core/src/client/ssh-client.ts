import { EventEmitter } from "node:events";
import { userInfo } from "node:os";
import type { Duplex } from "node:stream";
import type { Client, ClientChannel, PseudoTtyOptions, ExecOptions as Ssh2ExecOptions } from "ssh2";
import { abortableSleep } from "../abortable-sleep.js";
import {
  ChannelOpenError,
  ConnectionLostError,
  formatHostPort,
  NotConnectedError,
  SshAbortError,
  SshError,
} from "../errors.js";
import { ChannelQueue } from "../exec/channel-queue.js";
import { type ExecTransport, startExec, watchExit } from "../exec/exec-channel.js";
import type { EnvMode, ExecHandle, ExecOptions } from "../exec/types.js";
import type { HostKeyVerdict } from "../known-hosts/verifier.js";
import { SftpSession } from "../sftp/sftp-session.js";
import {
  type DynamicForwardOptions,
  type DynamicTunnel,
  forwardDynamic,
} from "../tunnels/dynamic-forward.js";
import { forwardLocal, type LocalForwardOptions, type LocalTunnel } from "../tunnels/local-forward.js";
import { forwardRemote, type RemoteForwardOptions, type RemoteTunnel } from "../tunnels/remote-forward.js";
import type { AgentForwardPlan } from "./agent-forward.js";
import { handshake, lostMessage } from "./handshake.js";
import type { SshClientOptions } from "./options.js";
import {
  type BackoffPolicy,
  backoffDelay,
  classifyTcpFailure,
  DEFAULT_HANDSHAKE_ATTEMPTS,
  isDroppedBeforeHandshake,
  isRetryableConnectError,
} from "./retry.js";
import { openTcpSocket } from "./socket.js";
import { ssh2 } from "./ssh2-module.js";

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: string | null;
}

export interface SshClientEvents {
  /** The connection ended; `error` is set when it was lost rather than closed by us. */
  close: [info: { error: SshError | null }];
  /** The server's pre-auth banner. */
  banner: [message: string];
}

/**
 * A promise-based SSH connection on ssh2 with OpenSSH's behaviour: auth order, known_hosts checking,
 * keepalive, retries, and a channel queue that respects the server's MaxSessions.
 *
 * ```ts
 * await using client = await SshClient.connect({ host: "web1", username: "deploy" });
 * const { stdout } = await client.run("uname -a");
 * ```
 */
export class SshClient extends EventEmitter<SshClientEvents> implements ExecTransport {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly queue: ChannelQueue;
  readonly defaultEnvMode: EnvMode;
  /** How the server's host key was judged (known, or newly recorded). */
  hostKey: HostKeyVerdict | null = null;

  readonly #client: Client;
  /** The local agent socket sessions may forward (null: none), and whether they do by default. */
  #agentForward: AgentForwardPlan = { socket: null, byDefault: false };
  #connected = false;
  #closing = false;
  /** The transport under ssh2 (a TCP socket, or a jump host's channel), ours to destroy. */
  #sock: Duplex | null = null;
  #lostError: SshError | null = null;
  readonly #closed: Promise<{ error: SshError | null }>;
  #resolveClosed: (info: { error: SshError | null }) => void = () => {};

  private constructor(options: SshClientOptions) {
    super();
    this.host = options.host;
    this.port = options.port ?? 22;
    this.username = options.username ?? userInfo().username;
    this.queue = new ChannelQueue(options.channels);
    this.defaultEnvMode = options.envMode ?? "inline";
    this.#client = new (ssh2().Client)();
    this.#closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  /**
   * Connect and authenticate. Rejects with a typed {@link SshError}. Without a `sock`, a failed TCP
   * connect or a drop before the SSH handshake (sshd shedding load beyond MaxStartups) is retried up
   * to `connectionAttempts` times in all, with exponential backoff and jitter between attempts.
   */
  static async connect(options: SshClientOptions): Promise<SshClient> {
    if (options.sock) options.earlyDial?.discard();
    const attempts = options.sock ? 1 : Math.max(1, options.connectionAttempts ?? 1);
    const handshakeAttempts = options.sock
      ? 1
      : Math.max(attempts, options.handshakeAttempts ?? DEFAULT_HANDSHAKE_ATTEMPTS);
    const policy: BackoffPolicy = {
      baseDelayMs: options.retryDelay ?? 1000,
      maxDelayMs: options.retryMaxDelay ?? Math.max(options.retryDelay ?? 1000, 8000),
      jitter: options.retryJitter ?? 0.5,
    };
    for (let attempt = 1; ; attempt++) {
      const client = new SshClient(options);
      try {
        await client.#connect(options);
        return client;
      } catch (error) {
        const limit = isDroppedBeforeHandshake(error) ? handshakeAttempts : attempts;
        if (attempt >= limit || !isRetryableConnectError(error)) throw error;
        await abortableSleep(
          backoffDelay(attempt, policy),
          options.signal,
          () => new SshAbortError("Connect aborted", { cause: options.signal?.reason }),
        );
      }
    }
  }

  get isConnected(): boolean {
    return this.#connected;
  }

  /** Resolves when the connection ends, with the error if it was lost. Never rejects. */
  get closed(): Promise<{ error: SshError | null }> {
    return this.#closed;
  }

  /** The local agent socket forwarded to the server, when agent forwarding is on by default; else null. */
  get forwardedAgent(): string | null {
    return this.#agentForward.byDefault ? this.#agentForward.socket : null;
  }

  /** Whether a session channel should ask for agent forwarding (`requested` overrides the default). */
  wantsAgentForward(requested?: boolean): boolean {
    return this.#agentForward.socket !== null && (requested ?? this.#agentForward.byDefault);
  }

  /** The underlying ssh2 client, for other ssh-core modules (SFTP, forwarding). Not a stable API. */
  get ssh2Client(): Client {
    return this.#client;
  }

  async #connect(options: SshClientOptions): Promise<void> {
    const tcp = { host: this.host, port: this.port, timeout: options.connectTimeout, signal: options.signal };
    const sock =
      options.sock ??
      (await (options.earlyDial?.adopt(tcp) ?? openTcpSocket(tcp)).catch((error: unknown) => {
        throw classifyTcpFailure(error);
      }));
    this.#sock = sock as Duplex;
    const client = this.#client;
    // For the life of the connection; the handshake's own listeners decide how a connect fails.
    let established = false;
    client.on("banner", (message) => this.emit("banner", message));
    client.on("error", (error: Error) => {
      if (!established) return;
      this.#lostError ??= new ConnectionLostError(lostMessage(this.host, this.port, error), { cause: error });
    });
    client.on("close", () => {
      const wasConnected = this.#connected;
      this.#connected = false;
      if (!wasConnected) return;
      const error = this.#closing
        ? null
        : (this.#lostError ??
          new ConnectionLostError(
            `Connection to ${formatHostPort(this.host, this.port)} closed by remote host`,
          ));
      this.#lostError = error;
      this.emit("close", { error });
      this.#resolveClosed({ error });
    });
    this.#agentForward = await handshake(
      {
        client,
        sock: sock as Duplex,
        host: this.host,
        port: this.port,
        username: this.username,
        onHostKey: (verdict) => {
          this.hostKey = verdict;
        },
        onReady: () => {
          established = true;
          this.#connected = true;
        },
      },
      options,
    );
  }

  /** Start a command on a new channel (queued when the server's MaxSessions is reached). */
  exec(command: string, options: ExecOptions = {}): ExecHandle {
    if (!this.#connected) throw new NotConnectedError();
    return startExec(this, command, options);
  }

  /** Run a command and collect its output as UTF-8 strings. */
  async run(command: string, options: Omit<ExecOptions, "onStdout" | "onStderr"> = {}): Promise<RunResult> {
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const handle = this.exec(command, {
      ...options,
      onStdout: (chunk) => out.push(chunk),
      onStderr: (chunk) => err.push(chunk),
    });
    const exit = await handle.done;
    return {
      stdout: Buffer.concat(out).toString("utf8"),
      stderr: Buffer.concat(err).toString("utf8"),
      ...exit,
    };
  }

  #sftp: Promise<SftpSession> | undefined;

  /** The connection's shared SFTP session, opened on first use (and again if its channel closed). */
  sftp(): Promise<SftpSession> {
    if (!this.#connected) return Promise.reject(this.#lostError ?? new NotConnectedError());
    const opening = this.#sftp;
    if (opening) return opening;
    const created = SftpSession.open(this).then(
      (session) => {
        session.raw.once("close", () => {
          if (this.#sftp === created) this.#sftp = undefined;
        });
        return session;
      },
      (error: unknown) => {
        if (this.#sftp === created) this.#sftp = undefined;
        throw error;
      },
    );
    this.#sftp = created;
    return created;
  }

  /** `ssh -L`: see {@link forwardLocal}. */
  forwardLocal(options: LocalForwardOptions): Promise<LocalTunnel> {
    return forwardLocal(this, options);
  }

  /** `ssh -R`: see {@link forwardRemote}. */
  forwardRemote(options: RemoteForwardOptions): Promise<RemoteTunnel> {
    return forwardRemote(this, options);
  }

  /** `ssh -D`: see {@link forwardDynamic}. */
  forwardDynamic(options: DynamicForwardOptions): Promise<DynamicTunnel> {
    return forwardDynamic(this, options);
  }

  /**
   * Close the connection (idempotent). Resolves once the socket is closed; a server that does not
   * close its side within {@link CLOSE_WAIT_MS} (frozen, or the link is dead) gets the socket destroyed.
   */
  async close(): Promise<void> {
    if (!this.#connected) return;
    this.#closing = true;
    this.#client.end();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = await Promise.race([
      this.#closed.then(() => false),
      new Promise<true>((resolve) => {
        timer = setTimeout(() => resolve(true), CLOSE_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (gaveUp) {
      // ssh2's destroy() does nothing once its socket was ended: destroy the socket itself.
      this.#sock?.destroy();
      await this.#closed;
    }
  }

  /**
   * Whether the server still answers: sends a global request that needs a reply (a harmless
   * `cancel-tcpip-forward` of nothing, which servers refuse at once) and resolves true when any
   * answer arrives within `timeoutMs`, false otherwise. Never rejects.
   */
  probe(timeoutMs: number): Promise<boolean> {
    if (!this.#connected) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      try {
        this.#client.unforwardIn(PROBE_ADDRESS, 0, () => {
          clearTimeout(timer);
          resolve(this.#connected);
        });
      } catch {
        clearTimeout(timer);
        resolve(false);
      }
    });
  }

  /** Drop the connection at once, without the goodbye exchange; what still uses it fails with `error`. */
  disconnect(error: SshError): void {
    if (!this.#connected) return;
    this.#lostError ??= error;
    this.#sock?.destroy();
  }

  /** `host:port`, for messages. */
  get label(): string {
    return formatHostPort(this.host, this.port);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  // ExecTransport ------------------------------------------------------------------------------

  openExecChannel(
    command: string,
    request: { env?: Record<string, string>; pty?: PseudoTtyOptions; agentForward?: boolean },
  ): Promise<ClientChannel> {
    return new Promise((resolve, reject) => {
      if (!this.#connected) return reject(this.#lostError ?? new NotConnectedError());
      const { agentForward, ...rest } = request;
      try {
        this.#client.exec(
          command,
          // ssh2 supports `agentForward` per channel; its type definitions do not list it.
          { ...rest, agentForward: this.wantsAgentForward(agentForward) } as Ssh2ExecOptions,
          (error, channel) => {
            if (error) return reject(error);
            watchExit(channel);
            resolve(channel);
          },
        );
      } catch (error) {
        reject(error);
      }
    });
  }

  isSessionRefusal(error: unknown): boolean {
    // sshd answers a session open beyond MaxSessions with an open failure ("open failed").
    return this.#connected && typeof (error as { reason?: unknown })?.reason === "number";
  }

  toChannelError(error: unknown): SshError {
    if (error instanceof SshError) return error;
    if (!this.#connected) return this.#lostError ?? new NotConnectedError();
    const reason = (error as { reason?: unknown })?.reason;
    return new ChannelOpenError(
      `Could not open a session channel on ${formatHostPort(this.host, this.port)}: ${(error as Error)?.message ?? String(error)}`,
      typeof reason === "number" ? reason : undefined,
      { cause: error },
    );
  }

  connectionError(): SshError | null {
    return this.#connected ? null : (this.#lostError ?? new NotConnectedError());
  }
}

/** How long `close()` waits for the server to close its side before destroying the socket. */
const CLOSE_WAIT_MS = 2000;
/** The address in the probe's cancel request: nothing is ever forwarded from it. */
const PROBE_ADDRESS = "fabric-ts-probe.invalid";
