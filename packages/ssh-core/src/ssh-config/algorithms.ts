/**
 * Algorithm names known to OpenSSH 9.2 (built with OpenSSL, as on Debian 12), OpenSSH's defaults,
 * and its list-assembly rules for `+list` (append), `-list` (remove), `^list` (prepend) and
 * explicit lists, where each entry may be a wildcard pattern expanded against the known names.
 */
import { matchPatternList } from "./patterns.js";

export const ALL_CIPHERS = [
  "3des-cbc",
  "aes128-cbc",
  "aes192-cbc",
  "aes256-cbc",
  "aes128-ctr",
  "aes192-ctr",
  "aes256-ctr",
  "aes128-gcm@openssh.com",
  "aes256-gcm@openssh.com",
  "chacha20-poly1305@openssh.com",
] as const;

export const ALL_MACS = [
  "hmac-sha1",
  "hmac-sha1-96",
  "hmac-sha2-256",
  "hmac-sha2-512",
  "hmac-md5",
  "hmac-md5-96",
  "umac-64@openssh.com",
  "umac-128@openssh.com",
  "hmac-sha1-etm@openssh.com",
  "hmac-sha1-96-etm@openssh.com",
  "hmac-sha2-256-etm@openssh.com",
  "hmac-sha2-512-etm@openssh.com",
  "hmac-md5-etm@openssh.com",
  "hmac-md5-96-etm@openssh.com",
  "umac-64-etm@openssh.com",
  "umac-128-etm@openssh.com",
] as const;

export const ALL_KEX = [
  "diffie-hellman-group1-sha1",
  "diffie-hellman-group14-sha1",
  "diffie-hellman-group14-sha256",
  "diffie-hellman-group16-sha512",
  "diffie-hellman-group18-sha512",
  "diffie-hellman-group-exchange-sha1",
  "diffie-hellman-group-exchange-sha256",
  "ecdh-sha2-nistp256",
  "ecdh-sha2-nistp384",
  "ecdh-sha2-nistp521",
  "curve25519-sha256",
  "curve25519-sha256@libssh.org",
  "sntrup761x25519-sha512",
  "sntrup761x25519-sha512@openssh.com",
] as const;

/** Key and signature algorithms (`ssh -Q HostKeyAlgorithms`). */
export const ALL_KEY_ALGORITHMS = [
  "ssh-ed25519",
  "ssh-ed25519-cert-v01@openssh.com",
  "sk-ssh-ed25519@openssh.com",
  "sk-ssh-ed25519-cert-v01@openssh.com",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp256-cert-v01@openssh.com",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp384-cert-v01@openssh.com",
  "ecdsa-sha2-nistp521",
  "ecdsa-sha2-nistp521-cert-v01@openssh.com",
  "sk-ecdsa-sha2-nistp256@openssh.com",
  "sk-ecdsa-sha2-nistp256-cert-v01@openssh.com",
  "webauthn-sk-ecdsa-sha2-nistp256@openssh.com",
  "ssh-dss",
  "ssh-dss-cert-v01@openssh.com",
  "ssh-rsa",
  "ssh-rsa-cert-v01@openssh.com",
  "rsa-sha2-256",
  "rsa-sha2-256-cert-v01@openssh.com",
  "rsa-sha2-512",
  "rsa-sha2-512-cert-v01@openssh.com",
] as const;

/** Plain (non-certificate) signature algorithms (`ssh -Q sig`), the universe for CASignatureAlgorithms. */
export const ALL_SIGNATURE_ALGORITHMS = [
  "ssh-ed25519",
  "sk-ssh-ed25519@openssh.com",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "sk-ecdsa-sha2-nistp256@openssh.com",
  "webauthn-sk-ecdsa-sha2-nistp256@openssh.com",
  "ssh-dss",
  "ssh-rsa",
  "rsa-sha2-256",
  "rsa-sha2-512",
] as const;

/** Key types (not signature-only names): wildcard entries in key-type lists are checked against these. */
const KEY_TYPES = ALL_KEY_ALGORITHMS.filter(
  (name) => !name.startsWith("rsa-sha2-") && !name.startsWith("webauthn"),
);

export const DEFAULT_CIPHERS =
  "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com";
export const DEFAULT_MACS =
  "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com," +
  "hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1";
export const DEFAULT_KEX =
  "sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org," +
  "ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256," +
  "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256";
export const DEFAULT_KEY_ALGORITHMS =
  "ssh-ed25519-cert-v01@openssh.com,ecdsa-sha2-nistp256-cert-v01@openssh.com," +
  "ecdsa-sha2-nistp384-cert-v01@openssh.com,ecdsa-sha2-nistp521-cert-v01@openssh.com," +
  "sk-ssh-ed25519-cert-v01@openssh.com,sk-ecdsa-sha2-nistp256-cert-v01@openssh.com," +
  "rsa-sha2-512-cert-v01@openssh.com,rsa-sha2-256-cert-v01@openssh.com,ssh-ed25519,ecdsa-sha2-nistp256," +
  "ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com,sk-ecdsa-sha2-nistp256@openssh.com," +
  "rsa-sha2-512,rsa-sha2-256";
export const DEFAULT_CA_SIGNATURE_ALGORITHMS =
  "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,sk-ssh-ed25519@openssh.com," +
  "sk-ecdsa-sha2-nistp256@openssh.com,rsa-sha2-512,rsa-sha2-256";

function names(list: string): string[] {
  // OpenSSH stops at the first empty element ("a,,b" validates as "a").
  const out: string[] = [];
  for (const name of list.split(",")) {
    if (name === "") break;
    out.push(name);
  }
  return out;
}

/** Every name must be known exactly (Ciphers, MACs, KexAlgorithms). */
export function namesValid(list: string, known: readonly string[]): boolean {
  return names(list).every((name) => known.includes(name));
}

/** Key-type lists also accept wildcard entries that match at least one key type. */
export function keyNamesValid(list: string): boolean {
  return names(list).every(
    (name) =>
      (ALL_KEY_ALGORITHMS as readonly string[]).includes(name) ||
      KEY_TYPES.some((type) => matchPatternList(type, name) !== 0),
  );
}

function appendNew(base: string[], extra: readonly string[]): string[] {
  const out = [...base];
  for (const name of extra) if (!out.includes(name)) out.push(name);
  return out;
}

/** kex_assemble_names(): the effective list for a configured value (or the default when unset). */
export function assembleNames(
  configured: string | undefined,
  defaults: string,
  all: readonly string[],
): string {
  const filteredDefault = names(defaults).filter((name) => all.includes(name));
  if (configured === undefined || configured === "") return filteredDefault.join(",");
  let list: string[];
  const head = configured[0];
  const body = configured.slice(1);
  if (head === "-") {
    return filteredDefault.filter((name) => matchPatternList(name, body) !== 1).join(",");
  }
  if (head === "+") list = appendNew(filteredDefault, body.split(","));
  else if (head === "^") list = appendNew(body.split(","), filteredDefault);
  else list = configured.split(",");
  let result: string[] = [];
  for (const pattern of list) {
    result = appendNew(
      result,
      all.filter((name) => matchPatternList(name, pattern) === 1),
    );
  }
  return result.join(",");
}
