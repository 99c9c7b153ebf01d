// Over 400 lines on purpose: this is the public facade; most of it is documented overloads of run/sudo/put/get/forward. Dialling, leases, shell and shared state live beside it in connection/.
import type { Duplex, Writable } from "node:stream";
import { inspect } from "node:util";
import {
  type AsyncRunOptions,
  type Config,
  Context,
  type DisownedResult,
  type DisownRunOptions,
  type Result as InvokeResult,
  Local,
  type RunHandle,
  type Runner,
  type RunOptions,
  type SudoOptions,
  type SyncRunOptions,
} from "@fabric-ts/invoke";
import type { LocalTunnel, RemoteTunnel, SftpSession, SshClient } from "@fabric-ts/ssh-core";
import type { ResolvedSshConfig } from "@fabric-ts/ssh-core/ssh-config";
import { FabricConfig } from "../config/fabric-config.js";
import type { Inventory } from "../inventory/inventory.js";
import type { ProgressBar } from "../output/progress.js";
import type { Result } from "../result.js";
import { Remote } from "../runners/remote.js";
import { currentTaskSession } from "../tasks/task-session.js";
import {
  type PutSource,
  type SyncOptions,
  type SyncReport,
  Transfer,
  type TransferOptions,
  type TransferResult,
} from "../transfer/transfer.js";
import type { ConnectKwargs } from "./connect-kwargs.js";
import { dial, openGatewayStream } from "./dial.js";
import {
  type ForwardLocalOptions,
  type ForwardRemoteOptions,
  localForwardSpec,
  remoteForwardSpec,
  type TunnelBody,
  withTunnel,
} from "./forwarding.js";
import { hopConnection } from "./hops.js";
import {
  connectWithRetries,
  type ReconnectOption,
  type ReconnectPolicy,
  reconnectPolicy,
} from "./reconnect.js";
import { type GatewaySource, resolveSettings } from "./settings.js";
import { runShell, type ShellOptions } from "./shell.js";
import { ConnectionState } from "./state.js";

export type { ConnectKwargs } from "./connect-kwargs.js";
export type { ReconnectOption, ReconnectPolicy } from "./reconnect.js";
export type { ShellOptions } from "./shell.js";

/** Options of `new Connection(host, options)`; each one beats ssh_config, which beats the config. */
export interface ConnectionOptions {
  /** Login user. Default: shorthand, then ssh_config `User`, then config `user` (the local user). */
  user?: string;
  /** Default: shorthand, then ssh_config `Port`, then config `port` (22). */
  port?: number;
  /** A FabricConfig (an Invoke Config is upgraded to one). Default: a new FabricConfig. */
  config?: Config;
  /**
   * A Connection to tunnel through (ProxyJump style) or a ProxyCommand string; `false` disables the
   * gateway ssh_config or the config would give. Default: ssh_config ProxyJump/ProxyCommand, then config `gateway`.
   */
  gateway?: Connection | string | false | null;
  /**
   * Forward the local ssh-agent (`ssh -A`); a string forwards that agent socket instead of
   * `$SSH_AUTH_SOCK`. Default: ssh_config `ForwardAgent` (`yes`/`no`/a path), then config `forwardAgent`.
   */
  forwardAgent?: boolean | string;
  /** Seconds. Default: ssh_config `ConnectTimeout`, then config `timeouts.connect`. */
  connectTimeout?: number;
  /** ssh-core connect options (passwords, keys, host key policy …); merged over config `connectKwargs`. */
  connectKwargs?: ConnectKwargs;
  /** Send `env` inline (`export K=v && cmd`) rather than as SSH env requests. Default: config `inlineSshEnv`. */
  inlineSshEnv?: boolean;
  /**
   * After the connection was lost between commands, re-open it with retries: `true` (5 attempts,
   * 0.5 s doubling up to 10 s, with jitter) or `{ attempts, baseDelayMs, maxDelayMs, jitter }`.
   * A command running when the connection drops is never re-run. Default: one attempt, as Fabric.
   */
  reconnect?: ReconnectOption;
  /**
   * ssh_config lines applied like `ssh -o` (`"ProxyJump bastion"`, `"StrictHostKeyChecking=no"`):
   * they win over the ssh_config files. Inventory hosts get theirs from `ansible_ssh_common_args`.
   */
  sshOptions?: readonly string[];
  /** The host's variables (from an inventory): `c.vars`. @default {} */
  vars?: InventoryVars;
  /** The inventory the host came from (set by `fab` when one is loaded): `c.inventory`. */
  inventory?: Inventory;
}

/**
 * The type of `c.vars`. Augment it to type your inventory's variables everywhere:
 * @example
 * declare module "@fabric-ts/fabric" {
 *   interface InventoryVars { app_port: number; release?: string }
 * }
 */
export interface InventoryVars {
  [name: string]: unknown;
}

/** Runner classes configurable as `runners.remote` / `runners.remoteShell`. */
export type RemoteRunnerClass = new (context: Connection) => Runner;

/**
 * A connection to one SSH host (Fabric's `Connection`): a {@link Context} whose `run`/`sudo` execute
 * remotely. Nothing is dialled until first use (or `open()`); close it with `close()` or `await using`.
 * @example
 * await using c = new Connection("deploy@web1:2222");
 * await c.cd("/srv/app", (app) => app.run("git pull"));
 */
export class Connection extends Context {
  declare config: FabricConfig;
  /** The host dialled: ssh_config `Hostname` when one applies, else the host given. */
  readonly host: string;
  /** The host as given (after shorthand parsing), e.g. an ssh_config alias. */
  readonly originalHost: string;
  readonly user: string;
  readonly port: number;
  /** The ssh_config that applies to this host, resolved like `ssh -G`. */
  readonly sshConfig: ResolvedSshConfig;
  /** A gateway Connection, a ProxyCommand string, or null. */
  readonly gateway: Connection | string | null;
  /** Whether the local agent is forwarded (when one is running: without a socket nothing is forwarded). */
  readonly forwardAgent: boolean;
  /** Where put/get/sync draw progress when their options do not say (the fab CLI sets a shared bar). */
  transferProgress: ProgressBar | undefined = undefined;
  /** The agent socket named by `forwardAgent` / ssh_config `ForwardAgent /path`, else null (`$SSH_AUTH_SOCK`). */
  readonly forwardAgentSocket: string | null;
  /** Seconds, or null. */
  readonly connectTimeout: number | null;
  /** The connect options in effect: config `connectKwargs` with the constructor's merged over it. */
  readonly connectKwargs: ConnectKwargs;
  readonly inlineSshEnv: boolean;
  /** How a lost connection is re-opened; null: once, on next use. */
  readonly reconnect: ReconnectPolicy | null;
  /** Identity files in the order they are offered. */
  readonly identityFiles: readonly string[];
  /** The host's merged inventory variables (`{}` for a host given by name only). */
  readonly vars: InventoryVars;
  /** The inventory this host was selected from, when `fab` loaded one (see docs/inventory.md). */
  readonly inventory: Inventory | undefined;
  protected readonly state: ConnectionState = new ConnectionState();

  constructor(host: string, options: ConnectionOptions = {}) {
    // Made inside a `fab` task without a config: the session's (`-S`, `-i`, `--set` …), copied.
    super(FabricConfig.from(options.config ?? currentTaskSession()?.config.clone() ?? new FabricConfig()));
    const config = this.config;
    const settings = resolveSettings(
      {
        host,
        user: options.user,
        port: options.port,
        connectTimeout: options.connectTimeout,
        forwardAgent: options.forwardAgent,
        connectKwargs: options.connectKwargs,
        sshOptions: options.sshOptions,
      },
      config,
    );
    this.host = settings.host;
    this.originalHost = settings.originalHost;
    this.user = settings.user;
    this.port = settings.port;
    this.sshConfig = settings.sshConfig;
    this.forwardAgent = settings.forwardAgent !== false;
    this.forwardAgentSocket = typeof settings.forwardAgent === "string" ? settings.forwardAgent : null;
    this.connectTimeout = settings.connectTimeout;
    this.identityFiles = settings.identityFiles;
    this.connectKwargs = { ...(config.data.connectKwargs as ConnectKwargs), ...options.connectKwargs };
    this.inlineSshEnv = options.inlineSshEnv ?? config.data.inlineSshEnv;
    this.reconnect = reconnectPolicy(options.reconnect);
    this.vars = options.vars ?? {};
    this.inventory = options.inventory;
    this.gateway =
      options.gateway === undefined || options.gateway === null
        ? this.gatewayFrom(settings.configuredGateway)
        : options.gateway === false
          ? null
          : options.gateway;
  }

  /** Whether the SSH connection is currently open. */
  get isConnected(): boolean {
    return this.state.client?.isConnected ?? false;
  }

  /** The ssh-core client while connected, else null. */
  get client(): SshClient | null {
    return this.state.client?.isConnected ? this.state.client : null;
  }

  /** Connect and authenticate, through the gateway if there is one. No-op when already open. */
  async open(): Promise<void> {
    this.state.leases.ownUse = true;
    await this.openClient();
  }

  /** Close the connection (and its SFTP session); a gateway it used is released. No-op when closed. */
  async close(): Promise<void> {
    const state = this.state;
    state.leases.ownUse = false;
    // A reconnect backing off would otherwise keep close() waiting for its remaining tries.
    state.stopReconnect?.abort();
    const opening = state.opening;
    if (opening) await opening.catch(() => {});
    const client = state.client;
    state.client = null;
    state.home = null;
    const hooks = state.onClose.splice(0);
    for (const hook of hooks) await hook();
    // The client's SFTP session closes with it.
    await client?.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /**
   * The connected client, connecting first if needed (used by runners, transfers and tunnels).
   * @internal
   */
  openClient(): Promise<SshClient> {
    const state = this.state;
    if (state.client?.isConnected) return Promise.resolve(state.client);
    if (state.opening) return state.opening;
    const policy = state.lost ? this.reconnect : null;
    let dialling: Promise<SshClient>;
    if (policy) {
      const stop = new AbortController();
      state.stopReconnect = stop;
      dialling = connectWithRetries(policy, () => dial(this, state), { signal: stop.signal });
    } else {
      dialling = dial(this, state);
    }
    state.opening = dialling.finally(() => {
      state.opening = null;
      state.stopReconnect = null;
    });
    return state.opening;
  }

  /**
   * A stream to this connection's host through its gateway: a `direct-tcpip` channel when the gateway
   * is a Connection, the ProxyCommand's stdin/stdout when it is a command string.
   * @throws {ConnectionSpecError} when there is no gateway.
   */
  openGateway(): Promise<Duplex> {
    return openGatewayStream(this);
  }

  /**
   * The connection's SFTP session, opened on first use and then reused (Fabric's `sftp()`); closed by
   * `close()`. It is the SSH client's shared session (`client.sftp()`), so it lives and dies with the client.
   */
  async sftp(): Promise<SftpSession> {
    return (await this.openClient()).sftp();
  }

  /**
   * Upload a local file or directory, Buffer or Readable (see {@link Transfer.put}). Relative remote
   * paths follow this context's `cd()`; `~` is the login directory; `preserveMode` defaults to true;
   * files are renamed into place atomically; `sudo`, `owner`, `group`, `mode` place files as root.
   */
  put(local: PutSource, remote?: string, options?: TransferOptions): Promise<TransferResult> {
    return new Transfer(this).put(local, remote, options);
  }

  /**
   * Download a remote file, directory or glob to a local path (templates like `{host}/` allowed) or
   * a file to a Writable (see {@link Transfer.get}).
   */
  get(remote: string, local?: string | Writable, options?: TransferOptions): Promise<TransferResult> {
    return new Transfer(this).get(remote, local, options);
  }

  /**
   * Make the remote directory a copy of the local one, moving only what changed (see
   * {@link Transfer.sync}): `{ delete, checksum, dryRun }`, include/exclude globs; returns a report.
   */
  sync(local: string, remote: string, options?: SyncOptions): Promise<SyncReport> {
    return new Transfer(this).sync(local, remote, options);
  }

  /**
   * `ssh -L`: listen on `localHost:localPort` and carry each connection to `remoteHost:remotePort` as
   * seen from the server. With `body`, the tunnel lives while it runs (Fabric's context manager);
   * without, the open tunnel is returned (close it, or `await using` it).
   * @example
   * await c.forwardLocal({ localPort: 5432 }, async () => queryDatabase("127.0.0.1", 5432));
   */
  forwardLocal(options: ForwardLocalOptions): Promise<LocalTunnel>;
  forwardLocal<R>(options: ForwardLocalOptions, body: TunnelBody<LocalTunnel, R>): Promise<R>;
  async forwardLocal<R>(
    options: ForwardLocalOptions,
    body?: TunnelBody<LocalTunnel, R>,
  ): Promise<LocalTunnel | R> {
    const spec = localForwardSpec(options);
    await this.open();
    const client = await this.openClient();
    const { forwardLocal } = await import("@fabric-ts/ssh-core");
    const tunnel = await forwardLocal(client, spec);
    return body ? withTunnel(tunnel, body) : tunnel;
  }

  /**
   * `ssh -R`: have the server listen on `remoteHost:remotePort` and carry each connection to
   * `localHost:localPort` here. With `body`, the forward lives while it runs; without, it is returned.
   */
  forwardRemote(options: ForwardRemoteOptions): Promise<RemoteTunnel>;
  forwardRemote<R>(options: ForwardRemoteOptions, body: TunnelBody<RemoteTunnel, R>): Promise<R>;
  async forwardRemote<R>(
    options: ForwardRemoteOptions,
    body?: TunnelBody<RemoteTunnel, R>,
  ): Promise<RemoteTunnel | R> {
    const spec = remoteForwardSpec(options);
    await this.open();
    const client = await this.openClient();
    const { forwardRemote } = await import("@fabric-ts/ssh-core");
    const tunnel = await forwardRemote(client, spec);
    return body ? withTunnel(tunnel, body) : tunnel;
  }

  /**
   * The remote login directory (where relative paths start), asked of SFTP once per connection.
   * @internal
   */
  remoteHome(sftp: SftpSession): Promise<string> {
    const state = this.state;
    if (state.home) return state.home;
    const home = sftp.realpath(".");
    state.home = home;
    home.catch(() => {
      if (state.home === home) state.home = null;
    });
    return home;
  }

  /**
   * Run a command on the host (see Invoke's `RunOptions`); resolves to a Result with `connection`.
   * `replaceEnv` is irrelevant remotely: only `env` is ever sent.
   */
  override run(command: string, options: AsyncRunOptions): Promise<RunHandle>;
  override run(command: string, options: DisownRunOptions): Promise<DisownedResult>;
  override run(command: string, options?: SyncRunOptions): Promise<Result>;
  override run(command: string, options?: RunOptions): Promise<Result | RunHandle>;
  override async run(command: string, options: RunOptions = {}): Promise<InvokeResult | RunHandle> {
    await this.openUnlessDry(options);
    return super.run(command, options);
  }

  /** Run a command under sudo on the host, answering its prompt with `sudo.password` from this config. */
  override sudo(command: string, options: SudoOptions & AsyncRunOptions): Promise<RunHandle>;
  override sudo(command: string, options: SudoOptions & DisownRunOptions): Promise<DisownedResult>;
  override sudo(command: string, options?: SudoOptions & SyncRunOptions): Promise<Result>;
  override sudo(command: string, options?: SudoOptions): Promise<Result | RunHandle>;
  override async sudo(command: string, options: SudoOptions = {}): Promise<InvokeResult | RunHandle> {
    await this.openUnlessDry(options);
    return super.sudo(command, options);
  }

  /**
   * Run a command on this machine with this connection's config. Unlike Fabric, the Connection's
   * remote `cd()`/`prefix()` do not apply (they name remote paths).
   */
  local(command: string, options: AsyncRunOptions): Promise<RunHandle>;
  local(command: string, options: DisownRunOptions): Promise<DisownedResult>;
  local(command: string, options?: SyncRunOptions): Promise<InvokeResult>;
  local(command: string, options?: RunOptions): Promise<InvokeResult | RunHandle>;
  local(command: string, options: RunOptions = {}): Promise<InvokeResult | RunHandle> {
    const configured = this.config.get<(new (context: Context) => Runner) | null>("runners.local", null);
    const runner = typeof configured === "function" ? new configured(this) : new Local(this);
    return runner.run(command, options);
  }

  /**
   * An interactive login shell on a pty, wired to this process's stdin/stdout (or `inStream`/`outStream`).
   * Resolves to a Result whose stdout is the session transcript; a non-zero exit does not throw.
   * @throws {TypeError} for options other than those of {@link ShellOptions}.
   */
  shell(options: ShellOptions = {}): Promise<Result> {
    return runShell(this, options);
  }

  /** Python-style representation: `<Connection host=web1 user=deploy port=2222 gw=proxyjump>`. */
  override toString(): string {
    const parts = [`host=${this.host}`];
    if (this.user !== this.config.data.user) parts.push(`user=${this.user}`);
    if (this.port !== this.config.data.port) parts.push(`port=${this.port}`);
    if (this.gateway !== null)
      parts.push(`gw=${typeof this.gateway === "string" ? "proxycommand" : "proxyjump"}`);
    return `<Connection ${parts.join(" ")}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  /** JSON form (e.g. inside a serialised Result or error): where it connects, never `connectKwargs` secrets. */
  toJSON(): { host: string; originalHost: string; user: string; port: number } {
    return { host: this.host, originalHost: this.originalHost, user: this.user, port: this.port };
  }

  /** Same host, user and port (Fabric's equality). */
  equals(other: Connection): boolean {
    return this.host === other.host && this.user === other.user && this.port === other.port;
  }

  /**
   * Use this connection as a gateway: open it if needed and count the target using it.
   * @internal
   */
  acquireLease(): Promise<SshClient> {
    return this.state.leases.acquire(() => this.openClient());
  }

  /**
   * A target stopped using this gateway; the last one out closes it unless it was opened for its own use.
   * @internal
   */
  async releaseLease(): Promise<void> {
    if (this.state.leases.release()) await this.close();
  }

  protected override createRunner(): Runner {
    const configured = this.config.get<RemoteRunnerClass | null>("runners.remote", null);
    return typeof configured === "function" ? new configured(this) : new Remote(this);
  }

  private async openUnlessDry(options: RunOptions): Promise<void> {
    if (options.dry ?? this.config.run.dry) return;
    await this.open();
  }

  private gatewayFrom(source: GatewaySource): Connection | string | null {
    if (source.kind === "none") return null;
    if (source.kind === "command") return source.command;
    let previous: Connection | undefined;
    for (const hop of source.hops) {
      previous = hopConnection(this.config, hop, previous, (spec, options) => new Connection(spec, options));
    }
    return previous ?? null;
  }
}
