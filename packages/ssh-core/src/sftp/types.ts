import type { Readable, Writable } from "node:stream";
import type { ProgressCallback } from "./transfer-state.js";

/** File attributes as the server reports them (times in seconds since the epoch). */
export interface SftpStats {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  atime: number;
  mtime: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
}

export interface SftpDirEntry {
  filename: string;
  /** The `ls -l` style line the server sent. */
  longname: string;
  attrs: SftpStats;
}

/** Open flags as in fs.open: "r", "r+", "w", "wx", "w+", "a", "ax", "a+" … */
export type SftpOpenFlags =
  | "r"
  | "r+"
  | "w"
  | "wx"
  | "xw"
  | "w+"
  | "xw+"
  | "a"
  | "ax"
  | "xa"
  | "a+"
  | "ax+"
  | "xa+";

export interface TransferOptions {
  /** Called after every acknowledged chunk with the bytes done so far; the last call has `transferred === total`. */
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
  /** Requests in flight at once. Default: 8 MiB worth of requests, at most 64 (32 × 255 KiB against OpenSSH). */
  concurrency?: number;
  /** Bytes per request, capped at the server's limit. Default: that limit (255 KiB for OpenSSH, 32 KiB for other servers). */
  chunkSize?: number;
}

export interface PutOptions extends TransferOptions {
  /** Permission bits for a newly created remote file. Default: the server's (umask). */
  mode?: number;
  /** Expected size of a stream source, so progress can report a total before the end. */
  size?: number;
}

export type GetOptions = TransferOptions;

/** What `fastPut` accepts: a local path, bytes in memory, or a stream / async iterable of chunks. */
export type PutSource = string | Uint8Array | Readable | AsyncIterable<Uint8Array | string>;
/** What `fastGet` accepts: a local path (created or truncated) or a Writable (left open). */
export type GetDestination = string | Writable;

export interface TransferResult {
  /** Bytes transferred. */
  bytes: number;
}

export interface SftpReadStreamOptions {
  /** First byte to read. Default 0. */
  start?: number;
  /** Last byte to read, inclusive (like fs.createReadStream). Default: end of file. */
  end?: number;
  /** Bytes per read request. Default 64 KiB. */
  chunkSize?: number;
  /** Read requests kept in flight ahead of the consumer. Default 16. */
  concurrency?: number;
}

export interface SftpWriteStreamOptions {
  /** Default "w". */
  flags?: SftpOpenFlags;
  mode?: number;
  /** Offset of the first byte written. Default 0. */
  start?: number;
  /** Write requests in flight before `write()` reports backpressure. Default 64. */
  concurrency?: number;
}
