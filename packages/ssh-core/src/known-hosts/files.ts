import { readFile, stat } from "node:fs/promises";
import { homedir } from "node:os";
import { join } from "node:path";
import { StatCache } from "../cache/stat-cache.js";
import { type KnownHostsEntry, parseKnownHosts } from "./parse.js";

export const DEFAULT_USER_KNOWN_HOSTS_FILES = ["~/.ssh/known_hosts", "~/.ssh/known_hosts2"];
export const DEFAULT_GLOBAL_KNOWN_HOSTS_FILES = ["/etc/ssh/ssh_known_hosts", "/etc/ssh/ssh_known_hosts2"];

export function expandHome(path: string, home: string = homedir()): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return path;
}

/** Parsed files, reused while unchanged: every connection reads them twice (key types, then verify). */
const parsedFiles = new StatCache<Promise<readonly KnownHostsEntry[]>>();

/**
 * Load and concatenate known_hosts files in order; missing files are simply empty (like OpenSSH).
 * The returned entries are shared between calls: treat them as read-only.
 */
export async function loadKnownHostsFiles(paths: readonly string[]): Promise<KnownHostsEntry[]> {
  const entries: KnownHostsEntry[] = [];
  for (const path of paths) {
    const file = expandHome(path);
    try {
      entries.push(...(await loadKnownHostsFile(file)));
    } catch (error) {
      if (isMissing(error)) continue;
      throw error;
    }
  }
  return entries;
}

async function loadKnownHostsFile(file: string): Promise<readonly KnownHostsEntry[]> {
  const checkedAt = Date.now();
  const stats = await stat(file);
  const cached = parsedFiles.get(file, stats);
  if (cached) return cached;
  // The promise is cached, so connections starting together share one read.
  const parsed = readFile(file, "utf8").then((text) => parseKnownHosts(text, file).entries);
  parsedFiles.set(file, stats, parsed, checkedAt);
  parsed.catch(() => parsedFiles.delete(file));
  return parsed;
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}
