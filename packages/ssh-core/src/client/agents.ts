import type { OpenSSHAgent, ParsedKey, SigningRequestOptions } from "ssh2";
import { requestAgentIdentities } from "./agent-identities.js";
import {
  blobType,
  certificateKey,
  isCertificateType,
  parseCertificate,
  type SshCertificate,
} from "./certificates.js";
import type { Identity } from "./identities.js";
import { ssh2 } from "./ssh2-module.js";

// This module is imported on first use (auth.ts): defining the classes loads ssh2.
const { BaseAgent } = ssh2();

type IdentityCallback = (err?: Error | null, keys?: ParsedKey[]) => void;
type SignCallback = (err?: Error | null, signature?: Buffer) => void;

/** Produces the usable private key for an identity (decrypting / prompting as needed). */
export type PrivateKeyProvider = (identity: Identity) => Promise<ParsedKey>;

/**
 * Presents one identity file to ssh2 as a single-key agent. ssh2 then offers the public key first and
 * asks us to sign only when the server accepts it, so an encrypted key is decrypted (and its
 * passphrase prompted for) only when it will actually be used, as OpenSSH does.
 */
export class IdentityFileAgent extends BaseAgent<ParsedKey> {
  readonly identity: Identity;
  readonly #provide: PrivateKeyProvider;
  #key: Promise<ParsedKey> | null = null;

  constructor(identity: Identity, provide: PrivateKeyProvider) {
    super();
    this.identity = identity;
    this.#provide = provide;
  }

  #privateKey(): Promise<ParsedKey> {
    this.#key ??= this.#provide(this.identity);
    return this.#key;
  }

  getIdentities(cb: IdentityCallback): void {
    const certificate = this.identity.certificate?.certificate;
    const blob = certificate?.publicKey ?? this.identity.publicBlob;
    if (blob) {
      const parsed = parsePublicBlob(blob);
      if (!parsed) cb(null, []);
      else cb(null, [certificate ? certificateKey(parsed, certificate) : parsed]);
      return;
    }
    // Public half unknown (legacy PEM key without a .pub file): decrypt up front.
    this.#privateKey().then(
      (key) => cb(null, [key]),
      (error: unknown) => cb(asError(error)),
    );
  }

  sign(
    _pubKey: ParsedKey,
    data: Buffer,
    options: SigningRequestOptions | SignCallback,
    cb?: SignCallback,
  ): void {
    const callback = typeof options === "function" ? options : cb;
    const hash = typeof options === "function" ? undefined : options?.hash;
    if (!callback) return;
    this.#privateKey().then(
      (key) => {
        const signature = key.sign(data, hash);
        if (signature instanceof Error) callback(signature);
        else callback(null, signature);
      },
      (error: unknown) => callback(asError(error)),
    );
  }
}

/**
 * The user's ssh-agent, optionally restricted to keys that match an IdentityFile (IdentitiesOnly).
 * Remembers how many keys it offered, for the "what was tried" error message.
 */
export class FilteredAgent extends BaseAgent<ParsedKey> {
  readonly #inner: OpenSSHAgent;
  readonly #socketPath: string;
  readonly #allowed: ((blob: Buffer) => boolean) | null;
  offered = 0;
  /** Public blobs of every key the agent holds (filtered or not). */
  allBlobs: Buffer[] = [];

  constructor(socketPath: string, allowed: ((blob: Buffer) => boolean) | null) {
    super();
    this.#inner = new (ssh2().OpenSSHAgent)(socketPath);
    this.#socketPath = socketPath;
    this.#allowed = allowed;
  }

  /**
   * Fetch the agent's keys and certificates (used before auth to learn which IdentityFiles it
   * already covers). Certificates are offered as such; ssh2's own listing would drop them.
   */
  async listKeys(): Promise<ParsedKey[]> {
    const identities = await requestAgentIdentities(this.#socketPath);
    return identities.flatMap(({ blob, comment }) => {
      const key = agentKeyFromBlob(blob);
      if (key) key.comment = comment;
      return key ? [key] : [];
    });
  }

  getIdentities(cb: IdentityCallback): void {
    this.listKeys().then(
      (keys) => {
        this.allBlobs = keys.map((k) => k.getPublicSSH());
        const usable = this.#allowed ? keys.filter((k) => this.#allowed?.(k.getPublicSSH())) : keys;
        this.offered = usable.length;
        cb(null, usable);
      },
      (error: unknown) => cb(asError(error)),
    );
  }

  sign(
    pubKey: ParsedKey,
    data: Buffer,
    options: SigningRequestOptions | SignCallback,
    cb?: SignCallback,
  ): void {
    if (typeof options === "function") this.#inner.sign(pubKey, data, options);
    else this.#inner.sign(pubKey, data, options ?? {}, cb);
  }
}

/**
 * Offers a CertificateFile certificate whose private key only the ssh-agent holds: the agent is
 * asked to sign with the bare key, which it has (it may not hold the certificate).
 */
export class AgentCertificateAgent extends BaseAgent<ParsedKey> {
  readonly #inner: OpenSSHAgent;
  readonly #key: ParsedKey;
  readonly #certificate: SshCertificate;

  constructor(socketPath: string, key: ParsedKey, certificate: SshCertificate) {
    super();
    this.#inner = new (ssh2().OpenSSHAgent)(socketPath);
    this.#key = key;
    this.#certificate = certificate;
  }

  getIdentities(cb: IdentityCallback): void {
    cb(null, [certificateKey(this.#key, this.#certificate)]);
  }

  sign(
    _pubKey: ParsedKey,
    data: Buffer,
    options: SigningRequestOptions | SignCallback,
    cb?: SignCallback,
  ): void {
    if (typeof options === "function") this.#inner.sign(this.#key, data, options);
    else this.#inner.sign(this.#key, data, options ?? {}, cb);
  }
}

/** A key or certificate blob as listed by an agent, as a key object ssh2 can offer; null when unsupported. */
export function agentKeyFromBlob(blob: Buffer): ParsedKey | null {
  if (!isCertificateType(blobType(blob))) return parsePublicBlob(blob);
  try {
    const certificate = parseCertificate(blob);
    const key = parsePublicBlob(certificate.publicKey);
    return key ? certificateKey(key, certificate) : null;
  } catch {
    return null;
  }
}

export function parsePublicBlob(blob: Buffer): ParsedKey | null {
  const type = blob.toString("latin1", 4, 4 + blob.readUInt32BE(0));
  const parsed = ssh2().parseKey(`${type} ${blob.toString("base64")}`);
  if (parsed instanceof Error) return null;
  return Array.isArray(parsed) ? (parsed[0] ?? null) : parsed;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
