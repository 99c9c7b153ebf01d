import { randomBytes } from "node:crypto";
import { rename as renameLocal, rm } from "node:fs/promises";
import { basename, dirname, join, posix } from "node:path";
import type { PutSource as CorePutSource, SftpSession } from "@fabric-ts/ssh-core";

/** `.<name>.fabric-ts-<random>.tmp`: hidden, recognisable, and unique beside the target. */
export function tempNameFor(name: string): string {
  return `.${name}.fabric-ts-${randomBytes(6).toString("hex")}.tmp`;
}

export function remoteTempBeside(target: string): string {
  return posix.join(posix.dirname(target), tempNameFor(posix.basename(target)));
}

export function localTempBeside(target: string): string {
  return join(dirname(target), tempNameFor(basename(target)));
}

export interface RemoteWriteOptions {
  /** Write to a temporary name beside the target and rename it into place. @default true */
  atomic?: boolean;
  /** chmod the file to this before it appears under its name. */
  mode?: number;
  /** Set atime/mtime (seconds) before it appears under its name. */
  times?: { atime: number; mtime: number };
  onProgress?: (transferred: number, total: number | undefined) => void;
  signal?: AbortSignal;
  /** SFTP requests in flight for this file. */
  concurrency?: number;
  /** The source's size when known; a local file this small takes the few-round-trips path. */
  size?: number;
  /**
   * Removes the temporary file after a failure. The default uses `sftp`; a transfer whose
   * connection died passes one that reconnects first.
   */
  cleanup?: (tempPath: string) => Promise<void>;
}

/**
 * Upload `source` to `target` so that `target` is either the old file or the complete new one:
 * the bytes go to a temporary name in the same directory, get their mode and times, and are renamed
 * over the target (posix-rename, atomic on OpenSSH). On any failure the temporary file is removed.
 */
export async function writeRemoteFile(
  sftp: SftpSession,
  source: CorePutSource,
  target: string,
  options: RemoteWriteOptions = {},
): Promise<number> {
  const atomic = options.atomic ?? true;
  const path = atomic ? remoteTempBeside(target) : target;
  try {
    if (typeof source === "string" && options.size !== undefined && options.size <= sftp.smallFileBytes) {
      const bytes = await sftp.putSmallFile(source, path, {
        ...(options.mode !== undefined ? { mode: options.mode } : {}),
        ...(options.times ? { times: options.times } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      if (atomic) await renameOver(sftp, path, target);
      return bytes;
    }
    const { bytes } = await sftp.fastPut(source, path, {
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.concurrency ? { concurrency: options.concurrency } : {}),
      ...(options.size !== undefined ? { size: options.size } : {}),
    });
    const finishing: Promise<void>[] = [];
    if (options.mode !== undefined) finishing.push(sftp.chmod(path, options.mode));
    if (options.times) finishing.push(sftp.utimes(path, options.times.atime, options.times.mtime));
    await Promise.all(finishing);
    if (atomic) await renameOver(sftp, path, target);
    return bytes;
  } catch (error) {
    if (atomic) {
      const cleanup = options.cleanup ?? ((temp: string) => sftp.unlink(temp));
      await cleanup(path).catch(() => {});
    }
    throw error;
  }
}

/** Rename replacing `to`; without posix-rename (plain SFTP rename refuses an existing target) unlink first. */
export async function renameOver(sftp: SftpSession, from: string, to: string): Promise<void> {
  if (sftp.extensions["posix-rename@openssh.com"] !== undefined) return sftp.rename(from, to);
  try {
    await sftp.rename(from, to);
  } catch (error) {
    const existing = await sftp.lstat(to).catch(() => null);
    if (!existing || existing.isDirectory()) throw error;
    await sftp.unlink(to);
    await sftp.rename(from, to);
  }
}

/** Local counterpart: write through `write(tempPath)`, then rename over `target`; remove the temp on failure. */
export async function writeLocalFile<T>(
  target: string,
  write: (tempPath: string) => Promise<T>,
  atomic = true,
): Promise<T> {
  if (!atomic) return write(target);
  const temp = localTempBeside(target);
  try {
    const value = await write(temp);
    await renameLocal(temp, target);
    return value;
  } catch (error) {
    await rm(temp, { force: true }).catch(() => {});
    throw error;
  }
}
