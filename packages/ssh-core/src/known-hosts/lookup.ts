import { matchHashedHost, matchPatternList } from "./host-pattern.js";
import type { KnownHostsEntry } from "./parse.js";

export type HostKeyStatus =
  /** A known_hosts entry for this name holds exactly this key. */
  | { status: "known"; entry: KnownHostsEntry }
  /** This key is listed under `@revoked`: never accept it. */
  | { status: "revoked"; entry: KnownHostsEntry }
  /** The name is known with a different key of the same type: possible man-in-the-middle. */
  | { status: "changed"; entry: KnownHostsEntry }
  /** No key of this type is known for the name (`otherKeyTypes` lists the types that are). */
  | { status: "unknown"; otherKeyTypes: string[] };

export function entryMatchesName(entry: KnownHostsEntry, name: string): boolean {
  if (entry.hosts.kind === "hashed") return matchHashedHost(entry.hosts.salt, entry.hosts.hash, name);
  return matchPatternList(entry.hosts.patterns, name);
}

/** Entries whose host field matches `name`, in file order. */
export function entriesForName(entries: readonly KnownHostsEntry[], name: string): KnownHostsEntry[] {
  return entries.filter((entry) => entryMatchesName(entry, name));
}

function sameBlob(entry: KnownHostsEntry, blob: Buffer): boolean {
  return Buffer.from(entry.keyBase64, "base64").equals(blob);
}

/**
 * Classify a presented host key like OpenSSH: revoked beats everything, a matching entry wins over
 * a conflicting one, and only a conflict with a key of the *same type* counts as "changed".
 * `@cert-authority` lines are skipped: they vouch for host certificates, which ssh2 does not negotiate.
 */
export function checkHostKey(
  entries: readonly KnownHostsEntry[],
  name: string,
  keyType: string,
  blob: Buffer,
): HostKeyStatus {
  const candidates = entriesForName(entries, name);
  const revoked = candidates.find((e) => e.marker === "revoked" && sameBlob(e, blob));
  if (revoked) return { status: "revoked", entry: revoked };
  const plain = candidates.filter((e) => e.marker === null);
  const known = plain.find((e) => e.keyType === keyType && sameBlob(e, blob));
  if (known) return { status: "known", entry: known };
  const changed = plain.find((e) => e.keyType === keyType);
  if (changed) return { status: "changed", entry: changed };
  const otherKeyTypes = [...new Set(plain.map((e) => e.keyType))];
  return { status: "unknown", otherKeyTypes };
}
