import { isIPv4 } from "node:net";

/** A host requested from the harness: a loopback address, optionally with its own alias and port. */
export type HostSpec = string | { address: string; alias?: string; port?: number };

/** One "host" served by the harness sshd. */
export interface SshdHost {
  alias: string;
  address: string;
  port: number;
}

/** A host before its port is known (undefined means "the harness's shared port"). */
export interface PlannedHost {
  alias: string;
  address: string;
  port: number | undefined;
}

const MAX_HOSTS = 254;
const ALIAS_PATTERN = /^[A-Za-z0-9._-]+$/;

/** True for 127.0.0.0/8, the only addresses the harness will listen on. */
export function isLoopbackV4(address: string): boolean {
  return isIPv4(address) && address.startsWith("127.");
}

/** Turns the `hosts` option into concrete aliases and addresses; rejects anything off loopback. */
export function planHosts(hosts: number | readonly HostSpec[] | undefined): PlannedHost[] {
  const specs: HostSpec[] =
    typeof hosts === "number" || hosts === undefined ? countToAddresses(hosts ?? 1) : [...hosts];
  if (specs.length === 0) throw new Error("startSshd: `hosts` must name at least one host");
  const planned = specs.map((spec, index): PlannedHost => {
    const { address, alias, port } = typeof spec === "string" ? { address: spec } : spec;
    if (!isLoopbackV4(address)) {
      throw new Error(
        `startSshd: host address ${JSON.stringify(address)} is not in 127.0.0.0/8 (loopback only)`,
      );
    }
    const name = alias ?? `host${index + 1}`;
    if (!ALIAS_PATTERN.test(name)) throw new Error(`startSshd: invalid host alias ${JSON.stringify(name)}`);
    return { alias: name, address, port };
  });
  assertUnique(
    planned.map((host) => host.alias),
    "alias",
  );
  assertUnique(
    planned.map((host) => `${host.address}:${host.port ?? "shared"}`),
    "address/port pair",
  );
  return planned;
}

function countToAddresses(count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > MAX_HOSTS) {
    throw new Error(`startSshd: \`hosts\` must be an integer from 1 to ${MAX_HOSTS}, got ${count}`);
  }
  return Array.from({ length: count }, (_, index) => `127.0.0.${index + 1}`);
}

function assertUnique(values: string[], what: string): void {
  const seen = new Set<string>();
  for (const value of values) {
    if (seen.has(value)) throw new Error(`startSshd: duplicate host ${what} ${JSON.stringify(value)}`);
    seen.add(value);
  }
}

/** How OpenSSH names a host in known_hosts: bare for port 22, `[address]:port` otherwise. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}
