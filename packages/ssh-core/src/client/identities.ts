import type { Stats } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import type { ParsedKey } from "ssh2";
import { StatCache } from "../cache/stat-cache.js";
import { KeyFileError } from "../errors.js";
import { expandHome } from "../known-hosts/files.js";
import { type CertificateFile, siblingCertificate } from "./certificates.js";
import { ssh2 } from "./ssh2-module.js";

/** A private key source: a file on disk or key material handed over in memory. */
export interface Identity {
  /** What error messages show: the path with `~` for the home directory, or a caller label. */
  label: string;
  /** The key file path (undefined for in-memory keys). */
  path?: string;
  /** SSH wire-format public key blob, when it can be known without decrypting. */
  publicBlob: Buffer | null;
  encrypted: boolean;
  /** Raw private key data, decrypted on demand with {@link decryptIdentity}. */
  data: Buffer;
  /** Already-usable private key, for unencrypted keys. */
  privateKey: ParsedKey | null;
  /** Passphrase supplied with an in-memory key. */
  passphrase?: string;
  /** Offer this user certificate (signed with this identity's key) instead of the bare key. */
  certificate?: CertificateFile;
}

export interface InMemoryKey {
  key: string | Buffer;
  passphrase?: string;
  label?: string;
}

/**
 * Unencrypted keys already parsed, by path, reused while the file is unchanged (parsing a key and
 * deriving its public half costs more than the stat). Encrypted keys are read afresh every time:
 * their public half may come from a `.pub` file this cache does not watch.
 */
const parsedKeyFiles = new StatCache<Promise<Identity | null>>();

/**
 * Read IdentityFile keys like OpenSSH: missing files are skipped silently, unreadable or malformed
 * ones are an error (`KEY_UNREADABLE`). Encrypted keys are not decrypted here; their public half is
 * taken from `<path>.pub` or from the unencrypted header of the OpenSSH key format.
 * With `siblingCertificates` (OpenSSH does this when no CertificateFile is configured), a
 * `<path>-cert.pub` for the key is offered right after it.
 */
export async function loadIdentityFiles(
  paths: readonly string[],
  { siblingCertificates = true }: { siblingCertificates?: boolean } = {},
): Promise<Identity[]> {
  const identities: Identity[] = [];
  const seen = new Set<string>();
  for (const raw of paths) {
    const path = expandHome(raw);
    if (seen.has(path)) continue;
    seen.add(path);
    const identity = await loadIdentityFile(path);
    if (!identity) continue;
    identities.push(identity);
    const certificate = siblingCertificates ? await siblingCertificate(path) : undefined;
    if (
      certificate &&
      (!identity.publicBlob || identity.publicBlob.equals(certificate.certificate.publicKey))
    ) {
      identities.push({ ...identity, certificate });
    }
  }
  return identities;
}

/** One IdentityFile, or undefined when it does not exist. */
async function loadIdentityFile(path: string): Promise<Identity | undefined> {
  const checkedAt = Date.now();
  let stats: Stats;
  try {
    stats = await stat(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw unreadable(path, error);
  }
  const cached = await parsedKeyFiles.get(path, stats);
  if (cached) return { ...cached, label: displayPath(path) };
  const reading = readIdentityFile(path);
  // Cached as a promise so that connections starting together share one read and parse.
  parsedKeyFiles.set(
    path,
    stats,
    reading.then(
      (identity) => (identity && !identity.encrypted ? identity : null),
      () => null,
    ),
    checkedAt,
  );
  return reading;
}

async function readIdentityFile(path: string): Promise<Identity | undefined> {
  let data: Buffer;
  try {
    data = await readFile(path);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw unreadable(path, error);
  }
  return identityFromData(data, displayPath(path), path);
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

function unreadable(path: string, error: unknown): KeyFileError {
  return new KeyFileError("KEY_UNREADABLE", path, `Cannot read key file ${path}: ${describe(error)}`, {
    cause: error,
  });
}

/** In-memory keys (`privateKeys` option), labelled `key #n` unless given a label. */
export async function loadInMemoryKeys(keys: readonly InMemoryKey[]): Promise<Identity[]> {
  const identities: Identity[] = [];
  for (const [index, key] of keys.entries()) {
    const data = typeof key.key === "string" ? Buffer.from(key.key) : key.key;
    const identity = await identityFromData(data, key.label ?? `key #${index + 1}`);
    identities.push(key.passphrase === undefined ? identity : { ...identity, passphrase: key.passphrase });
  }
  return identities;
}

export async function identityFromData(data: Buffer, label: string, path?: string): Promise<Identity> {
  const parsed = parseFirstKey(data);
  if (!(parsed instanceof Error)) {
    if (!parsed.isPrivateKey()) {
      throw new KeyFileError("KEY_UNREADABLE", path ?? label, `${label} is a public key, not a private key`);
    }
    return {
      label,
      ...(path ? { path } : {}),
      publicBlob: parsed.getPublicSSH(),
      encrypted: false,
      data,
      privateKey: parsed,
    };
  }
  if (!/no passphrase given/i.test(parsed.message)) {
    throw new KeyFileError("KEY_UNREADABLE", path ?? label, `Cannot load key ${label}: ${parsed.message}`, {
      cause: parsed,
    });
  }
  const rounds = bcryptRounds(data);
  if (rounds !== undefined && rounds > MAX_KDF_ROUNDS) {
    throw new KeyFileError(
      "KEY_UNREADABLE",
      path ?? label,
      `Cannot load key ${label}: its bcrypt KDF asks for ${rounds} rounds (corrupted? at most ${MAX_KDF_ROUNDS} are accepted)`,
    );
  }
  const publicBlob =
    (path ? await readPublicKeyFile(`${path}.pub`) : null) ?? openSshContainerPublicKey(data);
  return { label, ...(path ? { path } : {}), publicBlob, encrypted: true, data, privateKey: null };
}

/**
 * Decrypt an encrypted identity. Throws `BAD_PASSPHRASE` for a wrong passphrase.
 */
export function decryptIdentity(identity: Identity, passphrase: string): ParsedKey {
  if (identity.privateKey) return identity.privateKey;
  const parsed = parseFirstKey(identity.data, passphrase);
  if (parsed instanceof Error) {
    if (/passphrase|decrypt|integrity|malformed/i.test(parsed.message)) {
      throw new KeyFileError(
        "BAD_PASSPHRASE",
        identity.path ?? identity.label,
        `Wrong passphrase for key ${identity.label}`,
      );
    }
    throw new KeyFileError(
      "KEY_UNREADABLE",
      identity.path ?? identity.label,
      `Cannot load key ${identity.label}: ${parsed.message}`,
    );
  }
  return parsed;
}

function parseFirstKey(data: Buffer, passphrase?: string): ParsedKey | Error {
  const parsed = ssh2().parseKey(data, passphrase);
  if (Array.isArray(parsed)) {
    const first = parsed[0];
    return first ?? new Error("No key found");
  }
  return parsed;
}

async function readPublicKeyFile(path: string): Promise<Buffer | null> {
  try {
    const parsed = parseFirstKey(await readFile(path));
    return parsed instanceof Error ? null : parsed.getPublicSSH();
  } catch {
    return null;
  }
}

/**
 * Most bcrypt KDF rounds an encrypted OpenSSH key may ask for (ssh-keygen's default is 16, `-a 100`
 * is common). Decryption costs ~10 ms per round here and blocks the event loop, so a corrupted
 * rounds field (billions) would freeze the process: such keys are refused as unreadable instead.
 */
export const MAX_KDF_ROUNDS = 1000;

interface OpenSshContainer {
  kdf: string;
  kdfOptions: Buffer;
  /** The first public key blob, stored in the clear. */
  publicKey: Buffer | null;
}

/**
 * The `openssh-key-v1` container's cleartext header: magic, cipher, kdf, kdf options, key count,
 * then the first public key blob. Null when the data is not such a container.
 */
function readOpenSshContainer(data: Buffer): OpenSshContainer | null {
  const text = data.toString("latin1");
  const match = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (!match?.[1]) return null;
  const raw = Buffer.from(match[1].replace(/\s+/g, ""), "base64");
  const magic = "openssh-key-v1\0";
  if (raw.toString("latin1", 0, magic.length) !== magic) return null;
  let offset = magic.length;
  const readString = (): Buffer | null => {
    if (offset + 4 > raw.length) return null;
    const length = raw.readUInt32BE(offset);
    offset += 4;
    if (offset + length > raw.length) return null;
    const value = raw.subarray(offset, offset + length);
    offset += length;
    return value;
  };
  const cipher = readString();
  const kdf = readString();
  const kdfOptions = readString();
  if (!cipher || !kdf || !kdfOptions) return null;
  let publicKey: Buffer | null = null;
  if (offset + 4 <= raw.length && raw.readUInt32BE(offset) >= 1) {
    offset += 4;
    const blob = readString();
    publicKey = blob ? Buffer.from(blob) : null;
  }
  return { kdf: kdf.toString("latin1"), kdfOptions: Buffer.from(kdfOptions), publicKey };
}

/** The public key stored in the clear in an `openssh-key-v1` container, or null. */
export function openSshContainerPublicKey(data: Buffer): Buffer | null {
  return readOpenSshContainer(data)?.publicKey ?? null;
}

/** bcrypt rounds of an encrypted OpenSSH key (kdf options: string salt, uint32 rounds), or undefined. */
function bcryptRounds(data: Buffer): number | undefined {
  const container = readOpenSshContainer(data);
  if (container?.kdf !== "bcrypt") return undefined;
  const options = container.kdfOptions;
  if (options.length < 4) return undefined;
  const saltLength = options.readUInt32BE(0);
  if (4 + saltLength + 4 > options.length) return undefined;
  return options.readUInt32BE(4 + saltLength);
}

function displayPath(path: string): string {
  const home = homedir();
  return path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

function describe(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `${e.code}` : String(e.message ?? e);
}
