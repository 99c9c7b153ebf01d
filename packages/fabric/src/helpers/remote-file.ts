// Reading, inspecting and replacing one remote file, as the login user over SFTP or under sudo.
// Nothing here builds a command from unquoted input: paths go through shellQuote (and `--`), file
// contents never travel through a shell at all (SFTP, `cat`, or the sudo put's private upload).
import { posix } from "node:path";
import { shellQuote } from "@fabric-ts/invoke";
import type { Connection } from "../connection/connection.js";
import { RemoteFileError } from "../errors/index.js";
import type { Result } from "../result.js";
import { resolveRemotePath } from "../transfer/paths.js";

/** `true`: as root (or config `sudo.user`); a string: as that user; absent/false: as the login user over SFTP. */
export type SudoOption = boolean | string;

/** The `sudo` option every file helper takes. */
export interface SudoOptions {
  /** Read and write as root (`true`) or as this user, through sudo; the config's `sudo.password` answers. */
  sudo?: SudoOption;
}

/** What a path is, and its permission bits and owner when it exists. */
export interface RemoteFileInfo {
  /** The path with `~`, `cd()` and a final symbolic link resolved: where edits are written. */
  path: string;
  kind: "file" | "directory" | "other" | "missing";
  /** Permission bits (e.g. 0o644); 0 when missing. */
  mode: number;
  uid: number;
  gid: number;
}

const SFTP_NO_SUCH_FILE = 2;

/** Whether an error is SFTP's "no such file" (checked by shape: ssh-core is not imported here). */
export function isNoSuchFile(error: unknown): boolean {
  return (error as { status?: unknown } | null)?.status === SFTP_NO_SUCH_FILE;
}

/**
 * An absolute remote path: `~` is the login directory, relative paths start at the context's
 * `cd()` (like put/get). Empty paths and NUL bytes are refused.
 */
export async function absolutePath(c: Connection, path: string): Promise<string> {
  if (typeof path !== "string" || path === "")
    throw new TypeError("a remote path must be a non-empty string");
  if (path.includes("\0"))
    throw new TypeError(`a remote path cannot hold a NUL byte: ${JSON.stringify(path)}`);
  const sftp = await c.sftp();
  const home = await c.remoteHome(sftp);
  return resolveRemotePath(path, { home, cwd: c.cwd });
}

/** Run `command` as the login user or under sudo, hidden, never throwing on a non-zero exit. */
export async function runHidden(
  c: Connection,
  command: string,
  sudo: SudoOption | undefined,
): Promise<Result> {
  const options = { hide: true, warn: true } as const;
  if (!sudo) return c.run(command, options);
  return c.sudo(command, typeof sudo === "string" ? { ...options, user: sudo } : options);
}

/**
 * A command's stderr for an error message: trimmed, without the sudo prompts (sudo writes its
 * `[sudo] password (<token>): ` there before the command's own words).
 */
export function stderrOf(c: Connection, result: Result): string {
  const configured = String(c.config.get<string>("sudo.prompt", "[sudo] password: ")).replace(/:?\s*$/, "");
  const escaped = configured.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return result.stderr.replace(new RegExp(`${escaped} \\([0-9a-f]+\\): `, "g"), "").trim();
}

/** `test -e`/`-d`/`-L` under sudo, answered on stdout so a sudo failure is never taken for "no". */
export async function sudoTest(
  c: Connection,
  path: string,
  flag: "-e" | "-d" | "-L",
  sudo: SudoOption,
): Promise<boolean> {
  const result = await runHidden(
    c,
    `if [ ${flag} ${shellQuote(path)} ]; then echo yes; else echo no; fi`,
    sudo,
  );
  const answer = result.stdout.trim();
  if (result.exited !== 0 || (answer !== "yes" && answer !== "no")) {
    throw new RemoteFileError(
      `cannot test ${path} under sudo (exit ${result.exited}): ${stderrOf(c, result)}`,
    );
  }
  return answer === "yes";
}

/**
 * Inspect and read a file in one go: where it really is (a final symlink followed), its kind, mode
 * and owner, and its text (null unless it is a regular file).
 */
export async function readRemoteFile(
  c: Connection,
  path: string,
  sudo: SudoOption | undefined,
): Promise<{ info: RemoteFileInfo; text: string | null }> {
  const absolute = await absolutePath(c, path);
  return sudo ? readUnderSudo(c, absolute, sudo) : readOverSftp(c, absolute);
}

async function readOverSftp(
  c: Connection,
  absolute: string,
): Promise<{ info: RemoteFileInfo; text: string | null }> {
  const sftp = await c.sftp();
  const target = await followLink(c, absolute);
  const stats = await sftp.stat(target).catch((error: unknown) => {
    if (isNoSuchFile(error)) return null;
    throw new RemoteFileError(`cannot inspect ${target}: ${(error as Error).message}`, { cause: error });
  });
  if (!stats) return { info: { path: target, kind: "missing", mode: 0, uid: 0, gid: 0 }, text: null };
  const kind = stats.isFile() ? "file" : stats.isDirectory() ? "directory" : "other";
  const info: RemoteFileInfo = {
    path: target,
    kind,
    mode: stats.mode & 0o7777,
    uid: stats.uid,
    gid: stats.gid,
  };
  if (kind !== "file") return { info, text: null };
  const bytes = await sftp.readFile(target).catch((error: unknown) => {
    throw new RemoteFileError(
      `cannot read ${target}: ${(error as Error).message} (sudo: true reads as root)`,
      {
        cause: error,
      },
    );
  });
  return { info, text: bytes.toString("utf8") };
}

/** Where writing `absolute` lands: a symbolic link (even a dangling one) is followed, up to 40 hops. */
async function followLink(c: Connection, absolute: string): Promise<string> {
  const sftp = await c.sftp();
  let current = absolute;
  for (let hop = 0; hop < 40; hop++) {
    const stats = await sftp.lstat(current).catch(() => null);
    if (!stats?.isSymbolicLink()) return current;
    const link = await sftp.readlink(current);
    current = posix.resolve(posix.dirname(current), link);
  }
  throw new RemoteFileError(`too many levels of symbolic links at ${absolute}`);
}

/** One sudo call: the resolved path, NUL, `kind|mode|uid|gid`, NUL, then the content of a regular file. */
async function readUnderSudo(
  c: Connection,
  absolute: string,
  sudo: SudoOption,
): Promise<{ info: RemoteFileInfo; text: string | null }> {
  const p = shellQuote(absolute);
  // `x` keeps a trailing newline of the path through $( ); stripped again below.
  const script = [
    `t=$(readlink -f -- ${p} && echo x) || t=${shellQuote(`${absolute}\nx`)}`,
    `t=\${t%?x}`,
    `[ -n "$t" ] || t=${p}`,
    `printf '%s\\0' "$t"`,
    `if [ -e "$t" ]; then`,
    `  if [ -f "$t" ]; then k=file; elif [ -d "$t" ]; then k=directory; else k=other; fi`,
    `  printf '%s|%s\\0' "$k" "$(stat -L -c '%a|%u|%g' -- "$t")"`,
    `  if [ "$k" = file ]; then cat -- "$t" || exit 1; fi`,
    `else printf 'missing|0|0|0\\0'; fi`,
  ].join("\n");
  const result = await runHidden(c, script, sudo);
  const [target, meta, ...rest] = result.stdout.split("\0");
  if (result.exited !== 0 || target === undefined || meta === undefined) {
    throw new RemoteFileError(
      `cannot read ${absolute} under sudo (exit ${result.exited}): ${stderrOf(c, result)}`,
    );
  }
  const [kind = "missing", mode = "0", uid = "0", gid = "0"] = meta.split("|");
  const info: RemoteFileInfo = {
    path: target,
    kind: kind as RemoteFileInfo["kind"],
    mode: Number.parseInt(mode, 8),
    uid: Number(uid),
    gid: Number(gid),
  };
  return { info, text: info.kind === "file" ? rest.join("\0") : null };
}

export interface WriteOptions extends SudoOptions {
  /** Permission bits; default: the existing file's, else 0o644. */
  mode?: number;
  /** Owner and group (names or ids; need sudo); default: the existing file's. */
  owner?: string | number;
  group?: string | number;
}

/**
 * Replace `info.path` with `text` atomically (a temporary file beside it, renamed over it), keeping
 * the existing file's mode, and under sudo its owner and group, unless told otherwise.
 */
export async function writeRemoteText(
  c: Connection,
  info: RemoteFileInfo,
  text: string,
  options: WriteOptions = {},
): Promise<void> {
  const existing = info.kind === "file";
  const mode = options.mode ?? (existing ? info.mode : 0o644);
  if (!options.sudo && (options.owner !== undefined || options.group !== undefined)) {
    throw new TypeError("owner and group need sudo: pass { sudo: true, owner, group }");
  }
  const owner = options.owner ?? (existing ? info.uid : undefined);
  const group = options.group ?? (existing ? info.gid : undefined);
  try {
    await c.put(Buffer.from(text, "utf8"), info.path, {
      progress: false,
      mode,
      ...(options.sudo
        ? {
            sudo: options.sudo,
            ...(owner !== undefined ? { owner } : {}),
            ...(group !== undefined ? { group } : {}),
          }
        : {}),
    });
  } catch (error) {
    throw new RemoteFileError(
      `cannot write ${info.path}: ${(error as Error).message}${options.sudo ? "" : " (sudo: true writes as root)"}`,
      { cause: error },
    );
  }
}

/**
 * The backup's path for `path`: `path` + `suffix` for a string, else Ansible's
 * `path.<pid>.<YYYY-MM-DD@HH:MM:SS>~` (local pid and time, UTC).
 */
export function backupPath(path: string, backup: true | string, now = new Date()): string {
  if (typeof backup === "string") {
    if (backup === "" || backup.includes("/"))
      throw new TypeError(`a backup suffix must be non-empty and hold no '/': ${backup}`);
    return `${path}${backup}`;
  }
  const stamp = now.toISOString().slice(0, 19).replace("T", "@");
  return `${path}.${process.pid}.${stamp}~`;
}

/** Copy the old content (with its mode and owner) to the backup path; returns that path. */
export async function writeBackup(
  c: Connection,
  info: RemoteFileInfo,
  oldText: string,
  backup: true | string,
  sudo: SudoOption | undefined,
): Promise<string> {
  const path = backupPath(info.path, backup);
  await writeRemoteText(c, { ...info, path }, oldText, sudo ? { sudo } : {});
  return path;
}
