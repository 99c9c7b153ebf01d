import type { Stats } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Attributes } from "ssh2";

export function attrsOf(stats: Stats): Attributes {
  return {
    mode: stats.mode,
    uid: stats.uid,
    gid: stats.gid,
    size: stats.size,
    atime: Math.floor(stats.atimeMs / 1000),
    mtime: Math.floor(stats.mtimeMs / 1000),
  };
}

const TYPE_CHARS: [number, string][] = [
  [0o040000, "d"],
  [0o120000, "l"],
  [0o020000, "c"],
  [0o060000, "b"],
  [0o010000, "p"],
  [0o140000, "s"],
  [0o100000, "-"],
];

function modeString(mode: number): string {
  const type = TYPE_CHARS.find(([bits]) => (mode & 0o170000) === bits)?.[1] ?? "?";
  const triplet = (shift: number, special: number, specialChar: string) => {
    const r = mode & (0o4 << shift) ? "r" : "-";
    const w = mode & (0o2 << shift) ? "w" : "-";
    const executable = (mode & (0o1 << shift)) !== 0;
    let x = executable ? "x" : "-";
    if (mode & special) x = executable ? specialChar : specialChar.toUpperCase();
    return r + w + x;
  };
  return type + triplet(6, 0o4000, "s") + triplet(3, 0o2000, "s") + triplet(0, 0o1000, "t");
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const SIX_MONTHS_MS = 182 * 24 * 3600 * 1000;

function dateString(mtimeMs: number, now: number): string {
  const date = new Date(mtimeMs);
  const day = String(date.getDate()).padStart(2, " ");
  const month = MONTHS[date.getMonth()] ?? "???";
  if (Math.abs(now - mtimeMs) < SIX_MONTHS_MS) {
    const hh = String(date.getHours()).padStart(2, "0");
    const mm = String(date.getMinutes()).padStart(2, "0");
    return `${month} ${day} ${hh}:${mm}`;
  }
  return `${month} ${day}  ${date.getFullYear()}`;
}

type IdNames = { users: Map<number, string>; groups: Map<number, string> };
let idNames: Promise<IdNames> | undefined;

async function readIdFile(path: string): Promise<Map<number, string>> {
  const names = new Map<number, string>();
  try {
    for (const line of (await readFile(path, "utf8")).split("\n")) {
      const [name, , id] = line.split(":");
      if (name && id !== undefined && !names.has(Number(id))) names.set(Number(id), name);
    }
  } catch {
    // No passwd/group database: numeric ids it is.
  }
  return names;
}

/** User and group names, loaded once, for `ls -l` style listings. */
export function loadIdNames(): Promise<IdNames> {
  idNames ??= Promise.all([readIdFile("/etc/passwd"), readIdFile("/etc/group")]).then(([users, groups]) => ({
    users,
    groups,
  }));
  return idNames;
}

/** The `longname` of a directory entry, formatted like sftp-server's `ls -l` line. */
export function longnameOf(name: string, stats: Stats, ids: IdNames, now = Date.now()): string {
  const user = ids.users.get(stats.uid) ?? String(stats.uid);
  const group = ids.groups.get(stats.gid) ?? String(stats.gid);
  const links = String(stats.nlink).padStart(3, " ");
  const size = String(stats.size).padStart(8, " ");
  return `${modeString(stats.mode)} ${links} ${user.padEnd(8, " ")} ${group.padEnd(8, " ")} ${size} ${dateString(stats.mtimeMs, now)} ${name}`;
}
