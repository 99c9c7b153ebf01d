import type { Stats } from "node:fs";

/**
 * A file changed less than this long before it was checked may change again without its stat
 * changing (file times are coarse: one kernel tick, more on network filesystems), so what was read
 * from it is not reused until it is read again later.
 */
const SETTLE_MS = 1000;

/** What identifies one version of a file: a rewrite, append, rename-over, touch or chmod changes it. */
interface Stamp {
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
  ctimeMs: number;
}

function stampOf(stats: Stats): Stamp {
  return { dev: stats.dev, ino: stats.ino, size: stats.size, mtimeMs: stats.mtimeMs, ctimeMs: stats.ctimeMs };
}

function sameStamp(a: Stamp, b: Stamp): boolean {
  return (
    a.dev === b.dev &&
    a.ino === b.ino &&
    a.size === b.size &&
    a.mtimeMs === b.mtimeMs &&
    a.ctimeMs === b.ctimeMs
  );
}

/**
 * Per-process memo of what was derived from a file (parsed known_hosts, keys, ssh_config lines),
 * valid while the file's stat is unchanged: connecting to many hosts otherwise re-reads and re-parses
 * the same files once per connection. Usage: note the time, stat the file, `get`; on a miss read it
 * and `set` with that stat and time.
 */
export class StatCache<T> {
  readonly #entries = new Map<string, { stamp: Stamp; value: T; settled: boolean }>();
  readonly #maxEntries: number;

  constructor(maxEntries = 64) {
    this.#maxEntries = maxEntries;
  }

  get(path: string, stats: Stats): T | undefined {
    const entry = this.#entries.get(path);
    return entry?.settled && sameStamp(entry.stamp, stampOf(stats)) ? entry.value : undefined;
  }

  /** `checkedAt`: `Date.now()` taken before `stats` was. */
  set(path: string, stats: Stats, value: T, checkedAt: number): void {
    this.#entries.delete(path);
    if (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    const settled = Math.max(stats.mtimeMs, stats.ctimeMs) < checkedAt - SETTLE_MS;
    this.#entries.set(path, { stamp: stampOf(stats), value, settled });
  }

  delete(path: string): void {
    this.#entries.delete(path);
  }

  clear(): void {
    this.#entries.clear();
  }
}
