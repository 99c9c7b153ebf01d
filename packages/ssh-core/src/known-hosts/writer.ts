import { randomBytes } from "node:crypto";
import { appendFile, mkdir, open, stat } from "node:fs/promises";
import { dirname } from "node:path";
import { hashHostName } from "./host-pattern.js";

export interface AppendKnownHostOptions {
  /** Write `|1|salt|hash` instead of the plain name (ssh_config HashKnownHosts). */
  hash?: boolean;
}

/** The line OpenSSH appends for a newly accepted key: `name keytype base64`. */
export function formatKnownHostsLine(
  name: string,
  keyType: string,
  blob: Buffer,
  options: AppendKnownHostOptions = {},
): string {
  const host = options.hash ? hashHostName(name, randomBytes(20)) : name;
  return `${host} ${keyType} ${blob.toString("base64")}`;
}

/**
 * Append a host key to a known_hosts file, creating the directory (0700) and file (0600) when
 * missing and never gluing the new entry onto an unterminated last line.
 */
export async function appendKnownHost(
  file: string,
  name: string,
  keyType: string,
  blob: Buffer,
  options: AppendKnownHostOptions = {},
): Promise<string> {
  const line = formatKnownHostsLine(name, keyType, blob, options);
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const needsNewline = await endsWithoutNewline(file);
  await appendFile(file, `${needsNewline ? "\n" : ""}${line}\n`, { mode: 0o600 });
  return line;
}

async function endsWithoutNewline(file: string): Promise<boolean> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    return false;
  }
  if (size === 0) return false;
  const handle = await open(file, "r");
  try {
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    await handle.close();
  }
}
