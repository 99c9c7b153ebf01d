/**
 * Run `task` for every item with at most `limit` running; the first failure stops new starts and
 * is rethrown once the running ones have settled (so nothing is left half-done in the background).
 */
export async function forEachLimited<T>(
  items: Iterable<T>,
  limit: number,
  task: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const iterator = items[Symbol.iterator]();
  let failure: { error: unknown } | undefined;
  const lane = async () => {
    while (failure === undefined) {
      if (signal?.aborted) {
        failure = { error: signal.reason };
        return;
      }
      const next = iterator.next();
      if (next.done) return;
      try {
        await task(next.value);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.floor(limit)) }, lane));
  if (failure) throw failure.error;
}

/** A growable work list walked by up to `limit` workers (for tree walks that discover work as they go). */
export async function drainQueue<T>(
  initial: T[],
  limit: number,
  task: (item: T, push: (item: T) => void) => Promise<void>,
): Promise<void> {
  const queue = [...initial];
  let running = 0;
  let failure: { error: unknown } | undefined;
  await new Promise<void>((resolve) => {
    const pump = () => {
      if (failure !== undefined && running === 0) return resolve();
      if (queue.length === 0 && running === 0) return resolve();
      while (failure === undefined && running < limit && queue.length > 0) {
        const item = queue.shift() as T;
        running++;
        task(item, (more) => queue.push(more))
          .catch((error: unknown) => {
            failure ??= { error };
          })
          .finally(() => {
            running--;
            pump();
          });
      }
    };
    pump();
  });
  if (failure) throw failure.error;
}
