import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { requireProgram } from "./binaries.js";
import { runChecked } from "./exec.js";

export type KeyType = "ed25519" | "ecdsa" | "rsa";

/** A key pair on disk in OpenSSH format. */
export interface KeyPair {
  type: KeyType;
  privateKeyPath: string;
  publicKeyPath: string;
  /** The public key line (`ssh-ed25519 AAAA… comment`). */
  publicKey: string;
  /** `SHA256:…` as printed by `ssh-keygen -lf` and `ssh-add -l`. */
  fingerprint: string;
  /** Set for an encrypted private key. */
  passphrase?: string;
}

// RSA 2048 keeps generation fast; the tests are about behaviour, not key strength.
const KEYGEN_BITS: Record<KeyType, string[]> = { ed25519: [], ecdsa: ["-b", "256"], rsa: ["-b", "2048"] };

/** SHA256 fingerprint of a public key line, formatted like OpenSSH. */
export function fingerprintOf(publicKeyLine: string): string {
  const blob = publicKeyLine.trim().split(/\s+/)[1];
  if (!blob) throw new Error(`not a public key line: ${publicKeyLine}`);
  const digest = createHash("sha256").update(Buffer.from(blob, "base64")).digest("base64");
  return `SHA256:${digest.replace(/=+$/, "")}`;
}

/** Generates a key pair with ssh-keygen at `dir/name` (and `.pub`). */
export async function generateKeyPair(
  dir: string,
  name: string,
  type: KeyType,
  options: { passphrase?: string; comment?: string } = {},
): Promise<KeyPair> {
  const privateKeyPath = join(dir, name);
  const keygen = requireProgram("ssh-keygen");
  await runChecked(keygen, [
    "-q",
    "-t",
    type,
    ...KEYGEN_BITS[type],
    "-N",
    options.passphrase ?? "",
    "-C",
    options.comment ?? `fabric-ts-${name}`,
    "-f",
    privateKeyPath,
  ]);
  const publicKey = (await readFile(`${privateKeyPath}.pub`, "utf8")).trim();
  const pair: KeyPair = {
    type,
    privateKeyPath,
    publicKeyPath: `${privateKeyPath}.pub`,
    publicKey,
    fingerprint: fingerprintOf(publicKey),
  };
  if (options.passphrase !== undefined) pair.passphrase = options.passphrase;
  return pair;
}
