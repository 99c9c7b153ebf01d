import type { ProgressBar } from "../output/progress.js";
import type { FilterOptions } from "./glob.js";
import type { FileProgressCallback, TransferProgress } from "./progress.js";
import type { SymlinkPolicy } from "./tree.js";

/** How a directory's files move: SFTP with many files in flight, or one tar stream over exec. */
export type TransferMethod = "auto" | "sftp" | "tar";

export interface TransferOptions extends FilterOptions {
  /** Copy the permission bits across (remote → local for get, local → remote for put). @default true */
  preserveMode?: boolean;
  /** Copy modification (and access) times across. @default false (always on for `sync`) */
  preserveTimes?: boolean;
  /** Total bytes so far and the total to move, for the whole transfer (all files of a directory). */
  onProgress?: TransferProgress;
  /** Per-file progress (relative path, bytes so far, size, done). */
  onFileProgress?: FileProgressCallback;
  /**
   * A progress bar on stderr when it is a TTY (`true`), a row on a shared {@link ProgressBar}, or
   * none (`false`). @default the Connection's `transferProgress` (the fab CLI sets one), else none
   */
  progress?: boolean | ProgressBar;
  signal?: AbortSignal;
  /** Symbolic links inside a directory: recreate them (`preserve`), copy what they point at, or `skip`. @default "preserve" */
  symlinks?: SymlinkPolicy;
  /** Files in flight at once on the connection's one SFTP session. @default 32 */
  concurrency?: number;
  /** @default "auto": tar for many small files when both ends have tar and nothing would be overwritten */
  method?: TransferMethod;
  /**
   * put: write each file under a temporary name beside the target and rename it into place, so an
   * interrupted transfer leaves the old file. get: the same for local files. @default true
   */
  atomic?: boolean;
  /**
   * put only: place the file (or tree) as root (`true`) or as this user, through a private temporary
   * copy and `install` (`cp -R` for trees) under sudo; the connection's `sudo.password` answers.
   */
  sudo?: boolean | string;
  /** With `sudo`: owner and group of the placed file (names or ids). */
  owner?: string | number;
  group?: string | number;
  /** Permission bits of the placed file; wins over `preserveMode`. */
  mode?: number;
}

export const DEFAULT_FILE_CONCURRENCY = 32;
