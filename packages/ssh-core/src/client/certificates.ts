import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import type { ParsedKey } from "ssh2";
import { KeyFileError } from "../errors.js";
import { expandHome } from "../known-hosts/files.js";
import { installPublicKeyAuthHook } from "../ssh2-internals.js";

/** An OpenSSH certificate (PROTOCOL.certkeys): a public key signed by a CA, with principals and validity. */
export interface SshCertificate {
  /** Certificate type, e.g. `ssh-ed25519-cert-v01@openssh.com`. */
  type: string;
  /** Type of the certified key, e.g. `ssh-ed25519`. */
  keyType: string;
  /** The whole certificate: what is offered as the public key. */
  blob: Buffer;
  /** The certified public key in SSH wire format (what the private key matches). */
  publicKey: Buffer;
  serial: bigint;
  /** `user` certificates log users in; `host` certificates identify servers. */
  certType: "user" | "host";
  keyId: string;
  /** Empty: valid for any principal. */
  principals: string[];
  /** Seconds since the epoch; 0 = always valid from the start. */
  validAfter: bigint;
  /** Seconds since the epoch; 2^64-1 = forever. */
  validBefore: bigint;
  /** The signing CA's public key (wire format). */
  signatureKey: Buffer;
}

const CERT_SUFFIX = "-cert-v01@openssh.com";
const FOREVER = 0xffff_ffff_ffff_ffffn;

/** The certified key's fields, by key type (after the nonce). */
const KEY_FIELDS: Record<string, number> = {
  "ssh-rsa": 2, // e, n
  "ssh-dss": 4, // p, q, g, y
  "ssh-ed25519": 1, // pk
  "ecdsa-sha2-nistp256": 2, // curve, Q
  "ecdsa-sha2-nistp384": 2,
  "ecdsa-sha2-nistp521": 2,
  "sk-ssh-ed25519@openssh.com": 2, // pk, application
  "sk-ecdsa-sha2-nistp256@openssh.com": 3, // curve, Q, application
};

export function isCertificateType(type: string): boolean {
  return type.endsWith(CERT_SUFFIX);
}

/** Request algorithm for a certificate signed with `signatureAlgorithm` (`rsa-sha2-512` → `rsa-sha2-512-cert-v01@openssh.com`). */
export function certificateAlgorithm(signatureAlgorithm: string): string {
  return `${signatureAlgorithm}${CERT_SUFFIX}`;
}

/** The key type in a wire-format blob (`ssh-ed25519`, `ssh-ed25519-cert-v01@openssh.com`, …), or "" when malformed. */
export function blobType(blob: Buffer): string {
  if (blob.length < 4) return "";
  const length = blob.readUInt32BE(0);
  return 4 + length <= blob.length ? blob.toString("latin1", 4, 4 + length) : "";
}

class Reader {
  #offset = 0;
  constructor(readonly data: Buffer) {}

  string(): Buffer {
    if (this.#offset + 4 > this.data.length) throw new Error("truncated certificate");
    const length = this.data.readUInt32BE(this.#offset);
    const start = this.#offset + 4;
    if (start + length > this.data.length) throw new Error("truncated certificate");
    this.#offset = start + length;
    return this.data.subarray(start, start + length);
  }

  /** The raw bytes of the next string including its length prefix. */
  rawString(): Buffer {
    const start = this.#offset;
    this.string();
    return this.data.subarray(start, this.#offset);
  }

  get remaining(): number {
    return this.data.length - this.#offset;
  }

  uint32(): number {
    if (this.#offset + 4 > this.data.length) throw new Error("truncated certificate");
    const value = this.data.readUInt32BE(this.#offset);
    this.#offset += 4;
    return value;
  }

  uint64(): bigint {
    if (this.#offset + 8 > this.data.length) throw new Error("truncated certificate");
    const value = this.data.readBigUInt64BE(this.#offset);
    this.#offset += 8;
    return value;
  }
}

function sshString(value: Buffer | string): Buffer {
  const data = typeof value === "string" ? Buffer.from(value, "latin1") : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

/** Parse a certificate blob. Throws on a malformed or unknown certificate. */
export function parseCertificate(blob: Buffer): SshCertificate {
  const reader = new Reader(blob);
  const type = reader.string().toString("latin1");
  if (!isCertificateType(type)) throw new Error(`not a certificate: ${type || "(empty type)"}`);
  const keyType = type.slice(0, -CERT_SUFFIX.length);
  const fieldCount = KEY_FIELDS[keyType];
  if (fieldCount === undefined) throw new Error(`unsupported certificate type ${type}`);
  reader.string(); // nonce
  const fields: Buffer[] = [];
  for (let i = 0; i < fieldCount; i++) fields.push(reader.rawString());
  const serial = reader.uint64();
  const certTypeCode = reader.uint32();
  if (certTypeCode !== 1 && certTypeCode !== 2)
    throw new Error(`unknown certificate type code ${certTypeCode}`);
  const keyId = reader.string().toString("utf8");
  const principalsReader = new Reader(reader.string());
  const principals: string[] = [];
  while (principalsReader.remaining > 0) principals.push(principalsReader.string().toString("utf8"));
  const validAfter = reader.uint64();
  const validBefore = reader.uint64();
  reader.string(); // critical options
  reader.string(); // extensions
  reader.string(); // reserved
  const signatureKey = Buffer.from(reader.string());
  reader.string(); // signature
  return {
    type,
    keyType,
    blob: Buffer.from(blob),
    publicKey: Buffer.concat([sshString(keyType), ...fields]),
    serial,
    certType: certTypeCode === 1 ? "user" : "host",
    keyId,
    principals,
    validAfter,
    validBefore,
    signatureKey,
  };
}

/** Parse a `-cert.pub` file's text (`type base64 [comment]`). Throws when it is not a certificate. */
export function parseCertificateText(text: string): SshCertificate {
  const [type, base64] = text.trim().split(/\s+/);
  if (!type || !base64) throw new Error("empty certificate file");
  if (!isCertificateType(type)) throw new Error(`${type} is not a certificate type`);
  const certificate = parseCertificate(Buffer.from(base64, "base64"));
  if (certificate.type !== type) throw new Error(`certificate says ${certificate.type}, file says ${type}`);
  return certificate;
}

/** A user certificate read from a file, with the label error messages show. */
export interface CertificateFile {
  /** The path with `~` for the home directory. */
  label: string;
  path: string;
  certificate: SshCertificate;
}

/**
 * Read CertificateFile entries like OpenSSH: a missing file is skipped, a malformed one or a host
 * certificate is `KEY_UNREADABLE`.
 */
export async function loadCertificateFiles(paths: readonly string[]): Promise<CertificateFile[]> {
  const loaded: CertificateFile[] = [];
  const seen = new Set<string>();
  for (const raw of paths) {
    const path = expandHome(raw);
    if (seen.has(path)) continue;
    seen.add(path);
    const file = await readCertificateFile(path);
    if (file instanceof Error) throw file;
    if (file) loaded.push(file);
  }
  return loaded;
}

/**
 * The certificate OpenSSH loads beside an IdentityFile (`<key>-cert.pub`), or undefined when there
 * is none or it is unusable (OpenSSH skips those silently too).
 */
export async function siblingCertificate(keyPath: string): Promise<CertificateFile | undefined> {
  const file = await readCertificateFile(`${keyPath}-cert.pub`);
  return file instanceof Error ? undefined : file;
}

async function readCertificateFile(path: string): Promise<CertificateFile | KeyFileError | undefined> {
  let text: string;
  try {
    text = await readFile(path, "latin1");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    return new KeyFileError("KEY_UNREADABLE", path, `Cannot read certificate ${path}: ${code ?? error}`, {
      cause: error,
    });
  }
  const label = displayPath(path);
  try {
    const certificate = parseCertificateText(text);
    if (certificate.certType !== "user") throw new Error("it is a host certificate");
    return { label, path, certificate };
  } catch (error) {
    return new KeyFileError(
      "KEY_UNREADABLE",
      path,
      `Cannot load certificate ${label}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Why a certificate will certainly be refused for `username` now (expired, not yet valid, principal
 * not listed), or null. Only informative: the certificate is offered anyway, the server decides
 * (clocks differ, and sshd may map principals through AuthorizedPrincipalsFile).
 */
export function certificateProblem(
  certificate: SshCertificate,
  username: string,
  now = new Date(),
): string | null {
  const seconds = BigInt(Math.floor(now.getTime() / 1000));
  if (certificate.validBefore !== FOREVER && seconds >= certificate.validBefore) {
    return `expired ${formatTime(certificate.validBefore)}`;
  }
  if (seconds < certificate.validAfter) return `not valid before ${formatTime(certificate.validAfter)}`;
  if (certificate.principals.length > 0 && !certificate.principals.includes(username)) {
    return `principals ${certificate.principals.join(",")} do not include ${username}`;
  }
  return null;
}

function formatTime(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.000Z$/, "Z");
}

/** What the "tried:" list shows for a certificate: its label and ID, plus a known problem. */
export function describeCertificate(label: string, certificate: SshCertificate, username: string): string {
  const problem = certificateProblem(certificate, username);
  return `${label} (certificate "${certificate.keyId}"${problem ? `, ${problem}` : ""})`;
}

// ---------------------------------------------------------------------------------------------
// Offering certificates through ssh2.
//
// ssh2 1.17 has no certificate support. A certificate is handed to it as a key object that behaves
// like the certified key (same `type`, signing, agent flags and RSA SHA-2 negotiation) except that
// `getPublicSSH()` returns the certificate blob. ssh2 then sends the right blob, but it writes one
// algorithm name into both the request and the signature, while OpenSSH wants the certificate
// algorithm in the request (`ssh-ed25519-cert-v01@openssh.com`) and the plain one in the signature
// (`ssh-ed25519`). ssh2-internals.ts writes such requests for the keys made here.
// ---------------------------------------------------------------------------------------------

// A property rather than a WeakMap: a second copy of this module (the fab CLI bundle) must see it too.
const CERTIFICATE = Symbol.for("fabric-ts.ssh-certificate");

/**
 * A key object for ssh2 that offers `certificate` and is otherwise `key` (the certified key, public
 * or private): it inherits from `key`, so ssh2 still recognises it as a parsed key.
 */
export function certificateKey(key: ParsedKey, certificate: SshCertificate): ParsedKey {
  const wrapped = Object.create(key, {
    getPublicSSH: { value: () => certificate.blob },
    comment: { value: certificate.keyId, writable: true },
    [CERTIFICATE]: { value: certificate },
  }) as ParsedKey;
  return wrapped;
}

/** The certificate a key object offers, when it was made by {@link certificateKey}. */
export function certificateOf(key: unknown): SshCertificate | undefined {
  if (typeof key !== "object" || key === null) return undefined;
  return (key as { [CERTIFICATE]?: SshCertificate })[CERTIFICATE];
}

// Registered at load, applied when ssh2 loads: every connection can then offer certificate keys.
installPublicKeyAuthHook((pubKey, negotiated) => {
  const certificate = certificateOf(pubKey);
  if (!certificate) return undefined;
  // ssh2 passes the negotiated RSA algorithm (rsa-sha2-256/512 from server-sig-algs), else nothing.
  const signatureAlgorithm = negotiated ?? certificate.keyType;
  return {
    requestAlgorithm: certificateAlgorithm(signatureAlgorithm),
    signatureAlgorithm,
    signatureBlob: (signature) => sshSignature(certificate.keyType, signature),
  };
});

/** Signatures from Node's crypto are DER for ECDSA; SSH wants `mpint r, mpint s`. */
function sshSignature(keyType: string, signature: Buffer): Buffer {
  if (!keyType.startsWith("ecdsa-") || signature[0] !== 0x30) return signature;
  const [r, s] = derIntegers(signature);
  return Buffer.concat([sshString(r), sshString(s)]);
}

/** The two INTEGERs of a DER `SEQUENCE { r, s }`, as SSH mpints (leading zero kept when the sign bit is set). */
function derIntegers(der: Buffer): [Buffer, Buffer] {
  let offset = 1;
  offset += derLength(der, offset).size;
  const read = (): Buffer => {
    if (der[offset] !== 0x02) throw new Error("malformed ECDSA signature");
    offset += 1;
    const { length, size } = derLength(der, offset);
    offset += size;
    const value = der.subarray(offset, offset + length);
    offset += length;
    return value;
  };
  return [read(), read()];
}

function derLength(der: Buffer, offset: number): { length: number; size: number } {
  const first = der[offset] ?? 0;
  if (first < 0x80) return { length: first, size: 1 };
  const bytes = first & 0x7f;
  let length = 0;
  for (let i = 1; i <= bytes; i++) length = length * 256 + (der[offset + i] ?? 0);
  return { length, size: 1 + bytes };
}

function displayPath(path: string): string {
  const home = homedir();
  return path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}
