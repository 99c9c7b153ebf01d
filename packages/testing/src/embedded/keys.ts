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

function generate(comment: string): EmbeddedKeyPair {
  const pair = ssh2.utils.generateKeyPairSync("ed25519", { comment });
  return { privateKey: pair.private, publicKey: pair.public.trim() };
}

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
