import { isIP } from "node:net";

/** True for 127.0.0.0/8, ::1 and the IPv4-mapped form of a 127.x address. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "");
  if (bare === "::1") return true;
  const v4 = bare.startsWith("::ffff:") ? bare.slice("::ffff:".length) : bare;
  return isIP(v4) === 4 && v4.startsWith("127.");
}

/** Maps `localhost` to 127.0.0.1 and refuses anything that is not loopback. */
export function requireLoopback(address: string, what: string): string {
  const resolved = address === "localhost" ? "127.0.0.1" : address;
  if (!isLoopbackAddress(resolved)) {
    throw new Error(
      `embedded hosts: ${what} must be a loopback address (127.0.0.0/8 or ::1), got ${address}`,
    );
  }
  return resolved;
}

/** Resolves a forwarding target: loopback names and addresses only, anything else is undefined. */
export function loopbackTarget(host: string): string | undefined {
  if (host === "localhost") return "127.0.0.1";
  return isLoopbackAddress(host) ? host.replace(/^\[|\]$/g, "") : undefined;
}

/** The known_hosts host field: a bare address on port 22, `[address]:port` otherwise (as OpenSSH writes it). */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}
