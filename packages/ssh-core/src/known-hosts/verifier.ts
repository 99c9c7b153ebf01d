import { HostKeyError } from "../errors.js";
import {
  DEFAULT_GLOBAL_KNOWN_HOSTS_FILES,
  DEFAULT_USER_KNOWN_HOSTS_FILES,
  expandHome,
  loadKnownHostsFiles,
} from "./files.js";
import { knownHostsName } from "./host-pattern.js";
import { fingerprintSha256, keyTypeOfBlob } from "./key-blob.js";
import { checkHostKey, entriesForName, type HostKeyStatus } from "./lookup.js";
import type { KnownHostsEntry } from "./parse.js";
import { appendKnownHost } from "./writer.js";

/** OpenSSH's StrictHostKeyChecking values (`off` is a synonym of `no`). */
export type StrictHostKeyChecking = "yes" | "accept-new" | "no" | "off" | "ask";

export interface UnknownHostKeyInfo {
  /** Name used in known_hosts: `host`, `[host]:port` or the HostKeyAlias. */
  hostName: string;
  host: string;
  port: number;
  keyType: string;
  fingerprint: string;
  /** Key types already known for this name (a different type was negotiated). */
  otherKeyTypes: string[];
}

export interface HostKeyPolicy {
  /** Default `ask` (OpenSSH's default); without `onUnknownHostKey`, `ask` refuses unknown keys like `yes`. */
  strictHostKeyChecking?: StrictHostKeyChecking;
  /** Default `~/.ssh/known_hosts`, `~/.ssh/known_hosts2`. New keys are appended to the first. */
  userKnownHostsFiles?: readonly string[];
  /** Default `/etc/ssh/ssh_known_hosts`, `/etc/ssh/ssh_known_hosts2`. Read only. */
  globalKnownHostsFiles?: readonly string[];
  hostKeyAlias?: string;
  /** Record new keys hashed (`|1|salt|hash`), as ssh_config HashKnownHosts does. */
  hashKnownHosts?: boolean;
  /** Asked for unknown keys in `ask` mode; resolve `true` to accept (and record) the key. */
  onUnknownHostKey?: (info: UnknownHostKeyInfo) => boolean | Promise<boolean>;
}

export interface HostKeyVerdict {
  status: HostKeyStatus["status"];
  hostName: string;
  keyType: string;
  fingerprint: string;
  /** The line appended to known_hosts, and where, when the key was newly recorded. */
  added?: { file: string; line: string };
}

/**
 * Decide whether to trust the host key a server presented. Resolves with the verdict when the key is
 * acceptable; throws a {@link HostKeyError} when it is not. A changed or revoked key is refused in
 * every mode, including `no` (OpenSSH would continue with password auth disabled; we do not).
 */
export async function verifyHostKey(
  host: string,
  port: number,
  blob: Buffer,
  policy: HostKeyPolicy = {},
): Promise<HostKeyVerdict> {
  const mode = policy.strictHostKeyChecking ?? "ask";
  const userFiles = policy.userKnownHostsFiles ?? DEFAULT_USER_KNOWN_HOSTS_FILES;
  const globalFiles = policy.globalKnownHostsFiles ?? DEFAULT_GLOBAL_KNOWN_HOSTS_FILES;
  const hostName = knownHostsName(host, port, policy.hostKeyAlias);
  const keyType = keyTypeOfBlob(blob);
  const fingerprint = fingerprintSha256(blob);
  const entries = await loadKnownHostsFiles([...userFiles, ...globalFiles]);
  const result = checkHostKey(entries, hostName, keyType, blob);
  const base = { hostName, keyType, fingerprint };

  switch (result.status) {
    case "known":
      return { status: "known", ...base };
    case "revoked":
      throw new HostKeyError(
        "HOST_KEY_REVOKED",
        `The ${keyType} host key for ${hostName} (${fingerprint}) is marked as revoked ` +
          `in ${result.entry.file}:${result.entry.line}; refusing to connect.`,
        { ...base, file: result.entry.file, line: result.entry.line },
      );
    case "changed":
      throw new HostKeyError(
        "HOST_KEY_MISMATCH",
        `REMOTE HOST IDENTIFICATION HAS CHANGED for ${hostName}: the server presented the ${keyType} key ` +
          `${fingerprint}, which differs from the key in ${result.entry.file}:${result.entry.line}. ` +
          `Someone could be eavesdropping (man-in-the-middle), or the host key was just changed. ` +
          `If the change is expected, remove the old entry (ssh-keygen -R "${hostName}") and reconnect.`,
        { ...base, file: result.entry.file, line: result.entry.line },
      );
    case "unknown":
      break;
  }

  const info: UnknownHostKeyInfo = { ...base, host, port, otherKeyTypes: result.otherKeyTypes };
  let accept: boolean;
  if (mode === "accept-new" || mode === "no" || mode === "off") accept = true;
  else if (mode === "ask" && policy.onUnknownHostKey) accept = await policy.onUnknownHostKey(info);
  else accept = false;

  if (!accept) {
    const others = result.otherKeyTypes.length
      ? ` (keys of other types are known for it: ${result.otherKeyTypes.join(", ")})`
      : "";
    const why =
      mode === "ask" && policy.onUnknownHostKey
        ? "the key was not accepted"
        : `StrictHostKeyChecking is "${mode}"`;
    throw new HostKeyError(
      "HOST_KEY_UNKNOWN",
      `No ${keyType} host key is known for ${hostName}${others} and ${why}. ` +
        `The server's key fingerprint is ${fingerprint}.${certificateAuthorityHint(entries, hostName)}` +
        acceptHint(host, port, userFiles[0]),
      base,
    );
  }

  const target = userFiles[0];
  if (target === undefined) return { status: "unknown", ...base };
  const file = expandHome(target);
  const line = await appendKnownHost(file, hostName, keyType, blob, { hash: policy.hashKnownHosts ?? false });
  return { status: "unknown", ...base, added: { file, line } };
}

/** The two ways to trust a new host, for the unknown-key error. */
function acceptHint(host: string, port: number, userFile: string | undefined): string {
  const file = userFile ?? "~/.ssh/known_hosts";
  const portFlag = port === 22 ? "" : ` -p ${port}`;
  return (
    ` To trust it, confirm that fingerprint, then either add the key to known_hosts ` +
    `(\`ssh-keyscan${portFlag} ${host} >> ${file}\`, or connect once with \`ssh${portFlag} ${host}\` ` +
    `and answer yes), or let keys of new hosts be recorded on first use with ` +
    `\`StrictHostKeyChecking accept-new\` in ssh_config (option \`strictHostKeyChecking: "accept-new"\`).`
  );
}

/**
 * When known_hosts trusts this host only through `@cert-authority` lines, say why that cannot work:
 * ssh2 negotiates no `*-cert-v01@openssh.com` host key algorithm, so the server never shows its
 * certificate and only plain host keys can be checked.
 */
function certificateAuthorityHint(entries: readonly KnownHostsEntry[], hostName: string): string {
  const authorities = entriesForName(entries, hostName).filter((e) => e.marker === "cert-authority");
  if (authorities.length === 0) return "";
  const where = authorities.map((e) => `${e.file}:${e.line}`).join(", ");
  return (
    ` known_hosts vouches for ${hostName} only through @cert-authority (${where}), but host certificates ` +
    "are not supported (the SSH library cannot negotiate *-cert-v01@openssh.com host keys): add the host's " +
    "plain key to known_hosts once its fingerprint is confirmed."
  );
}

/**
 * Key types already recorded for this host, so the client can ask for those first (OpenSSH does the
 * same when HostKeyAlgorithms is left at its default) instead of tripping over a different type.
 */
export async function knownKeyTypesForHost(
  host: string,
  port: number,
  policy: HostKeyPolicy = {},
): Promise<string[]> {
  const files = [
    ...(policy.userKnownHostsFiles ?? DEFAULT_USER_KNOWN_HOSTS_FILES),
    ...(policy.globalKnownHostsFiles ?? DEFAULT_GLOBAL_KNOWN_HOSTS_FILES),
  ];
  const entries = await loadKnownHostsFiles(files);
  const name = knownHostsName(host, port, policy.hostKeyAlias);
  const types = entriesForName(entries, name)
    .filter((e) => e.marker === null)
    .map((e) => e.keyType);
  return [...new Set(types)];
}
