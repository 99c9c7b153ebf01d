import { SshAbortError } from "../errors.js";

/** Progress for one transfer: `total` is undefined while a stream's size is unknown. */
export type ProgressCallback = (transferred: number, total: number | undefined) => void;

/**
 * Shared state of one pipelined transfer: the first failure (or abort) stops every worker, and
 * `settled` lets the caller stop waiting on requests still in flight when the signal fires.
 */
export class TransferState {
  error: unknown = undefined;
  transferred = 0;
  readonly #onProgress: ProgressCallback | undefined;
  readonly #signal: AbortSignal | undefined;
  #total: number | undefined;
  #rejectAbort: (error: unknown) => void = () => {};
  readonly aborted: Promise<never>;
  readonly #onAbort = () => this.fail(new SshAbortError("Transfer aborted", { cause: this.#signal?.reason }));

  constructor(total: number | undefined, onProgress?: ProgressCallback, signal?: AbortSignal) {
    this.#total = total;
    this.#onProgress = onProgress;
    this.#signal = signal;
    this.aborted = new Promise<never>((_, reject) => {
      this.#rejectAbort = reject;
    });
    this.aborted.catch(() => {});
    if (signal?.aborted) this.#onAbort();
    else signal?.addEventListener("abort", this.#onAbort, { once: true });
  }

  get ok(): boolean {
    return this.error === undefined;
  }

  fail(error: unknown): void {
    if (this.error !== undefined) return;
    this.error = error;
    this.#rejectAbort(error);
  }

  add(bytes: number): void {
    if (bytes <= 0) return;
    this.transferred += bytes;
    this.#report();
  }

  #reported = -1;
  #report(): void {
    this.#reported = this.transferred;
    this.#onProgress?.(this.transferred, this.#total);
  }

  /** Run `count` workers until they finish or the transfer fails; rethrows the first failure. */
  async run(count: number, worker: () => Promise<void>): Promise<void> {
    const guarded = async () => {
      try {
        await worker();
      } catch (error) {
        this.fail(error);
      }
    };
    try {
      await Promise.race([Promise.all(Array.from({ length: count }, guarded)), this.aborted]);
    } finally {
      this.#signal?.removeEventListener("abort", this.#onAbort);
    }
    if (this.error !== undefined) throw this.error;
  }

  /** The final report: always ends with `transferred === total` (also for empty files). */
  finish(): void {
    if (this.#reported === this.transferred && this.#total === this.transferred) return;
    this.#total = this.transferred;
    this.#report();
  }
}

/** A counting semaphore for "at most N requests in flight". */
export class InFlight {
  #count = 0;
  readonly #limit: number;
  #waiters: (() => void)[] = [];
  #idle: (() => void)[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  acquire(): Promise<void> | undefined {
    if (this.#count < this.#limit) {
      this.#count++;
      return undefined;
    }
    // release() hands its slot straight to the waiter, so the count never overshoots.
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  release(): void {
    const next = this.#waiters.shift();
    if (next) {
      next();
      return;
    }
    this.#count--;
    if (this.#count === 0 && this.#waiters.length === 0) for (const wake of this.#idle.splice(0)) wake();
  }

  /** Resolves once nothing is in flight. */
  drained(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }
}
