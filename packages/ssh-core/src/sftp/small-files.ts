import { readFile, writeFile } from "node:fs/promises";
import type { SftpFile } from "./sftp-file.js";
import type { SftpSession } from "./sftp-session.js";

// Pipelined small files (`SftpSession.putSmallFile` / `getSmallFile`): every request of a file is
// issued back to back without waiting for answers (the server answers in order), so a whole file
// costs about two round trips (open; writes + attributes + close) instead of one per step, which is
// what makes trees of many small files fast. Larger files take `fastPut`/`fastGet` instead.

/** Up to this size, a file is worth reading into memory and sending as one pipelined burst. */
export const SMALL_FILE_BYTES = 256 * 1024;
/** Below every server's packet limit (OpenSSH takes 255 KiB, the SFTP minimum is 32 KiB). */
const REQUEST_BYTES = 32 * 1024;

/** Options of `SftpSession.putSmallFile()`. */
export interface SmallFilePutOptions {
  /** Permission bits, set exactly (the server's umask does not apply). */
  mode?: number;
  /** Access and modification times in seconds since the epoch, set before the file is closed. */
  times?: { atime: number; mtime: number };
  onProgress?: (transferred: number, total: number | undefined) => void;
}

/** Write a small local file to `remotePath` (created or truncated), with mode and times set before close. */
export async function putSmallFile(
  sftp: SftpSession,
  localPath: string,
  remotePath: string,
  options: SmallFilePutOptions = {},
): Promise<number> {
  const data = await readFile(localPath);
  const file = await sftp.open(remotePath, "w", options.mode);
  const pending: Promise<unknown>[] = [];
  let written = 0;
  for (let offset = 0; offset < data.length; offset += REQUEST_BYTES) {
    const length = Math.min(REQUEST_BYTES, data.length - offset);
    pending.push(
      file.write(data, offset, length, offset).then(() => {
        written += length;
        options.onProgress?.(written, data.length);
      }),
    );
  }
  // The umask of the server applies to the open() mode; set it exactly, then the times.
  if (options.mode !== undefined) pending.push(file.chmod(options.mode));
  if (options.times) pending.push(sftp.utimes(remotePath, options.times.atime, options.times.mtime));
  const closed = file.close();
  const results = await Promise.allSettled([...pending, closed]);
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) throw failure.reason;
  if (data.length === 0) options.onProgress?.(0, 0);
  return data.length;
}

/**
 * Read a small remote file whose size the listing gave: all reads issued at once, plus one past the
 * end to notice a file that grew since (then the rest is read one request at a time).
 */
export async function getSmallFile(
  sftp: SftpSession,
  remotePath: string,
  localPath: string,
  size: number,
  onProgress?: (transferred: number, total: number | undefined) => void,
): Promise<number> {
  const file = await sftp.open(remotePath, "r");
  let data: Buffer;
  try {
    data = await readAll(file, size, onProgress);
  } finally {
    await file.close().catch(() => {});
  }
  await writeFile(localPath, data);
  return data.length;
}

async function readAll(
  file: SftpFile,
  size: number,
  onProgress?: (transferred: number, total: number | undefined) => void,
): Promise<Buffer> {
  const buffer = Buffer.allocUnsafe(size + REQUEST_BYTES);
  const reads: Promise<number>[] = [];
  for (let offset = 0; offset <= size; offset += REQUEST_BYTES) {
    reads.push(file.read(buffer, offset, REQUEST_BYTES, offset));
  }
  const counts = await Promise.all(reads);
  const short = counts.findIndex((count) => count < REQUEST_BYTES);
  if (short === -1) return readOn(file, buffer.subarray(0, counts.length * REQUEST_BYTES), onProgress); // it grew
  const end = short * REQUEST_BYTES + (counts[short] ?? 0);
  // Short before the listed size: the file shrank, or the server sent less; read on from there.
  if (end < size) return readOn(file, buffer.subarray(0, end), onProgress);
  onProgress?.(end, end);
  return buffer.subarray(0, end);
}

/** The slow way, from what we have: one request at a time until end of file. */
async function readOn(
  file: SftpFile,
  start: Buffer,
  onProgress?: (transferred: number, total: number | undefined) => void,
): Promise<Buffer> {
  const parts = [start];
  let position = start.length;
  for (;;) {
    const chunk = Buffer.allocUnsafe(REQUEST_BYTES);
    const count = await file.read(chunk, 0, REQUEST_BYTES, position);
    if (count === 0) break;
    parts.push(chunk.subarray(0, count));
    position += count;
  }
  onProgress?.(position, position);
  return Buffer.concat(parts, position);
}
