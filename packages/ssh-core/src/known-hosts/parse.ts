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
    entries.push({ file, line: i + 1, marker, hosts, keyType, keyBase64, comment: rest.join(" ") });
  }
  return { entries, problems };
}

function parseHostField(field: string): HostSpec | null {
  if (field.startsWith("|1|")) {
    const [, , salt, hash] = field.split("|");
    if (!salt || !hash) return null;
    return { kind: "hashed", salt, hash, raw: field };
  }
  if (field.startsWith("|")) return null;
  return { kind: "patterns", patterns: field.split(",").filter((p) => p !== "") };
}
