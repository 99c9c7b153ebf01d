import { keyTypeOfBlob } from "./key-blob.js";

/** One usable line of a known_hosts file. */
export interface KnownHostsEntry {
  file: string;
  /** 1-based line number. */
  line: number;
  marker: "cert-authority" | "revoked" | null;
  hosts: HostSpec;
  keyType: string;
  /** Base64 of the public key blob, as written in the file. */
  keyBase64: string;
  comment: string;
}

export type HostSpec =
  | { kind: "patterns"; patterns: string[] }
  | { kind: "hashed"; salt: string; hash: string; raw: string };

/** A line that could not be parsed; OpenSSH skips these too, we keep them for diagnostics. */
export interface KnownHostsProblem {
  file: string;
  line: number;
  message: string;
}

export interface ParsedKnownHosts {
  entries: KnownHostsEntry[];
  problems: KnownHostsProblem[];
}

export function parseKnownHosts(text: string, file = "<known_hosts>"): ParsedKnownHosts {
  const entries: KnownHostsEntry[] = [];
  const problems: KnownHostsProblem[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = (lines[i] ?? "").trim();
    if (raw === "" || raw.startsWith("#")) continue;
    const fields = raw.split(/[ \t]+/);
    let marker: KnownHostsEntry["marker"] = null;
    if (fields[0]?.startsWith("@")) {
      const name = fields.shift();
      if (name === "@cert-authority") marker = "cert-authority";
      else if (name === "@revoked") marker = "revoked";
      else {
        problems.push({ file, line: i + 1, message: `unknown marker ${name}` });
        continue;
      }
    }
    const [hostField, keyType, keyBase64, ...rest] = fields;
    if (!hostField || !keyType || !keyBase64) {
      problems.push({ file, line: i + 1, message: "expected: hosts keytype key" });
      continue;
    }
    const hosts = parseHostField(hostField);
    if (!hosts) {
      problems.push({ file, line: i + 1, message: "malformed hashed host" });
      continue;
    }
    const keyProblem = checkKey(keyType, keyBase64);
    if (keyProblem) {
      problems.push({ file, line: i + 1, message: keyProblem });
      continue;
    }
    entries.push({ file, line: i + 1, marker, hosts, keyType, keyBase64, comment: rest.join(" ") });
  }
  return { entries, problems };
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SHA1_BYTES = 20;

/** Strict base64: Buffer.from() skips junk characters, which would let a damaged line still match. */
function decodeBase64(text: string): Buffer | null {
  return text !== "" && BASE64.test(text) ? Buffer.from(text, "base64") : null;
}

/** Like OpenSSH, a key that does not decode, or whose blob is of another type than the line says, is skipped. */
function checkKey(keyType: string, keyBase64: string): string | undefined {
  const blob = decodeBase64(keyBase64);
  if (!blob) return "invalid base64 key data";
  let blobType: string;
  try {
    blobType = keyTypeOfBlob(blob);
  } catch {
    return "malformed key blob";
  }
  return blobType === keyType ? undefined : `key type mismatch: line says ${keyType}, key is ${blobType}`;
}

function parseHostField(field: string): HostSpec | null {
  if (field.startsWith("|1|")) {
    const parts = field.split("|");
    const [, , salt, hash] = parts;
    if (parts.length !== 4 || !salt || !hash) return null;
    if (decodeBase64(salt)?.length !== SHA1_BYTES || decodeBase64(hash)?.length !== SHA1_BYTES) return null;
    return { kind: "hashed", salt, hash, raw: field };
  }
  if (field.startsWith("|")) return null;
  return { kind: "patterns", patterns: field.split(",").filter((p) => p !== "") };
}
