import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { findProgram, readBanner, type SshdHarness, startSshd } from "@fabric-ts/testing";

/** OpenSSH's sshd listens on at most 16 sockets (MAX_LISTEN_SOCKS), so big fleets need several daemons. */
export const ADDRESSES_PER_DAEMON = 16;

/** A set of loopback "hosts" sharing one login, key, known_hosts and ssh_config. */
export interface Fleet {
  addresses: readonly string[];
  port: number;
  user: string;
  identityFile: string;
  knownHostsPath: string;
  /** ssh_config for every address (use the address as the destination). */
  sshConfigPath: string;
  /** One address per line, for parallel-ssh's `-h`. */
  hostsFilePath: string;
}

/** The i-th fleet address: 127.1.0.1 … 127.1.0.250, 127.2.0.1 …, away from the harness's 127.0.0.x. */
export function fleetAddress(index: number): string {
  return `127.${1 + Math.floor(index / 250)}.0.${(index % 250) + 1}`;
}

/** Splits addresses into groups small enough for one sshd. */
export function daemonGroups(addresses: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (let i = 0; i < addresses.length; i += ADDRESSES_PER_DAEMON) {
    groups.push(addresses.slice(i, i + ADDRESSES_PER_DAEMON));
  }
  return groups;
}

/**
 * The bench's hosts: one harness sshd (127.0.0.1, a clean test user, keys) plus, on demand, fleets
 * of extra sshd processes that reuse the harness's sshd_config with other listen addresses.
 */
export class HostPool {
  readonly harness: SshdHarness;
  readonly #daemons: ChildProcess[] = [];
  #nextAddress = 0;

  private constructor(harness: SshdHarness) {
    this.harness = harness;
  }

  static async start(): Promise<HostPool> {
    const harness = await startSshd({
      hosts: 1,
      // Many simultaneous handshakes in the fan-out scenarios; sshd's default 10:30:100 drops them.
      maxStartups: "2000",
      maxSessions: 64,
      logLevel: "INFO",
      extraConfig: ["MaxAuthTries 10"],
    });
    return new HostPool(harness);
  }

  /** The single-host destination: the harness's host1 (127.0.0.1). */
  get single(): Fleet {
    const host = this.harness.host("host1");
    return {
      addresses: [host.address],
      port: host.port,
      user: this.harness.user,
      identityFile: this.harness.identityFile,
      knownHostsPath: this.harness.knownHostsPath,
      sshConfigPath: this.harness.sshConfigPath,
      hostsFilePath: "",
    };
  }

  /** Starts `count` more hosts on 127.1.0.x… (ceil(count/16) sshd processes). */
  async fleet(name: string, count: number): Promise<Fleet> {
    const offset = this.#nextAddress;
    this.#nextAddress += count;
    const addresses = Array.from({ length: count }, (_, i) => fleetAddress(offset + i));
    const port = this.harness.port;
    const base = (await readFile(this.harness.sshdConfigPath, "utf8"))
      .split("\n")
      .filter((line) => !/^\s*ListenAddress\b/i.test(line));
    const groups = daemonGroups(addresses);
    const sshdPath = findProgram("sshd") ?? "sshd";
    await Promise.all(
      groups.map(async (group, index) => {
        const configPath = join(this.harness.dir, `bench-${name}-${index}.sshd_config`);
        const logPath = join(this.harness.dir, `bench-${name}-${index}.log`);
        const listen = group.map((address) => `ListenAddress ${address}:${port}`);
        // sshd keeps the first value of a keyword, so listen lines can go anywhere before Match.
        await writeFile(configPath, [listen.join("\n"), ...base].join("\n"), { mode: 0o600 });
        const daemon = spawn(sshdPath, ["-D", "-f", configPath, "-E", logPath], {
          stdio: "ignore",
        });
        this.#daemons.push(daemon);
        await waitForListening(daemon, group, port, logPath);
      }),
    );
    const hostKeys = this.harness.hostKeys.map((key) => key.publicKey.split(" ").slice(0, 2).join(" "));
    const knownHostsPath = join(this.harness.dir, `bench-${name}.known_hosts`);
    const sshConfigPath = join(this.harness.dir, `bench-${name}.ssh_config`);
    const hostsFilePath = join(this.harness.dir, `bench-${name}.hosts`);
    const knownHosts = addresses.flatMap((address) => hostKeys.map((key) => `[${address}]:${port} ${key}`));
    await writeFile(knownHostsPath, `${knownHosts.join("\n")}\n`);
    await writeFile(
      sshConfigPath,
      [
        "Host 127.*",
        `  Port ${port}`,
        `  User ${this.harness.user}`,
        `  IdentityFile ${this.harness.identityFile}`,
        "  IdentitiesOnly yes",
        `  UserKnownHostsFile ${knownHostsPath}`,
        "  GlobalKnownHostsFile /dev/null",
        "  StrictHostKeyChecking yes",
        "  UpdateHostKeys no",
        "  BatchMode yes",
        "  ConnectTimeout 30",
        "",
      ].join("\n"),
    );
    await writeFile(hostsFilePath, `${addresses.join("\n")}\n`);
    return {
      addresses,
      port,
      user: this.harness.user,
      identityFile: this.harness.identityFile,
      knownHostsPath,
      sshConfigPath,
      hostsFilePath,
    };
  }

  async stop(): Promise<void> {
    for (const daemon of this.#daemons) daemon.kill("SIGTERM");
    this.#daemons.length = 0;
    await this.harness.stop();
  }
}

async function waitForListening(
  daemon: ChildProcess,
  addresses: readonly string[],
  port: number,
  logPath: string,
): Promise<void> {
  for (const address of addresses) {
    for (let attempt = 0; ; attempt++) {
      if (daemon.exitCode !== null || daemon.signalCode !== null) {
        const log = await readFile(logPath, "utf8").catch(() => "");
        throw new Error(`bench sshd for ${address}:${port} exited during start-up:\n${log}`);
      }
      if (await readBanner(address, port, 1_000)) break;
      if (attempt > 100) throw new Error(`bench sshd did not answer on ${address}:${port}`);
      await delay(50);
    }
  }
}
