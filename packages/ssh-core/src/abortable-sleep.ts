/**
 * Wait `ms`, rejecting with `abortError()` as soon as `signal` fires (at once when it already has).
 * The one timer-with-abort of ssh-core: connect backoff and the channel queue's retry both use it.
 */
export function abortableSleep(
  ms: number,
  signal: AbortSignal | undefined,
  abortError: () => Error,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError());
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
