import type { SFTPWrapper } from "ssh2";
import { ConnectionLostError, SftpError, SftpStatus } from "../errors.js";
import { sftpLimits } from "../ssh2-internals.js";

/** ssh2's SFTP object (its internals are read through ssh2-internals.ts only). */
export type RawSftp = SFTPWrapper;

export function maxReadLength(sftp: RawSftp): number {
  return sftpLimits(sftp).maxRead;
}

export function maxWriteLength(sftp: RawSftp): number {
  return sftpLimits(sftp).maxWrite;
}

export function serverExtensions(sftp: RawSftp): Record<string, string> {
  return sftpLimits(sftp).extensions;
}

/** ssh2 reports SFTP status failures as errors with a numeric `code`; anything else means the channel died. */
export function toSftpError(error: unknown, operation: string, path: string): SftpError {
  if (error instanceof SftpError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "number") {
    const message = (error as Error).message;
    return new SftpError(operation, path, code, message || undefined, { cause: error });
  }
  return new SftpError(
    operation,
    path,
    SftpStatus.CONNECTION_LOST,
    error instanceof Error ? error.message : String(error),
    { cause: error instanceof Error ? error : new ConnectionLostError(String(error)) },
  );
}

/** One SFTP request as a promise, with failures mapped to {@link SftpError}. */
export function request<T>(
  operation: string,
  path: string,
  start: (callback: (error: Error | undefined | null, value?: T) => void) => void,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    try {
      start((error, value) => (error ? reject(toSftpError(error, operation, path)) : resolve(value as T)));
    } catch (error) {
      reject(toSftpError(error, operation, path));
    }
  });
}

/**
 * Write `length` bytes of `buffer` at `position`. As with fs.write, the bytes must stay unchanged
 * until the promise settles: the patched ssh2 copies them into SSH packets as the window allows.
 */
export function writeChunk(
  sftp: RawSftp,
  handle: Buffer,
  buffer: Buffer,
  offset: number,
  length: number,
  position: number,
  path: string,
): Promise<void> {
  return request<void>("write", path, (done) =>
    sftp.write(handle, buffer, offset, length, position, (error) => done(error)),
  );
}

/** Read up to `length` bytes into `buffer[offset…]`; resolves 0 at end of file. */
export function readChunk(
  sftp: RawSftp,
  handle: Buffer,
  buffer: Buffer,
  offset: number,
  length: number,
  position: number,
  path: string,
): Promise<number> {
  return request<number>("read", path, (done) =>
    sftp.read(handle, buffer, offset, length, position, (error, bytesRead) => done(error, bytesRead ?? 0)),
  );
}
