import { readFile } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { type KnownHostsEntry, parseKnownHosts } from "./parse.js";

export const DEFAULT_USER_KNOWN_HOSTS_FILES = ["~/.ssh/known_hosts", "~/.ssh/known_hosts2"];
export const DEFAULT_GLOBAL_KNOWN_HOSTS_FILES = ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"];

export function expandHome(path: string, home: string = homedir()): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return path;
}

/** Load and concatenate known_hosts files in order; missing files are simply empty (like OpenSSH). */
export async function loadKnownHostsFiles(paths: readonly string[]): Promise<KnownHostsEntry[]> {
  const entries: KnownHostsEntry[] = [];
  for (const path of paths) {
    const file = expandHome(path);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if (isMissing(error)) continue;
      throw error;
    }
    entries.push(...parseKnownHosts(text, file).entries);
  }
  return entries;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
