// Fabric 1's `fabric.contrib.files` and Ansible's `lineinfile`/`file state=directory`, idempotent:
// read the file (SFTP, or `cat` under sudo), edit the text here, write it back atomically only when
// it changed. Each editing helper resolves to whether it changed anything.
import { shellQuote } from "@fabric-ts/invoke";
import type { Connection } from "../connection/connection.js";
import { RemoteFileError } from "../errors/index.js";
import { attributeLines } from "./attributes.js";
import { recordChange } from "./helper-session.js";
import {
  type AppendOptions,
  appendLines,
  type ContainsOptions,
  checkLineOptions,
  commentLines,
  type LineOptions,
  lineInText,
  type Pattern,
  type Replacement,
  type SedOptions,
  sedText,
  textContains,
  uncommentLines,
} from "./line-edits.js";
import {
  absolutePath,
  isNoSuchFile,
  type RemoteFileInfo,
  readRemoteFile,
  runHidden,
  type SudoOptions,
  stderrOf,
  sudoTest,
  writeBackup,
  writeRemoteText,
} from "./remote-file.js";

export interface EditOptions extends SudoOptions {
  /**
   * Keep the old content when the file changes: `true` for Ansible's `<file>.<pid>.<date>@<time>~`,
   * a string for `<file><suffix>` (Fabric 1's sed used `".bak"`). @default false
   */
  backup?: boolean | string;
}

/** Whether `path` exists (a symbolic link counts by what it points at, like `test -e`). */
export async function exists(c: Connection, path: string, options: SudoOptions = {}): Promise<boolean> {
  const absolute = await absolutePath(c, path);
  if (options.sudo) return sudoTest(c, absolute, "-e", options.sudo);
  return statOrNull(c, absolute, "stat").then((stats) => stats !== null);
}

/** Whether `path` is a directory (or a link to one). */
export async function isDir(c: Connection, path: string, options: SudoOptions = {}): Promise<boolean> {
  const absolute = await absolutePath(c, path);
  if (options.sudo) return sudoTest(c, absolute, "-d", options.sudo);
  return statOrNull(c, absolute, "stat").then((stats) => stats?.isDirectory() ?? false);
}

/** Whether `path` is a symbolic link (dangling or not). */
export async function isLink(c: Connection, path: string, options: SudoOptions = {}): Promise<boolean> {
  const absolute = await absolutePath(c, path);
  if (options.sudo) return sudoTest(c, absolute, "-L", options.sudo);
  return statOrNull(c, absolute, "lstat").then((stats) => stats?.isSymbolicLink() ?? false);
}

async function statOrNull(c: Connection, path: string, how: "stat" | "lstat") {
  const sftp = await c.sftp();
  try {
    return await sftp[how](path);
  } catch (error) {
    if (isNoSuchFile(error)) return null;
    throw new RemoteFileError(
      `cannot inspect ${path}: ${(error as Error).message} (sudo: true looks as root)`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Whether the file holds `text`: anywhere (default), or as whole lines with `exact`; literally
 * (default) or as a regular expression with `escape: false`. A missing file holds nothing.
 */
export async function contains(
  c: Connection,
  path: string,
  text: string,
  options: ContainsOptions & SudoOptions = {},
): Promise<boolean> {
  const { text: content, info } = await readRemoteFile(c, path, options.sudo);
  if (info.kind === "missing") return false;
  if (content === null) throw new RemoteFileError(`${info.path} is not a regular file`);
  return textContains(content, text, options);
}

/**
 * Add lines at the end of the file unless each is already there as a whole line (or, with
 * `partial`, a line starting with it). A string with newlines is one block of consecutive lines.
 * Creates the file when missing (mode 0644 unless `mode`).
 */
export async function append(
  c: Connection,
  path: string,
  lines: string | readonly string[],
  options: AppendOptions & EditOptions & { mode?: number } = {},
): Promise<boolean> {
  return editFile(c, path, options, { missing: "create" }, (text) => appendLines(text, lines, options));
}

/**
 * Replace every match of `before` with `after` on each line (sed's `s/before/after/g`). `before` is a
 * regular expression (JavaScript syntax) unless `literal`; `after` uses `$1`, `$<name>`, `$&` (`$$`
 * for a `$`), or is a function. `limit` restricts the edit to lines matching it.
 */
export async function sed(
  c: Connection,
  path: string,
  before: Pattern,
  after: Replacement,
  options: SedOptions & EditOptions = {},
): Promise<boolean> {
  return editFile(c, path, options, { missing: "error" }, (text) => sedText(text, before, after, options));
}

export interface CommentOptions extends EditOptions {
  /** The comment marker. @default "#" */
  char?: string;
}

/** Comment out every line matching `pattern` that is not commented yet (`char` in front of the line). */
export async function comment(
  c: Connection,
  path: string,
  pattern: Pattern,
  options: CommentOptions = {},
): Promise<boolean> {
  return editFile(c, path, options, { missing: "error" }, (text) =>
    commentLines(text, pattern, options.char),
  );
}

/** Uncomment every commented line matching `pattern`, keeping its indentation. */
export async function uncomment(
  c: Connection,
  path: string,
  pattern: Pattern,
  options: CommentOptions = {},
): Promise<boolean> {
  return editFile(c, path, options, { missing: "error" }, (text) =>
    uncommentLines(text, pattern, options.char),
  );
}

export interface EnsureLineOptions extends LineOptions, EditOptions {
  /** Create the file when it is missing (else a missing file is an error for `present`). @default false */
  create?: boolean;
  /** Mode of a file this call creates. @default 0o644 */
  mode?: number;
}

/**
 * Ansible's `lineinfile`: make sure a line is there (replacing the last line matching `regexp`, or
 * inserted after/before a matching line, `"BOF"` or `"EOF"`), or that matching lines are gone.
 */
export async function ensureLine(c: Connection, path: string, options: EnsureLineOptions): Promise<boolean> {
  checkLineOptions(options);
  const absent = options.state === "absent";
  const missing = absent ? "skip" : options.create ? "create" : "error";
  return editFile(c, path, options, { missing }, (text) => lineInText(text, options));
}

export interface EnsureDirOptions extends SudoOptions {
  /** Permission bits the directory must have (e.g. 0o750); set even when it already exists. */
  mode?: number;
  /** Owner and group it must have (names or ids; usually with sudo). */
  owner?: string | number;
  group?: string | number;
}

/**
 * Make sure `path` is a directory (parents created like `mkdir -p`) with `mode`, `owner` and `group`
 * when given. Resolves to whether anything was created or changed. Uses GNU `chmod -c`/`chown -c`.
 */
export async function ensureDir(
  c: Connection,
  path: string,
  options: EnsureDirOptions = {},
): Promise<boolean> {
  const absolute = await absolutePath(c, path);
  const p = shellQuote(absolute);
  const script = [
    "c=",
    `if [ ! -d ${p} ]; then`,
    `  if [ -e ${p} ] || [ -L ${p} ]; then echo ${shellQuote(`${absolute} exists and is not a directory`)} >&2; exit 3; fi`,
    `  mkdir -p -- ${p} || exit 1; c=created`,
    "fi",
    ...attributeLines(p, options),
    `if [ -n "$c" ]; then echo changed; else echo ok; fi`,
  ].join("\n");
  const result = await runHidden(c, script, options.sudo);
  const verdict = result.stdout.trim().split("\n").pop();
  if (result.exited !== 0 || (verdict !== "changed" && verdict !== "ok")) {
    throw new RemoteFileError(`ensureDir ${absolute} failed (exit ${result.exited}): ${stderrOf(c, result)}`);
  }
  return recordChange(verdict === "changed");
}

interface EditPlan {
  /** A missing file: an error, an empty file to edit, or nothing to do. */
  missing: "error" | "create" | "skip";
}

/** Read, edit in memory, write back atomically when the text changed; count the call. */
async function editFile(
  c: Connection,
  path: string,
  options: EditOptions & { mode?: number },
  plan: EditPlan,
  edit: (text: string) => string,
): Promise<boolean> {
  const { info, text } = await readRemoteFile(c, path, options.sudo);
  if (info.kind === "missing") {
    if (plan.missing === "error") {
      throw new RemoteFileError(`${info.path} does not exist`);
    }
    if (plan.missing === "skip") return recordChange(false);
  } else if (text === null) {
    throw new RemoteFileError(`${info.path} is not a regular file (${info.kind})`);
  }
  const old = text ?? "";
  const updated = edit(old);
  if (info.kind !== "missing" && updated === old) return recordChange(false);
  if (options.backup && text !== null) await writeBackup(c, info, text, options.backup, options.sudo);
  await writeRemoteText(c, info as RemoteFileInfo, updated, {
    ...(options.sudo ? { sudo: options.sudo } : {}),
    ...(info.kind === "missing" && options.mode !== undefined ? { mode: options.mode } : {}),
  });
  return recordChange(true);
}
