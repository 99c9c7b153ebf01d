import { createHash } from "node:crypto";

/** The key type name at the start of an SSH public key blob (`ssh-ed25519`, `ssh-rsa`, …). */
export function keyTypeOfBlob(blob: Uint8Array): string {
  if (blob.length < 4) throw new Error("Malformed SSH public key blob");
  const view = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const length = view.readUInt32BE(0);
  if (length === 0 || 4 + length > view.length) throw new Error("Malformed SSH public key blob");
  return view.toString("latin1", 4, 4 + length);
}

/** OpenSSH's default fingerprint: `SHA256:` + unpadded base64 of the blob's SHA-256. */
export function fingerprintSha256(blob: Uint8Array): string {
  const digest = createHash("sha256").update(blob).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}

/**
 * Host key algorithm names that produce a key of the given known_hosts key type.
 * An RSA key is stored as `ssh-rsa` but negotiated as `rsa-sha2-512` / `rsa-sha2-256` / `ssh-rsa`.
 */
export function hostKeyAlgorithmsForKeyType(keyType: string): string[] {
  if (keyType === "ssh-rsa") return ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"];
  return [keyType];
}
