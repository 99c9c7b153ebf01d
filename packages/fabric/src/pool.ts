/** How {@link runPool} may be stopped early. */
export interface PoolOptions {
  /** Checked before each start: once it returns true no further item starts (the running ones finish). */
  stop?: () => boolean;
  /** Once aborted no further item starts, and the pool rejects with its reason. */
  signal?: AbortSignal;
}

/**
 * fabric's one concurrency primitive: run `work(item, push)` for every item, in order, with at most
 * `limit` running at once (`Infinity`: all at once; below 1: one). `push` adds an item to the end of the list
 * (tree walks that discover work as they go). The first rejection stops further starts and is
 * rethrown once the running items have settled, so nothing is left half-done in the background.
 * @returns the items never started (after `stop()` said so)
 */
export function runPool<T>(
  items: Iterable<T>,
  limit: number,
  work: (item: T, push: (item: T) => void) => Promise<void>,
  options: PoolOptions = {},
): Promise<T[]> {
  // Below 1 (or not a number) still makes progress, one at a time.
  const width = !(limit >= 1) ? 1 : Number.isFinite(limit) ? Math.floor(limit) : Number.POSITIVE_INFINITY;
  const queue = [...items];
  const push = (item: T) => {
    queue.push(item);
  };
  const { stop, signal } = options;
  let running = 0;
  let failure: { error: unknown } | undefined;
  return new Promise<T[]>((resolve, reject) => {
    const pump = (): void => {
      if (failure === undefined && signal?.aborted) failure = { error: signal.reason };
      while (failure === undefined && running < width && queue.length > 0 && !stop?.()) {
        const item = queue.shift() as T;
        running++;
        let started: Promise<void>;
        try {
          started = work(item, push);
        } catch (error) {
          started = Promise.reject(error);
        }
        started
          .catch((error: unknown) => {
            failure ??= { error };
          })
          .finally(() => {
            running--;
            pump();
          });
      }
      if (running > 0) return;
      if (failure !== undefined) reject(failure.error);
      else resolve(queue.splice(0));
    };
    pump();
  });
}
