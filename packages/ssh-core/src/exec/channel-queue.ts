import { abortableSleep } from "../abortable-sleep.js";
import { ChannelOpenError, SshAbortError } from "../errors.js";

export interface ChannelQueueOptions {
  /** Never hold more than this many channels open at once (e.g. the server's known MaxSessions). */
  maxChannels?: number;
  /** Reject new requests once this many are already waiting. Default: unlimited. */
  maxQueued?: number;
}

export interface ChannelSlot<T> {
  value: T;
  /** Give the slot back once the channel has closed. Idempotent. */
  release(): void;
}

export interface QueuedOpenOptions {
  /** True when an open failure means "too many channels right now" rather than a hard error. */
  isRefusal: (error: unknown) => boolean;
  signal?: AbortSignal;
}

interface Waiter {
  wake(): void;
}

const RETRY_WHEN_IDLE_LIMIT = 20;
const RETRY_WHEN_IDLE_DELAY_MS = 25;

/**
 * Per-connection session channel queue. sshd refuses session channels beyond MaxSessions (default 10);
 * instead of failing, a refused open waits for one of ours to close and tries again. Refusals teach
 * the queue the server's limit, so later requests wait without bothering the server.
 */
export class ChannelQueue {
  #active = 0;
  #opening = 0;
  #learnedLimit = Number.POSITIVE_INFINITY;
  readonly #configuredLimit: number;
  readonly #maxQueued: number;
  readonly #waiting: Waiter[] = [];
  readonly #refused: Waiter[] = [];

  constructor(options: ChannelQueueOptions = {}) {
    this.#configuredLimit = options.maxChannels ?? Number.POSITIVE_INFINITY;
    this.#maxQueued = options.maxQueued ?? Number.POSITIVE_INFINITY;
    if (!(this.#configuredLimit >= 1)) throw new RangeError("maxChannels must be at least 1");
  }

  /** Channels currently open through this queue. */
  get active(): number {
    return this.#active;
  }

  /** Requests waiting for a slot (including ones the server refused, waiting for a close). */
  get waiting(): number {
    return this.#waiting.length + this.#refused.length;
  }

  /** The effective limit: configured, or learned from a server refusal (Infinity when unknown). */
  get limit(): number {
    return Math.min(this.#configuredLimit, this.#learnedLimit);
  }

  async open<T>(attempt: () => Promise<T>, options: QueuedOpenOptions): Promise<ChannelSlot<T>> {
    let idleRetries = 0;
    await this.#reserveSlot(options.signal);
    for (;;) {
      let value: T;
      try {
        value = await attempt();
      } catch (error) {
        this.#opening--;
        if (options.isRefusal(error)) {
          const others = this.#active + this.#opening;
          if (others > 0) {
            // The server is at its limit with channels of ours: wait for one of them to close. The
            // latest observation wins (in-flight opens make any single one approximate).
            this.#learnedLimit = Math.max(1, others);
            this.#pump();
            await this.#waitForRelease(options.signal);
            continue;
          }
          // Refused with nothing of ours open: a slot the server has not freed yet, or a hard limit.
          if (Number.isFinite(this.#learnedLimit) && idleRetries++ < RETRY_WHEN_IDLE_LIMIT) {
            this.#pump();
            await abortableSleep(RETRY_WHEN_IDLE_DELAY_MS, options.signal, () => abortError(options.signal));
            await this.#reserveSlot(options.signal);
            continue;
          }
        }
        this.#pump();
        throw error;
      }
      this.#opening--;
      this.#active++;
      let released = false;
      return {
        value,
        release: () => {
          if (released) return;
          released = true;
          this.#active--;
          this.#wakeRefused(1);
          this.#pump();
        },
      };
    }
  }

  #hasFreeSlot(): boolean {
    return this.#active + this.#opening < this.limit;
  }

  /** Resolves once a slot is reserved for the caller (counted in `#opening`). */
  #reserveSlot(signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    if (this.#waiting.length === 0 && this.#refused.length === 0 && this.#hasFreeSlot()) {
      this.#opening++;
      return Promise.resolve();
    }
    if (this.#waiting.length >= this.#maxQueued) {
      return Promise.reject(
        new ChannelOpenError(`Channel queue is full (${this.#waiting.length} requests already waiting)`),
      );
    }
    return this.#enqueue(this.#waiting, signal);
  }

  /** Wait until one of our channels closes; resolves with a slot reserved. */
  #waitForRelease(signal: AbortSignal | undefined): Promise<void> {
    return this.#enqueue(this.#refused, signal);
  }

  #enqueue(list: Waiter[], signal: AbortSignal | undefined): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        const index = list.indexOf(waiter);
        if (index >= 0) list.splice(index, 1);
        reject(abortError(signal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      list.push(waiter);
    });
  }

  #wakeRefused(count: number): void {
    for (let i = 0; i < count && this.#refused.length > 0; i++) {
      this.#opening++;
      this.#refused.shift()?.wake();
    }
  }

  #pump(): void {
    // Nothing of ours is open or opening, so no release will come: let refused requests try again.
    if (this.#active + this.#opening === 0) this.#wakeRefused(1);
    while (this.#refused.length === 0 && this.#waiting.length > 0 && this.#hasFreeSlot()) {
      const waiter = this.#waiting.shift();
      this.#opening++;
      waiter?.wake();
    }
  }
}

function abortError(signal: AbortSignal | undefined): SshAbortError {
  return new SshAbortError("Aborted while waiting for a channel", { cause: signal?.reason });
}
