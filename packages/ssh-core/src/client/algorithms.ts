import { ssh2AlgorithmTables } from "../ssh2-internals.js";

/**
 * Algorithm preferences, per ssh_config: either an explicit list, or an OpenSSH-style string —
 * `a,b` (exact list), `+a,b` (append), `-a*` (remove, wildcards allowed), `^a,b` (move to front).
 */
export interface AlgorithmPreferences {
  kex?: string | readonly string[];
  cipher?: string | readonly string[];
  serverHostKey?: string | readonly string[];
  hmac?: string | readonly string[];
  compress?: string | readonly string[];
}

export interface ResolvedAlgorithms {
  kex: string[];
  cipher: string[];
  serverHostKey: string[];
  hmac: string[];
  compress: string[];
}

type Kind = keyof ResolvedAlgorithms;

function tables(kind: Kind): { defaults: string[]; supported: string[] } {
  const c = ssh2AlgorithmTables();
  switch (kind) {
    case "kex":
      return { defaults: c.DEFAULT_KEX, supported: c.SUPPORTED_KEX };
    case "cipher":
      return { defaults: c.DEFAULT_CIPHER, supported: c.SUPPORTED_CIPHER };
    case "serverHostKey":
      return { defaults: c.DEFAULT_SERVER_HOST_KEY, supported: c.SUPPORTED_SERVER_HOST_KEY };
    case "hmac":
      return { defaults: c.DEFAULT_MAC, supported: c.SUPPORTED_MAC };
    case "compress":
      return { defaults: c.DEFAULT_COMPRESSION, supported: c.SUPPORTED_COMPRESSION };
  }
}

function wildcard(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replaceAll("*", ".*")
    .replaceAll("?", ".");
  return new RegExp(`^${body}$`);
}

/**
 * Turn one preference into the final ordered list ssh2 should offer. Names ssh2 does not implement
 * (e.g. `sntrup761x25519-sha512@openssh.com`) are dropped rather than failing the connection, since
 * ssh_config lists are written for OpenSSH; an empty result is an error.
 */
export function resolveAlgorithmList(
  kind: Kind,
  preference: string | readonly string[] | undefined,
): string[] {
  const { defaults, supported } = tables(kind);
  if (preference === undefined) return [...defaults];
  const spec = typeof preference === "string" ? preference.trim() : null;
  let list: string[];
  if (spec === null) {
    list = (preference as readonly string[]).filter((name) => supported.includes(name));
  } else {
    const op = spec[0];
    const names = spec
      .slice(op === "+" || op === "-" || op === "^" ? 1 : 0)
      .split(",")
      .map((n) => n.trim())
      .filter(Boolean);
    if (op === "+") {
      list = [
        ...defaults,
        ...supported.filter((s) => names.some((n) => wildcard(n).test(s)) && !defaults.includes(s)),
      ];
    } else if (op === "-") {
      list = defaults.filter((d) => !names.some((n) => wildcard(n).test(d)));
    } else if (op === "^") {
      const front = supported.filter((s) => names.some((n) => wildcard(n).test(s)));
      list = [...front, ...defaults.filter((d) => !front.includes(d))];
    } else {
      list = names.flatMap((n) => supported.filter((s) => wildcard(n).test(s)));
    }
  }
  list = [...new Set(list)];
  if (list.length === 0) {
    throw new Error(`No supported ${kind} algorithm left from ${JSON.stringify(preference)}`);
  }
  return list;
}

export function resolveAlgorithms(preferences: AlgorithmPreferences = {}): ResolvedAlgorithms {
  return {
    kex: resolveAlgorithmList("kex", preferences.kex),
    cipher: resolveAlgorithmList("cipher", preferences.cipher),
    serverHostKey: resolveAlgorithmList("serverHostKey", preferences.serverHostKey),
    hmac: resolveAlgorithmList("hmac", preferences.hmac),
    compress: resolveAlgorithmList("compress", preferences.compress),
  };
}

/** Move host key algorithms for already-known key types to the front (OpenSSH's default behaviour). */
export function preferKnownHostKeyTypes(list: readonly string[], preferred: readonly string[]): string[] {
  const front = list.filter((alg) => preferred.includes(alg));
  return [...front, ...list.filter((alg) => !front.includes(alg))];
}
