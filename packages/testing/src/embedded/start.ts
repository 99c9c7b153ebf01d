import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type EmbeddedClientKey, EmbeddedHost } from "./host.js";
import { cachedClientKey, cachedHostKey, publicKeyLineOf } from "./keys.js";
import { requireLoopback } from "./loopback.js";
import { loadPty } from "./pty.js";
import type { EmbeddedHostSpec, EmbeddedHostsOptions } from "./types.js";
import { resolveUsers } from "./users.js";

/** A running group of embedded hosts; `await using` stops it at the end of the scope. */
export interface EmbeddedHosts extends AsyncDisposable {
  readonly hosts: EmbeddedHost[];
  /** The directory holding one sandbox per host (and `.ssh-client/` with the client files). */
  readonly rootDir: string;
  readonly clientKey: EmbeddedClientKey;
  /** A known_hosts file listing every host of the group. */
  readonly knownHostsPath: string;
  /** An OpenSSH client config with a `Host` block per host (`ssh -F <path> web1 …`). */
  readonly sshConfigPath: string;
  /** The host with this name; throws for an unknown name. */
  host(name: string): EmbeddedHost;
  /** The text of `sshConfigPath`. */
  sshConfig(): string;
  /** Cuts every connection to every host now. */
  dropAll(): void;
  /** Closes every host, hangs up running commands and removes the temp root (a given `rootDir` stays). */
  stop(): Promise<void>;
}

const DEFAULT_HOSTS = ["web1", "web2", "web3"];
const STANDARD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

function hostSpecs(hosts: EmbeddedHostsOptions["hosts"]): EmbeddedHostSpec[] {
  const list =
    typeof hosts === "number"
      ? Array.from({ length: hosts }, (_, i) => `web${i + 1}`)
      : (hosts ?? DEFAULT_HOSTS);
  const specs = list.map((entry) => (typeof entry === "string" ? { name: entry } : entry));
  const seen = new Set<string>();
  for (const { name } of specs) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      throw new Error(`embedded hosts: invalid host name "${name}" (letters, digits, ".", "_", "-")`);
    }
    if (seen.has(name)) throw new Error(`embedded hosts: duplicate host name "${name}"`);
    seen.add(name);
  }
  return specs;
}

// Commands find node itself too, so demos can run `node` on a host.
function defaultPath(): string {
  const nodeDir = dirname(process.execPath);
  return STANDARD_PATH.split(":").includes(nodeDir) ? STANDARD_PATH : `${STANDARD_PATH}:${nodeDir}`;
}

function hostKeyFor(option: EmbeddedHostsOptions["hostKey"], name: string): string | Buffer {
  if (option === undefined) return cachedHostKey(name).privateKey;
  return typeof option === "function" ? option(name) : option;
}

async function writeClientKey(dir: string): Promise<EmbeddedClientKey> {
  const pair = cachedClientKey();
  const privateKeyPath = join(dir, "id_ed25519");
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(privateKeyPath, pair.privateKey, { mode: 0o600 });
  // OpenSSH refuses a private key readable by others, whatever the umask did.
  await chmod(privateKeyPath, 0o600);
  await writeFile(`${privateKeyPath}.pub`, `${pair.publicKey}\n`);
  return { privateKeyPath, privateKey: pair.privateKey, publicKey: pair.publicKey };
}

/**
 * Starts in-process SSH hosts on loopback: exec in a sandbox directory per host, SFTP, port forwarding,
 * publickey/password/keyboard-interactive auth and fault injection.
 */
export async function startEmbeddedHosts(options: EmbeddedHostsOptions = {}): Promise<EmbeddedHosts> {
  const specs = hostSpecs(options.hosts);
  const ownsRoot = options.rootDir === undefined;
  const rootDir = options.rootDir ?? (await mkdtemp(join(tmpdir(), "fabric-ts-embedded-")));
  const clientDir = join(rootDir, ".ssh-client");
  const knownHostsPath = join(clientDir, "known_hosts");
  const sshConfigPath = join(clientDir, "config");

  const hosts: EmbeddedHost[] = [];
  try {
    const [clientKey, pty] = await Promise.all([
      writeClientKey(clientDir),
      options.pty === false ? undefined : loadPty(),
    ]);
    const users = resolveUsers(options.users, clientKey.publicKey);
    const defaultUser = users.keys().next().value ?? "user";
    const addresses = options.address;
    for (const [index, spec] of specs.entries()) {
      const address =
        spec.address ?? (Array.isArray(addresses) ? addresses[index] : addresses) ?? "127.0.0.1";
      const hostKey = hostKeyFor(options.hostKey, spec.name);
      const dir = join(rootDir, spec.name);
      await mkdir(dir, { recursive: true });
      hosts.push(
        new EmbeddedHost({
          name: spec.name,
          dir,
          address: requireLoopback(address, `address of ${spec.name}`),
          port: spec.port ?? options.port ?? 0,
          shell: options.shell ?? "/bin/bash",
          baseEnv: { PATH: defaultPath(), ...options.env },
          users,
          defaultUser,
          pty,
          faults: { ...options.faults, ...spec.faults },
          hostKey,
          hostPublicKey: publicKeyLineOf(hostKey),
          clientKey,
          knownHostsPath,
        }),
      );
    }
    await Promise.all(hosts.map((host) => host.listen()));
    await writeFile(knownHostsPath, `${hosts.map((host) => host.knownHostsLine()).join("\n")}\n`);
    const configText = () => hosts.map((host) => host.sshConfig()).join("\n");
    await writeFile(sshConfigPath, configText());

    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= (async () => {
        await Promise.all(hosts.map((host) => host.close()));
        if (ownsRoot) await rm(rootDir, { recursive: true, force: true, maxRetries: 3 });
      })();
      return stopping;
    };
    return {
      hosts,
      rootDir,
      clientKey,
      knownHostsPath,
      sshConfigPath,
      host(name) {
        const found = hosts.find((host) => host.name === name);
        if (!found) throw new Error(`embedded hosts: no host named "${name}"`);
        return found;
      },
      sshConfig: configText,
      dropAll() {
        for (const host of hosts) host.dropAll();
      },
      stop,
      [Symbol.asyncDispose]: stop,
    };
  } catch (error) {
    await Promise.allSettled(hosts.map((host) => host.close()));
    if (ownsRoot) await rm(rootDir, { recursive: true, force: true });
    throw error;
  }
}
