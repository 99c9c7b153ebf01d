import { constants } from "node:fs";
import { open } from "node:fs/promises";
import ssh2, { type Attributes } from "ssh2";
import { attrsOf } from "./attrs.js";
import { type SentAttributes, type SftpContext, sentAttributes } from "./context.js";
import { closeEntry } from "./handles.js";
import { STATUS } from "./status.js";

const MODE = ssh2.utils.sftp.OPEN_MODE;
// A DATA reply must fit the client's 256 KiB packet limit together with its header.
const MAX_READ = 255 * 1024;

function openFlags(pflags: number): number {
  const read = (pflags & MODE.READ) !== 0;
  const write = (pflags & MODE.WRITE) !== 0;
  let flags = read && write ? constants.O_RDWR : write ? constants.O_WRONLY : constants.O_RDONLY;
  if (pflags & MODE.APPEND) flags |= constants.O_APPEND;
  if (pflags & MODE.CREAT) flags |= constants.O_CREAT;
  if (pflags & MODE.TRUNC) flags |= constants.O_TRUNC;
  if (pflags & MODE.EXCL) flags |= constants.O_EXCL;
  return flags;
}

export async function openFile(
  ctx: SftpContext,
  reqid: number,
  path: string,
  pflags: number,
  attrs: Attributes,
): Promise<number> {
  const mode = sentAttributes(attrs).mode;
  const file = await open(path, openFlags(pflags), mode === undefined ? 0o666 : mode & 0o7777);
  ctx.sftp.handle(reqid, ctx.handles.add({ kind: "file", path, file }));
  return STATUS.OK;
}

export async function closeHandle(ctx: SftpContext, reqid: number, handle: Buffer): Promise<number> {
  const entry = ctx.handles.take(handle);
  if (!entry) return ctx.status(reqid, STATUS.FAILURE);
  await closeEntry(entry);
  return ctx.ok(reqid);
}

export async function readFile(
  ctx: SftpContext,
  reqid: number,
  handle: Buffer,
  offset: number,
  length: number,
): Promise<void> {
  const entry = ctx.handles.file(handle);
  if (!entry) return void ctx.status(reqid, STATUS.FAILURE);
  const buffer = Buffer.allocUnsafe(Math.min(length, MAX_READ));
  const { bytesRead } = await entry.file.read(buffer, 0, buffer.length, offset);
  if (bytesRead === 0) return void ctx.status(reqid, STATUS.EOF);
  ctx.sftp.data(reqid, buffer.subarray(0, bytesRead));
}

export async function writeFile(
  ctx: SftpContext,
  reqid: number,
  handle: Buffer,
  offset: number,
  data: Buffer,
): Promise<void> {
  const entry = ctx.handles.file(handle);
  if (!entry) return void ctx.status(reqid, STATUS.FAILURE);
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await entry.file.write(data, written, data.length - written, offset + written);
    written += bytesWritten;
  }
  ctx.ok(reqid);
}

export async function fstat(ctx: SftpContext, reqid: number, handle: Buffer): Promise<number> {
  const entry = ctx.handles.file(handle);
  if (!entry) return ctx.status(reqid, STATUS.FAILURE);
  ctx.sftp.attrs(reqid, attrsOf(await entry.file.stat()));
  return STATUS.OK;
}

export async function fsetstat(
  ctx: SftpContext,
  reqid: number,
  handle: Buffer,
  attrs: Attributes,
): Promise<number> {
  const entry = ctx.handles.file(handle);
  if (!entry) return ctx.status(reqid, STATUS.FAILURE);
  const sent: SentAttributes = sentAttributes(attrs);
  // Same order as sftp-server: size, permissions, times, owner.
  if (sent.size !== undefined) await entry.file.truncate(sent.size);
  if (sent.mode !== undefined) await entry.file.chmod(sent.mode & 0o7777);
  if (sent.atime !== undefined && sent.mtime !== undefined) await entry.file.utimes(sent.atime, sent.mtime);
  if (sent.uid !== undefined && sent.gid !== undefined) await entry.file.chown(sent.uid, sent.gid);
  return ctx.ok(reqid);
}
