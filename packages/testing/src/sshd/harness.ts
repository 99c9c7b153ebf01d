// Over 400 lines on purpose: `startSshd` and the `SshdHarness` handle are one lifecycle (plan, write, spawn, wait, reap); the pieces it composes are the other files of sshd/.
import { rmSync } from "node:fs";
import { appendFile, chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { ensureRootLoginUser, ensureTestUser, isRoot, type SudoCapability } from "../users.js";
import { askpassEnv, noAskpassEnv } from "./askpass.js";
import { requireProgram } from "./binaries.js";
import { type ClientKeys, clientKeyList, getClientKeys } from "./client-keys.js";
import {
  type DaemonProcess,
  killDaemonSync,
  logTail,
  signalTree,
  spawnDaemon,
  terminateDaemon,
} from "./daemon.js";
import { type CommandResult, runChecked, runCommand } from "./exec.js";
import { onProcessExit } from "./exit-cleanup.js";
import { type HostSpec, planHosts, type SshdHost } from "./hosts.js";
import { generateKeyPair, type KeyPair } from "./keys.js";
import { renderKnownHosts } from "./known-hosts.js";
import { findFreePort, isPortFree } from "./ports.js";
import { planShards, type Shard } from "./shards.js";
import { renderSshConfig } from "./ssh-config.js";
import { renderSshdConfig } from "./sshd-config.js";

export type SshdLogLevel =
  | "QUIET"
  | "FATAL"
  | "ERROR"
  | "INFO"
  | "VERBOSE"
  | "DEBUG"
  | "DEBUG1"
  | "DEBUG2"
  | "DEBUG3";

export interface StartSshdOptions {
  /**
   * Number of hosts (127.0.0.1 … 127.0.0.N) or explicit loopback addresses / host specs. Default 1.
   * sshd listens on at most 16 sockets, so more hosts start one daemon per 16 (same keys and files).
   */
  hosts?: number | HostSpec[];
  /** Port shared by every host without its own; default: a free port. */
  port?: number;
  /** Login user. As root: a harness-managed account (default `fabts`). Not root: must be the current user. */
  user?: string;
  /**
   * Log in as root (root only): as `fabts-root`, a harness-managed alias of uid 0 with a clean home.
   * sshd treats uid-0 sessions differently (no privilege separation after login, so it refuses
   * `signal` requests); tests of behaviour that differs use this. Ignores `user`; no sudo.
   */
  rootLogin?: boolean;
  /** Enable PasswordAuthentication (root only); the handle's `password` is then set. */
  password?: boolean;
  /** Enable keyboard-interactive auth through PAM (root only). */
  keyboardInteractive?: boolean;
  maxSessions?: number;
  /** A number or sshd's `start:rate:full` form. */
  maxStartups?: number | string;
  loginGraceTime?: number | string;
  /** Default true. */
  allowTcpForwarding?: boolean | "local" | "remote";
  clientAliveInterval?: number;
  /** Default VERBOSE (the log names the key each login used). */
  logLevel?: SshdLogLevel;
  /** Environment variable patterns sshd accepts from clients; default `LANG LC_* FABTS_*`. */
  acceptEnv?: string[];
  /** Extra sshd_config lines. They override the harness defaults; `Match` blocks are kept last. */
  extraConfig?: string[];
  /** How long to wait for every address to show the SSH banner; default 15 s. */
  startTimeoutMs?: number;
}

const DEFAULT_ACCEPT_ENV = ["LANG", "LC_*", "FABTS_*"];
const PORT_ATTEMPTS = 5;

interface ResolvedUser {
  name: string;
  password: string | undefined;
  nopasswdUser: string | undefined;
  sudo: SudoCapability;
  allowUsers: string[];
}

/** Starts a throwaway OpenSSH sshd on loopback; see the package README for the full contract. */
export async function startSshd(options: StartSshdOptions = {}): Promise<SshdHarness> {
  const sshdPath = requireProgram("sshd");
  requireProgram("ssh-keygen");
  const root = isRoot();
  if (!root && (options.password || options.keyboardInteractive)) {
    throw new Error(
      "startSshd: password and keyboard-interactive auth need root (an unprivileged sshd cannot check passwords)",
    );
  }
  // Root sshd refuses to start without its privilege-separation directory.
  if (root) await mkdir("/run/sshd", { recursive: true, mode: 0o755 });
  const planned = planHosts(options.hosts);
  const user = options.rootLogin ? await resolveRootLogin() : await resolveUser(options.user);

  const dir = await mkdtemp(join(tmpdir(), "fabts-sshd-"));
  // sshd reads authorized_keys as the login user, so the dir must be traversable (not listable).
  await chmod(dir, 0o711);
  const unregister = onProcessExit(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const [clientKeys, ...hostKeys] = await Promise.all([
      getClientKeys(),
      generateKeyPair(dir, "ssh_host_ed25519_key", "ed25519", { comment: "fabts-host" }),
      generateKeyPair(dir, "ssh_host_ecdsa_key", "ecdsa", { comment: "fabts-host" }),
      generateKeyPair(dir, "ssh_host_rsa_key", "rsa", { comment: "fabts-host" }),
    ]);
    const authorizedKeysPath = join(dir, "authorized_keys");
    await writeFile(
      authorizedKeysPath,
      `${clientKeyList(clientKeys)
        .map((k) => k.publicKey)
        .join("\n")}\n`,
      {
        mode: 0o644,
      },
    );
    await chmod(authorizedKeysPath, 0o644);

    const sharedAddresses = planned.filter((host) => host.port === undefined).map((host) => host.address);
    const fixedPorts = options.port !== undefined;
    for (let attempt = 1; ; attempt++) {
      const port = options.port ?? (sharedAddresses.length ? await findFreePort(sharedAddresses) : 0);
      const hosts = planned.map((host): SshdHost => ({ ...host, port: host.port ?? port }));
      const harness = new SshdHarness({
        dir,
        sshdPath,
        port: hosts[0]?.port ?? port,
        hosts,
        user,
        clientKeys,
        hostKeys,
        authorizedKeysPath,
        options,
        unregisterExit: unregister,
      });
      await harness.writeFiles();
      try {
        await harness.assertPortsFree();
        await harness.launch();
        return harness;
      } catch (error) {
        const tail = harness.logTail();
        const portTaken = /Address already in use/i.test(`${tail}\n${String(error)}`);
        if (portTaken && !fixedPorts && attempt < PORT_ATTEMPTS) {
          await Promise.all(harness.logPaths.map((path) => rm(path, { force: true })));
          continue;
        }
        throw startFailure(error, tail, harness);
      }
    }
  } catch (error) {
    unregister();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function resolveUser(requested: string | undefined): Promise<ResolvedUser> {
  if (!isRoot()) {
    const current = userInfo().username;
    if (requested !== undefined && requested !== current) {
      throw new Error(
        `startSshd: not running as root, so the harness can only log in as the current user (${current}), not ${requested}`,
      );
    }
  }
  const testUser = await ensureTestUser(requested === undefined ? {} : { name: requested });
  const nopasswdUser = testUser.sudo.available ? testUser.sudo.nopasswdUser : undefined;
  return {
    name: testUser.name,
    password: testUser.password,
    nopasswdUser,
    sudo: testUser.sudo,
    allowUsers: nopasswdUser ? [testUser.name, nopasswdUser] : [testUser.name],
  };
}

async function resolveRootLogin(): Promise<ResolvedUser> {
  if (!isRoot()) throw new Error("startSshd: rootLogin needs the tests to run as root");
  const login = await ensureRootLoginUser();
  return {
    name: login.name,
    password: undefined,
    nopasswdUser: undefined,
    sudo: login.sudo,
    allowUsers: [login.name],
  };
}

function startFailure(error: unknown, tail: string, harness: SshdHarness): Error {
  const reason = error instanceof Error ? error.message : String(error);
  const text = `${reason}\n${tail}`;
  const hints: string[] = [];
  if (/privilege separation directory/i.test(tail)) hints.push("create /run/sshd (mkdir -p /run/sshd)");
  if (/Bad configuration option|bad key|unsupported option|Missing argument/i.test(tail)) {
    hints.push("fix the sshd_config lines passed in extraConfig");
  }
  if (/Address already in use/i.test(text)) hints.push(`pick another port than ${harness.port}`);
  if (/Permission denied/i.test(text) && !isRoot()) hints.push("use a port above 1024 when not root");
  hints.push("make sure openssh-server is installed (or run scripts/provision-test-host.sh as root)");
  return new Error(
    `startSshd: sshd failed to start (${reason}).\n` +
      `sshd log (last lines):\n${tail ? tail.replace(/^/gm, "  ") : "  (empty)"}\n` +
      `To fix: ${hints.join("; ")}.`,
    { cause: error },
  );
}

export interface SshCommandOptions {
  /** Extra OpenSSH client arguments, placed before the alias (they win over the config file). */
  sshOptions?: string[];
  /** Bypass the generated config and offer only this key (`null`: no key file); see sshArgs(). */
  identityFile?: string | null;
  /** Log in as this user instead of the harness user (e.g. `nopasswdUser`). */
  user?: string;
  /** Answer to password / passphrase prompts. */
  secret?: string;
  /** Added to the client's environment (e.g. SSH_AUTH_SOCK). */
  env?: NodeJS.ProcessEnv;
  /** Sent to the remote command's stdin. */
  input?: string;
}

interface HarnessInit {
  dir: string;
  sshdPath: string;
  port: number;
  hosts: SshdHost[];
  user: ResolvedUser;
  clientKeys: ClientKeys;
  hostKeys: KeyPair[];
  authorizedKeysPath: string;
  options: StartSshdOptions;
  unregisterExit: () => void;
}

/** A running throwaway sshd. Create it with `startSshd()`. */
export class SshdHarness {
  /** The harness's temp dir (config, host keys, known_hosts, log). Removed by stop(). */
  readonly dir: string;
  /** Port of the first host (every host shares it unless a host spec gave its own). */
  readonly port: number;
  readonly hosts: readonly SshdHost[];
  /** Login user for every host. */
  readonly user: string;
  /** The user's password when password or keyboard-interactive auth was requested. */
  readonly password: string | undefined;
  /** A second login whose sudo needs no password (root only). */
  readonly nopasswdUser: string | undefined;
  /** Whether `sudo` works for `user`, with the password it asks for. */
  readonly sudo: SudoCapability;
  /** Authorized client identities (shared by every harness of this process). */
  readonly clientKeys: ClientKeys;
  /** Private key used by the generated ssh_config (the unencrypted ed25519 key). */
  readonly identityFile: string;
  readonly hostKeys: readonly KeyPair[];
  readonly authorizedKeysPath: string;
  readonly knownHostsPath: string;
  /** Same entries with hashed host names (`|1|salt|hash`, as with HashKnownHosts yes). */
  readonly hashedKnownHostsPath: string;
  readonly sshConfigPath: string;
  /** The first daemon's sshd_config (each daemon of a harness over 16 hosts has its own). */
  readonly sshdConfigPath: string;
  /** The first daemon's log; `readLog()` covers every daemon. */
  readonly logPath: string;

  readonly #sshdPath: string;
  readonly #options: StartSshdOptions;
  readonly #allowUsers: readonly string[];
  readonly #unregisterExit: () => void;
  readonly #shards: readonly Shard[];
  #unregisterKill: (() => void)[] = [];
  /** One per shard while running. */
  #daemons: DaemonProcess[] = [];
  #stopping: Promise<void> | undefined;

  constructor(init: HarnessInit) {
    this.dir = init.dir;
    this.port = init.port;
    this.hosts = init.hosts;
    this.user = init.user.name;
    this.password =
      init.options.password || init.options.keyboardInteractive ? init.user.password : undefined;
    this.nopasswdUser = init.user.nopasswdUser;
    this.sudo = init.user.sudo;
    this.clientKeys = init.clientKeys;
    this.identityFile = init.clientKeys.ed25519.privateKeyPath;
    this.hostKeys = init.hostKeys;
    this.authorizedKeysPath = init.authorizedKeysPath;
    this.knownHostsPath = join(init.dir, "known_hosts");
    this.hashedKnownHostsPath = join(init.dir, "known_hosts.hashed");
    this.sshConfigPath = join(init.dir, "ssh_config");
    this.#shards = planShards(init.dir, init.hosts);
    this.sshdConfigPath = this.#shards[0]?.sshdConfigPath ?? join(init.dir, "sshd_config");
    this.logPath = this.#shards[0]?.logPath ?? join(init.dir, "sshd.log");
    this.#sshdPath = init.sshdPath;
    this.#options = init.options;
    this.#allowUsers = init.user.allowUsers;
    this.#unregisterExit = init.unregisterExit;
  }

  /** PID of the (first) listening sshd, or undefined when it is not running. */
  get pid(): number | undefined {
    return this.running ? this.#daemons[0]?.child.pid : undefined;
  }

  /** PIDs of every listening sshd (one per 16 hosts). */
  get pids(): number[] {
    return this.running ? this.#daemons.flatMap((d) => (d.child.pid === undefined ? [] : [d.child.pid])) : [];
  }

  /** Every log file (one per daemon). */
  get logPaths(): string[] {
    return this.#shards.map((shard) => shard.logPath);
  }

  /** True while every daemon runs. */
  get running(): boolean {
    return (
      this.#daemons.length === this.#shards.length &&
      this.#daemons.every(({ child }) => child.exitCode === null && child.signalCode === null)
    );
  }

  /** The host with this alias; throws for an unknown alias. */
  host(alias: string): SshdHost {
    const host = this.hosts.find((candidate) => candidate.alias === alias);
    if (!host) throw new Error(`no host ${alias} (have ${this.hosts.map((h) => h.alias).join(", ")})`);
    return host;
  }

  /**
   * Arguments for the OpenSSH client, ending with the destination: `ssh [...h.sshArgs("host2"), "cmd"]`.
   * `sshOptions` (e.g. `["-o", "BatchMode=no"]`) go before it and win over the config file.
   * With `identityFile` the generated config is bypassed (ssh_config IdentityFile lines add up, so
   * they cannot be overridden): a path offers only that key, `null` offers no key file at all
   * (agent, password or keyboard-interactive only).
   */
  sshArgs(
    alias: string,
    sshOptions: readonly string[] = [],
    identity: { identityFile?: string | null } = {},
  ): string[] {
    const host = this.host(alias);
    if (identity.identityFile === undefined) return ["-F", this.sshConfigPath, ...sshOptions, alias];
    const option = (value: string) => ["-o", value];
    return [
      "-F",
      "/dev/null",
      ...sshOptions,
      ...option(`UserKnownHostsFile=${this.knownHostsPath}`),
      ...option("GlobalKnownHostsFile=/dev/null"),
      ...option("StrictHostKeyChecking=yes"),
      ...option("UpdateHostKeys=no"),
      ...option("BatchMode=yes"),
      ...option("ConnectTimeout=10"),
      ...(identity.identityFile === null
        ? option("IdentityFile=none")
        : [...option("IdentitiesOnly=yes"), "-i", identity.identityFile]),
      "-p",
      String(host.port),
      "-l",
      this.user,
      host.address,
    ];
  }

  /**
   * Runs `command` on a host with the OpenSSH client and collects the result (never rejects on a
   * non-zero exit). `secret` answers a password or key-passphrase prompt (BatchMode is turned off).
   */
  ssh(alias: string, command: string, options: SshCommandOptions = {}): Promise<CommandResult> {
    const sshOptions = [...(options.sshOptions ?? [])];
    if (options.user) sshOptions.push("-l", options.user);
    if (options.secret !== undefined) sshOptions.push("-o", "BatchMode=no");
    const prompts = options.secret === undefined ? noAskpassEnv() : askpassEnv(options.secret);
    const identity = options.identityFile === undefined ? {} : { identityFile: options.identityFile };
    return runCommand(requireProgram("ssh"), [...this.sshArgs(alias, sshOptions, identity), command], {
      env: { ...process.env, ...options.env, ...prompts },
      ...(options.input === undefined ? {} : { input: options.input }),
    });
  }

  /** Adds a public key line (or `cert-authority …` line) to the authorized keys; effective at once. */
  async authorize(publicKeyLine: string): Promise<void> {
    await appendFile(this.authorizedKeysPath, `${publicKeyLine.trim()}\n`);
  }

  /** sshd's own view of its configuration (`sshd -T`), keywords lower-cased, for one host. */
  async effectiveConfig(alias = this.hosts[0]?.alias ?? "host1"): Promise<Map<string, string[]>> {
    const host = this.host(alias);
    const shard = this.#shards.find((candidate) => candidate.hosts.includes(host));
    const { stdout } = await runChecked(this.#sshdPath, [
      "-T",
      "-f",
      shard?.sshdConfigPath ?? this.sshdConfigPath,
      "-C",
      `user=${this.user},host=${host.alias},addr=${host.address},laddr=${host.address},lport=${host.port}`,
    ]);
    const config = new Map<string, string[]>();
    for (const line of stdout.split("\n")) {
      const [keyword, ...rest] = line.trim().split(" ");
      if (!keyword) continue;
      config.set(keyword, [...(config.get(keyword) ?? []), rest.join(" ")]);
    }
    return config;
  }

  /** The sshd log so far (every daemon's, one after the other). */
  async readLog(): Promise<string> {
    const logs = await Promise.all(this.logPaths.map((path) => readFile(path, "utf8").catch(() => "")));
    return logs.join("");
  }

  /** The last lines of the sshd log (of each daemon). */
  logTail(lines = 30): string {
    return this.logPaths
      .map((path) => logTail(path, lines))
      .filter((tail) => tail !== "")
      .join("\n");
  }

  /**
   * Fault injection: sends `signal` (default SIGKILL) to the daemon and every session it forked,
   * so live connections drop. The files stay; `restart()` brings the daemon back on the same port.
   * Other signals (e.g. SIGSTOP to make every host hang, then SIGCONT) are just delivered.
   */
  async kill(signal: NodeJS.Signals = "SIGKILL"): Promise<void> {
    const daemons = this.#daemons.filter(({ child }) => child.exitCode === null && child.signalCode === null);
    for (const daemon of daemons) {
      const signalled = new Set(signalTree(daemon, signal));
      if (signal !== "SIGSTOP") continue;
      // A process that was forking while we listed the tree (sshd forks the post-login child of
      // a connection right after authentication) leaves a child we did not see: stop until a
      // listing finds nothing new (stopped parents fork no more).
      for (let pass = 0; pass < 20; pass++) {
        const fresh = signalTree(daemon, signal).filter((pid) => !signalled.has(pid));
        if (fresh.length === 0) break;
        for (const pid of fresh) signalled.add(pid);
      }
    }
    // SIGSTOP, SIGCONT, SIGHUP (sshd re-executes itself) … leave the daemons in place.
    if (signal === "SIGKILL" || signal === "SIGTERM") await Promise.all(daemons.map((d) => d.exited));
  }

  /** Fault injection: kills only the per-connection processes; the listener keeps accepting. */
  killSessions(signal: NodeJS.Signals = "SIGKILL"): number {
    if (!this.running) return 0;
    return this.#daemons.reduce((count, daemon) => count + signalTree(daemon, signal, false).length, 0);
  }

  /** Stops the daemon (if running) and starts it again with the same port, keys and config. */
  async restart(): Promise<void> {
    if (this.#stopping) throw new Error("restart: the harness was stopped");
    await this.#terminateAll();
    try {
      await this.assertPortsFree();
      await this.launch();
    } catch (error) {
      throw startFailure(error, this.logTail(), this);
    }
  }

  /** Stops the daemon and every session, and removes the temp dir. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      await this.#terminateAll();
      this.#unregisterExit();
      await rm(this.dir, { recursive: true, force: true });
    })();
    return this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** @internal Writes sshd_config, known_hosts and ssh_config for the current ports. */
  async writeFiles(): Promise<void> {
    const opts = this.#options;
    const usePam = opts.keyboardInteractive === true;
    const sshdConfig = {
      listen: this.hosts,
      hostKeyPaths: this.hostKeys.map((key) => key.privateKeyPath),
      authorizedKeysFile: this.authorizedKeysPath,
      allowUsers: this.#allowUsers,
      passwordAuthentication: opts.password === true,
      keyboardInteractive: usePam,
      usePam,
      allowTcpForwarding: opts.allowTcpForwarding ?? true,
      maxSessions: opts.maxSessions,
      maxStartups: opts.maxStartups,
      loginGraceTime: opts.loginGraceTime,
      clientAliveInterval: opts.clientAliveInterval,
      logLevel: opts.logLevel ?? "VERBOSE",
      acceptEnv: opts.acceptEnv ?? DEFAULT_ACCEPT_ENV,
      extraConfig: [
        ...(opts.rootLogin ? ["PermitRootLogin prohibit-password"] : []),
        ...(opts.extraConfig ?? []),
      ],
    };
    const hostPublicKeys = this.hostKeys.map((key) => key.publicKey);
    await Promise.all([
      ...this.#shards.map((shard) =>
        writeFile(shard.sshdConfigPath, renderSshdConfig({ ...sshdConfig, listen: shard.hosts }), {
          mode: 0o600,
        }),
      ),
      writeFile(this.knownHostsPath, renderKnownHosts(this.hosts, hostPublicKeys), { mode: 0o644 }),
      writeFile(this.hashedKnownHostsPath, renderKnownHosts(this.hosts, hostPublicKeys, { hashed: true }), {
        mode: 0o644,
      }),
      writeFile(
        this.sshConfigPath,
        renderSshConfig({
          hosts: this.hosts,
          user: this.user,
          identityFile: this.identityFile,
          knownHostsFile: this.knownHostsPath,
        }),
        { mode: 0o644 },
      ),
    ]);
  }

  /** @internal Throws "Address already in use" (like sshd) when another process holds a port. */
  async assertPortsFree(): Promise<void> {
    const busy: string[] = [];
    for (const host of this.hosts) {
      if (!(await isPortFree([host.address], host.port))) busy.push(`${host.address}:${host.port}`);
    }
    if (busy.length)
      throw new Error(`Address already in use: ${busy.join(", ")} is taken by another process`);
  }

  /** @internal Spawns the daemons (one per shard) and waits for them; used by startSshd() and restart(). */
  async launch(): Promise<void> {
    const started = await Promise.allSettled(
      this.#shards.map((shard) =>
        spawnDaemon({
          sshdPath: this.#sshdPath,
          configPath: shard.sshdConfigPath,
          logPath: shard.logPath,
          harnessDir: this.dir,
          endpoints: shard.hosts,
          timeoutMs: this.#options.startTimeoutMs ?? 15_000,
          logsListening: ["INFO", "VERBOSE", "DEBUG", "DEBUG1", "DEBUG2", "DEBUG3"].includes(
            this.#options.logLevel ?? "VERBOSE",
          ),
        }),
      ),
    );
    const daemons = started.flatMap((outcome) => (outcome.status === "fulfilled" ? [outcome.value] : []));
    const failure = started.find((outcome) => outcome.status === "rejected");
    if (failure) {
      // All or nothing: a harness never runs with some of its hosts missing.
      await Promise.all(daemons.map(terminateDaemon));
      throw failure.reason;
    }
    this.#daemons = daemons;
    for (const unregister of this.#unregisterKill) unregister();
    this.#unregisterKill = daemons.map((daemon) => onProcessExit(() => killDaemonSync(daemon)));
  }

  async #terminateAll(): Promise<void> {
    for (const unregister of this.#unregisterKill) unregister();
    this.#unregisterKill = [];
    const daemons = this.#daemons;
    this.#daemons = [];
    await Promise.all(daemons.map(terminateDaemon));
  }
}
