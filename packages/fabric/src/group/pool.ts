/**
 * Run `worker(i)` for i = 0 … count-1 with at most `limit` running at once, in index order.
 * Stops starting new indexes once `stop()` returns true; returns the indexes never started.
 * Workers are expected to settle (they report failures themselves, not by rejecting).
 */
export async function runPool(
  count: number,
  limit: number,
  worker: (index: number) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<number[]> {
  const width = Math.max(1, Math.min(count, Number.isFinite(limit) ? Math.floor(limit) : count));
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count && !stop()) {
      const index = next++;
      await worker(index);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return Array.from({ length: count - next }, (_, i) => next + i);
}
