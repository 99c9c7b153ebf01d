import { EventEmitter } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import ssh2, { type Connection, type Server as SshServer, type TcpipBindInfo } from "ssh2";
import { authenticate } from "./auth.js";
import { ConnectionState } from "./connection-state.js";
import { delay, type FaultPlan, refusesChannel } from "./faults.js";
import { RemoteForwards, serveDirectTcpip } from "./forwarding.js";
import { knownHostsName } from "./loopback.js";
import type { PtyModule } from "./pty.js";
import type { HostRuntime } from "./runtime.js";
import { serveSession } from "./session.js";
import { countBytesAfterAuth } from "./socket-bytes.js";
import type { EmbeddedHostEvents, ExecLogEntry } from "./types.js";
import type { ResolvedUser } from "./users.js";

/** The key every embedded host of a group accepts by default, on disk for OpenSSH clients. */
export interface EmbeddedClientKey {
  privateKeyPath: string;
  /** OpenSSH private key text (for ssh2's `privateKey` option). */
  privateKey: string;
  /** `ssh-ed25519 AAAA… comment` */
  publicKey: string;
}

export interface HostSetup {
  name: string;
  dir: string;
  address: string;
  port: number;
  shell: string;
  baseEnv: Record<string, string>;
  users: Map<string, ResolvedUser>;
  defaultUser: string;
  pty: PtyModule | undefined;
  faults: FaultPlan;
  hostKey: string | Buffer;
  hostPublicKey: string;
  clientKey: EmbeddedClientKey;
  knownHostsPath: string;
}

/** One in-process SSH host listening on loopback, with its own sandbox directory and host key. */
export class EmbeddedHost extends EventEmitter<EmbeddedHostEvents> implements HostRuntime {
  readonly name: string;
  /** The sandbox directory: the users' home, the cwd of commands, the base of relative SFTP paths. */
  readonly dir: string;
  readonly address: string;
  readonly shell: string;
  readonly baseEnv: Record<string, string>;
  /** Accepted accounts, by name (internal shape: keys already parsed). */
  readonly users: ReadonlyMap<string, ResolvedUser>;
  /** The login the generated ssh config uses: the first configured user. */
  readonly user: string;
  readonly pty: PtyModule | undefined;
  /** Live fault plan: assign a new object or change fields at any time. */
  faults: FaultPlan;
  /** `ssh-ed25519 AAAA…` (no comment) */
  readonly hostPublicKey: string;
  readonly clientKey: EmbeddedClientKey;
  /** Every exec/shell request, in arrival order. */
  readonly log: ExecLogEntry[] = [];
  /** Connections accepted since start. */
  totalConnections = 0;

  private readonly knownHostsPath: string;
  private boundPort: number;
  private readonly ssh: SshServer;
  private readonly server: Server;
  private readonly states = new Set<ConnectionState>();
  private readonly pending = new Map<string, ConnectionState>();

  constructor(setup: HostSetup) {
    super();
    this.name = setup.name;
    this.dir = setup.dir;
    this.address = setup.address;
    this.boundPort = setup.port;
    this.shell = setup.shell;
    this.baseEnv = setup.baseEnv;
    this.users = setup.users;
    this.user = setup.defaultUser;
    this.pty = setup.pty;
    this.faults = { ...setup.faults };
    this.hostPublicKey = setup.hostPublicKey;
    this.clientKey = setup.clientKey;
    this.knownHostsPath = setup.knownHostsPath;
    this.ssh = new ssh2.Server({ hostKeys: [setup.hostKey] }, (client, info) => this.onClient(client, info));
    this.server = createServer((socket) => this.onSocket(socket));
  }

  /** The listening port (the chosen one once `port: 0` is bound). */
  get port(): number {
    return this.boundPort;
  }

  /** SSH connections open right now. */
  get connections(): number {
    return this.states.size;
  }

  /** `[127.0.0.1]:port ssh-ed25519 AAAA…`, ready for a known_hosts file. */
  knownHostsLine(): string {
    return `${knownHostsName(this.address, this.port)} ${this.hostPublicKey}`;
  }

  /** A `Host <name>` block for an OpenSSH client config (`ssh -F`). */
  sshConfig(user = this.user): string {
    return [
      `Host ${this.name}`,
      `  HostName ${this.address}`,
      `  Port ${this.port}`,
      `  User ${user}`,
      `  IdentityFile ${this.clientKey.privateKeyPath}`,
      "  IdentitiesOnly yes",
      `  UserKnownHostsFile ${this.knownHostsPath}`,
      "  StrictHostKeyChecking yes",
      "",
    ].join("\n");
  }

  /** Cuts every open connection now (commands are hung up, -R listeners closed). */
  dropAll(): void {
    for (const state of this.states) state.drop();
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.port, this.address, () => {
        this.server.off("error", reject);
        const bound = this.server.address();
        if (bound && typeof bound === "object") this.boundPort = bound.port;
        resolve();
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.dropAll();
    });
  }

  private onSocket(socket: Socket): void {
    socket.setNoDelay(true);
    socket.on("error", () => {});
    const state = new ConnectionState(socket);
    const key = `${state.remoteAddress}:${state.remotePort}`;
    this.totalConnections++;
    this.states.add(state);
    this.pending.set(key, state);
    socket.once("close", () => {
      this.pending.delete(key);
      this.states.delete(state);
      state.close();
      this.emit("disconnect", state);
    });
    this.emit("connection", state);
    const handOver = () => {
      if (!socket.destroyed) this.ssh.injectSocket(socket);
    };
    const wait = delay(this.faults.bannerDelayMs);
    if (wait) void wait.then(handOver);
    else handOver();
  }

  private onClient(client: Connection, info: { ip: string; port: number }): void {
    const key = `${info.ip}:${info.port}`;
    const state = this.pending.get(key);
    this.pending.delete(key);
    client.on("error", () => {});
    if (!state) {
      client.end();
      return;
    }
    client.on("authentication", (ctx) => {
      authenticate(ctx, state, this).catch(() => ctx.reject());
    });
    client.on("ready", () => countBytesAfterAuth(state.socket, () => this.faults.dropAfterBytes));
    client.on("session", (accept, reject) => {
      if (!this.admitChannel(state, "session", reject)) return;
      state.openSessions++;
      serveSession(accept(), state, this);
    });
    client.on("tcpip", (accept, reject, request) => {
      if (!this.admitChannel(state, "direct-tcpip", reject)) return;
      serveDirectTcpip(accept, reject, request, state, this);
    });
    const forwards = new RemoteForwards(client, state, this);
    client.on("request", (accept, reject, name, request) => {
      const bind = request as TcpipBindInfo;
      if (name === "tcpip-forward") forwards.listen(bind, accept, reject);
      else if (name === "cancel-tcpip-forward") forwards.cancel(bind, accept, reject);
      else reject?.();
    });
  }

  /** Applies `refuseChannels` and `maxSessions`; refuses (and reports) or lets the channel open. */
  private admitChannel(
    state: ConnectionState,
    type: "session" | "direct-tcpip",
    reject: () => void,
  ): boolean {
    state.channelsOpened++;
    let reason: string | undefined;
    if (refusesChannel(this.faults, state.channelsOpened)) reason = "refuseChannels";
    else if (
      type === "session" &&
      this.faults.maxSessions !== undefined &&
      state.openSessions >= this.faults.maxSessions
    ) {
      reason = "maxSessions";
    }
    if (reason) {
      reject();
      this.emit("channel", { connection: state, type, accepted: false, reason });
      return false;
    }
    this.emit("channel", { connection: state, type, accepted: true });
    return true;
  }
}
