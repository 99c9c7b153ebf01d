import ssh2, { type ParsedKey, type SigningRequestOptions } from "ssh2";
import type { Identity } from "./identities.js";

type IdentityCallback = (err?: Error | null, keys?: ParsedKey[]) => void;
type SignCallback = (err?: Error | null, signature?: Buffer) => void;

/** Produces the usable private key for an identity (decrypting / prompting as needed). */
export type PrivateKeyProvider = (identity: Identity) => Promise<ParsedKey>;

/**
 * Presents one identity file to ssh2 as a single-key agent. ssh2 then offers the public key first and
 * asks us to sign only when the server accepts it, so an encrypted key is decrypted (and its
 * passphrase prompted for) only when it will actually be used, as OpenSSH does.
 */
export class IdentityFileAgent extends ssh2.BaseAgent<ParsedKey> {
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
    const blob = this.identity.publicBlob;
    if (blob) {
      const parsed = parsePublicBlob(blob);
      cb(null, parsed ? [parsed] : []);
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
export class FilteredAgent extends ssh2.BaseAgent<ParsedKey> {
  readonly #inner: ssh2.OpenSSHAgent;
  readonly #allowed: ((blob: Buffer) => boolean) | null;
  offered = 0;
  /** Public blobs of every key the agent holds (filtered or not). */
  allBlobs: Buffer[] = [];

  constructor(socketPath: string, allowed: ((blob: Buffer) => boolean) | null) {
    super();
    this.#inner = new ssh2.OpenSSHAgent(socketPath);
    this.#allowed = allowed;
  }

  /** Fetch the agent's keys (used before auth to learn which IdentityFiles it already covers). */
  listKeys(): Promise<ParsedKey[]> {
    return new Promise((resolve, reject) => {
      this.#inner.getIdentities((err, keys) => {
        if (err) reject(err);
        else resolve((keys ?? []) as ParsedKey[]);
      });
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

export function parsePublicBlob(blob: Buffer): ParsedKey | null {
  const type = blob.toString("latin1", 4, 4 + blob.readUInt32BE(0));
  const parsed = ssh2.utils.parseKey(`${type} ${blob.toString("base64")}`);
  if (parsed instanceof Error) return null;
  return Array.isArray(parsed) ? (parsed[0] ?? null) : parsed;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
