import ssh2 from "ssh2";

/** An OpenSSH-format key pair held in memory. */
export interface EmbeddedKeyPair {
  privateKey: string;
  /** `ssh-ed25519 AAAA… comment` */
  publicKey: string;
}

// Generating is cheap (~1 ms) but done once per process so every start-up stays in the millisecond range.
const hostKeys = new Map<string, EmbeddedKeyPair>();
let clientKey: EmbeddedKeyPair | undefined;

/**
 * A fresh ed25519 pair in OpenSSH format. ssh2's generator encodes a public key that starts with a zero
 * byte as 31 bytes (about one key in 256), which no parser accepts; such a pair is simply drawn again.
 */
export function generateEd25519(comment: string): EmbeddedKeyPair {
  for (;;) {
    const pair = ssh2.utils.generateKeyPairSync("ed25519", { comment });
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error)) {
      return { privateKey: pair.private, publicKey: pair.public.trim() };
    }
  }
}

const generate = generateEd25519;

export function cachedHostKey(hostName: string): EmbeddedKeyPair {
  let pair = hostKeys.get(hostName);
  if (!pair) {
    pair = generate(`fabric-ts-embedded-host-${hostName}`);
    hostKeys.set(hostName, pair);
  }
  return pair;
}

export function cachedClientKey(): EmbeddedKeyPair {
  clientKey ??= generate("fabric-ts-embedded-client");
  return clientKey;
}

/** The public key line (`<type> <base64>`) of a private key given as text or Buffer. */
export function publicKeyLineOf(privateKey: string | Buffer): string {
  const parsed = ssh2.utils.parseKey(privateKey);
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key || key instanceof Error) {
    throw new Error(`embedded hosts: cannot parse host key: ${key instanceof Error ? key.message : "empty"}`);
  }
  return `${key.type} ${key.getPublicSSH().toString("base64")}`;
}
