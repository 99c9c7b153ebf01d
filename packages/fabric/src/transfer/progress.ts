/** Called as bytes are acknowledged: bytes done, and the total when known. */
export type TransferProgress = (transferred: number, total: number | undefined) => void;

/** Progress of one file inside a transfer. */
export interface FileProgress {
  /** The file's path relative to the transfer root (its name for a single-file transfer). */
  path: string;
  transferred: number;
  /** Undefined for a stream of unknown length until its end. */
  size: number | undefined;
  /** True on the last report for this file. */
  done: boolean;
}

export type FileProgressCallback = (file: FileProgress) => void;

/**
 * Adds per-file progress up into totals: `onProgress(transferred, total)` for the whole transfer
 * and `onFileProgress` per file. The totals are exact: every file reports its final byte count.
 */
export class ProgressTracker {
  transferred = 0;
  filesDone = 0;
  /** Undefined while a stream's length is unknown. */
  total: number | undefined;
  readonly #onProgress: TransferProgress | undefined;
  readonly #onFile: FileProgressCallback | undefined;

  constructor(
    total: number | undefined,
    onProgress?: TransferProgress,
    onFileProgress?: FileProgressCallback,
  ) {
    this.total = total;
    this.#onProgress = onProgress;
    this.#onFile = onFileProgress;
  }

  /** A per-file callback in ssh-core's `(transferred, total)` shape, for `fastPut`/`fastGet`. */
  file(path: string, size: number | undefined): (transferred: number, total: number | undefined) => void {
    let reported = 0;
    return (transferred, total) => {
      const delta = transferred - reported;
      reported = transferred;
      this.transferred += delta;
      // A single stream learns its length at the end; a tree's total is known up front.
      if (this.total === undefined && size === undefined && total !== undefined) this.total = total;
      const fileSize = size ?? total;
      this.#onFile?.({ path, transferred, size: fileSize, done: false });
      if (delta !== 0 || transferred === total) this.#onProgress?.(this.transferred, this.total);
    };
  }

  /** A file finished: its last report (for empty files, the only one). */
  fileDone(path: string, size: number): void {
    this.total ??= this.transferred;
    this.filesDone++;
    this.#onFile?.({ path, transferred: size, size, done: true });
  }

  /** The final total report (also when nothing needed to move). */
  finish(): void {
    this.#onProgress?.(this.transferred, this.total);
  }
}
