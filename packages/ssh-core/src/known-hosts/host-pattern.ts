import { createHmac } from "node:crypto";

/**
 * The name OpenSSH looks up in known_hosts: the lowercased host, or `[host]:port` when the port is
 * not 22. A HostKeyAlias replaces both (OpenSSH records the alias as-is, without a port).
 */
export function knownHostsName(host: string, port: number, hostKeyAlias?: string): string {
  if (hostKeyAlias) return hostKeyAlias.toLowerCase();
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** `*` matches any run of characters (including none), `?` exactly one. Case-insensitive. */
export function matchWildcard(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const s = name.toLowerCase();
  // Iterative glob with single-star backtracking: linear enough for host patterns.
  let pi = 0;
  let si = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    const pc = p[pi];
    if (pc === "?" || (pc !== undefined && pc !== "*" && pc === s[si])) {
      pi++;
      si++;
    } else if (pc === "*") {
      starP = pi++;
      starS = si;
    } else if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (p[pi] === "*") pi++;
  return pi === p.length;
}

/**
 * A comma-separated known_hosts pattern list matches when some positive pattern matches and no
 * negated (`!pattern`) one does.
 */
export function matchPatternList(patterns: readonly string[], name: string): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith("!")) {
      if (matchWildcard(pattern.slice(1), name)) return false;
    } else if (matchWildcard(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

/** `|1|salt|hash` as written by HashKnownHosts: HMAC-SHA1 of the name keyed with the salt. */
export function hashHostName(name: string, salt: Buffer): string {
  const hash = createHmac("sha1", salt).update(name).digest("base64");
  return `|1|${salt.toString("base64")}|${hash}`;
}

export function matchHashedHost(saltB64: string, hashB64: string, name: string): boolean {
  const salt = Buffer.from(saltB64, "base64");
  const expected = Buffer.from(hashB64, "base64");
  const actual = createHmac("sha1", salt).update(name).digest();
  return expected.length === actual.length && expected.equals(actual);
}
