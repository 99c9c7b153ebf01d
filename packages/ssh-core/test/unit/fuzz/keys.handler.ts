/**
 * Worker-side key case: load key bytes like an IdentityFile, then (when encrypted and a passphrase
 * is given) decrypt. Reports the typed outcome, or the crash.
 */

import { decryptIdentity, identityFromData } from "../../../src/client/identities.js";
import { KeyFileError } from "../../../src/errors.js";

export interface KeyCase {
  /** Key file bytes, base64. */
  data: string;
  passphrase?: string;
}

export type KeyOutcome =
  | { kind: "loaded"; encrypted: boolean; decrypted: boolean }
  | { kind: "typed"; code: string; message: string }
  | { kind: "crash"; name: string; message: string; stack: string };

export async function handle(input: KeyCase): Promise<KeyOutcome> {
  try {
    const identity = await identityFromData(Buffer.from(input.data, "base64"), "fuzz-key", "/keys/fuzz-key");
    let decrypted = false;
    if (identity.encrypted && input.passphrase !== undefined) {
      decryptIdentity(identity, input.passphrase);
      decrypted = true;
    }
    return { kind: "loaded", encrypted: identity.encrypted, decrypted };
  } catch (error) {
    if (error instanceof KeyFileError) return { kind: "typed", code: error.code, message: error.message };
    const e = error as Error;
    return { kind: "crash", name: e?.name, message: String(e?.message), stack: String(e?.stack) };
  }
}
