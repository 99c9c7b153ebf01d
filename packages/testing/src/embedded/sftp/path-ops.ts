import {
  chmod,
  chown,
  lstat,
  mkdir,
  opendir,
  readlink,
  realpath,
  rename,
  rmdir,
  stat,
  symlink,
  truncate,
  unlink,
  utimes,
} from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Attributes, FileEntry } from "ssh2";
import { attrsOf, loadIdNames, longnameOf } from "./attrs.js";
import { type SftpContext, sentAttributes } from "./context.js";
import { STATUS } from "./status.js";

const NAMES_PER_READDIR = 100;

export async function statPath(
  ctx: SftpContext,
  reqid: number,
  path: string,
  follow: boolean,
): Promise<number> {
  ctx.sftp.attrs(reqid, attrsOf(follow ? await stat(path) : await lstat(path)));
  return STATUS.OK;
}

export async function setstat(
  ctx: SftpContext,
  reqid: number,
  path: string,
  attrs: Attributes,
): Promise<number> {
  const sent = sentAttributes(attrs);
  if (sent.size !== undefined) await truncate(path, sent.size);
  if (sent.mode !== undefined) await chmod(path, sent.mode & 0o7777);
  if (sent.atime !== undefined && sent.mtime !== undefined) await utimes(path, sent.atime, sent.mtime);
  if (sent.uid !== undefined && sent.gid !== undefined) await chown(path, sent.uid, sent.gid);
  return ctx.ok(reqid);
}

export async function makeDirectory(
  ctx: SftpContext,
  reqid: number,
  path: string,
  attrs: Attributes,
): Promise<number> {
  const mode = sentAttributes(attrs).mode;
  await mkdir(path, { mode: mode === undefined ? 0o777 : mode & 0o7777 });
  return ctx.ok(reqid);
}

export async function removeDirectory(ctx: SftpContext, reqid: number, path: string): Promise<number> {
  await rmdir(path);
  return ctx.ok(reqid);
}

export async function removeFile(ctx: SftpContext, reqid: number, path: string): Promise<number> {
  await unlink(path);
  return ctx.ok(reqid);
}

/** Plain SFTP v3 RENAME, as sftp-server does it: an existing target is an error, never overwritten. */
export async function renamePath(ctx: SftpContext, reqid: number, from: string, to: string): Promise<number> {
  await lstat(from);
  const targetExists = await lstat(to).then(
    () => true,
    () => false,
  );
  if (targetExists) return ctx.status(reqid, STATUS.FAILURE);
  await rename(from, to);
  return ctx.ok(reqid);
}

/** Canonical path; like sftp-server, only the last component may be missing. */
export async function canonicalPath(ctx: SftpContext, reqid: number, path: string): Promise<number> {
  try {
    return ctx.namePath(reqid, await realpath(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return ctx.namePath(reqid, join(await realpath(dirname(path)), basename(path)));
  }
}

export async function readLink(ctx: SftpContext, reqid: number, path: string): Promise<number> {
  return ctx.namePath(reqid, await readlink(path));
}

/** `target` is stored as given (a relative target stays relative to the link's directory). */
export async function makeSymlink(
  ctx: SftpContext,
  reqid: number,
  linkPath: string,
  target: string,
): Promise<number> {
  await symlink(target, linkPath);
  return ctx.ok(reqid);
}

export async function openDirectory(ctx: SftpContext, reqid: number, path: string): Promise<number> {
  const dir = await opendir(path);
  ctx.sftp.handle(reqid, ctx.handles.add({ kind: "dir", path, dir, sentDots: false, done: false }));
  return STATUS.OK;
}

export async function readDirectory(ctx: SftpContext, reqid: number, handle: Buffer): Promise<void> {
  const entry = ctx.handles.dir(handle);
  if (!entry) return void ctx.status(reqid, STATUS.FAILURE);
  const ids = await loadIdNames();
  const names: FileEntry[] = [];
  const add = async (name: string) => {
    try {
      const stats = await lstat(join(entry.path, name));
      names.push({ filename: name, longname: longnameOf(name, stats, ids), attrs: attrsOf(stats) });
    } catch {
      // Removed between readdir and lstat: skip it, as sftp-server does.
    }
  };
  if (!entry.sentDots) {
    entry.sentDots = true;
    await add(".");
    await add("..");
  }
  while (!entry.done && names.length < NAMES_PER_READDIR) {
    const dirent = await entry.dir.read();
    if (dirent) await add(dirent.name);
    else entry.done = true;
  }
  if (names.length === 0) return void ctx.status(reqid, STATUS.EOF);
  ctx.sftp.name(reqid, names);
}
