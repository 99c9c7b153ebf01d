import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { generateKeyPair, type KeyPair } from "./keys.js";
import { processScratchDir } from "./scratch.js";

/** The passphrase of `ClientKeys.ed25519Encrypted`. */
export const TEST_KEY_PASSPHRASE = "fabric-ts test passphrase";

/** Client identities every harness authorizes. */
export interface ClientKeys {
  dir: string;
  ed25519: KeyPair;
  /** Encrypted with TEST_KEY_PASSPHRASE. */
  ed25519Encrypted: KeyPair & { passphrase: string };
  rsa: KeyPair;
  ecdsa: KeyPair;
}

let cached: Promise<ClientKeys> | undefined;

/**
 * Client keys, generated once per process and shared by every harness it starts
 * (removed when the process exits).
 */
export function getClientKeys(): Promise<ClientKeys> {
  cached ??= createClientKeys().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function createClientKeys(): Promise<ClientKeys> {
  const dir = join(processScratchDir(), "client-keys");
  // A failed earlier attempt may have left the dir behind; ssh-keygen will not overwrite keys.
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { mode: 0o700 });
  const [ed25519, ed25519Encrypted, rsa, ecdsa] = await Promise.all([
    generateKeyPair(dir, "id_ed25519", "ed25519"),
    generateKeyPair(dir, "id_ed25519_encrypted", "ed25519", { passphrase: TEST_KEY_PASSPHRASE }),
    generateKeyPair(dir, "id_rsa", "rsa"),
    generateKeyPair(dir, "id_ecdsa", "ecdsa"),
  ]);
  return {
    dir,
    ed25519,
    ed25519Encrypted: { ...ed25519Encrypted, passphrase: TEST_KEY_PASSPHRASE },
    rsa,
    ecdsa,
  };
}

/** All client keys as a list, in the order OpenSSH tests usually want them. */
export function clientKeyList(keys: ClientKeys): KeyPair[] {
  return [keys.ed25519, keys.ed25519Encrypted, keys.rsa, keys.ecdsa];
}
