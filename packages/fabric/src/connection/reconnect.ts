import { setTimeout as sleep } from "node:timers/promises";
import { type BackoffPolicy, backoffDelay } from "@fabric-ts/ssh-core";
import { isUnreachableError } from "../errors/index.js";

/** How a Connection re-opens after its SSH connection was lost between commands. */
export interface ReconnectPolicy extends BackoffPolicy {
  /** Connects tried in all (each one also retries its TCP connect per ConnectionAttempts). */
  attempts: number;
}

/** The `reconnect` Connection option: `true` for the defaults, or some fields of the policy. */
export type ReconnectOption = boolean | Partial<ReconnectPolicy>;

export const DEFAULT_RECONNECT: ReconnectPolicy = {
  attempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  jitter: 0.5,
};

/** The policy an option asks for; null when reconnecting is off. */
export function reconnectPolicy(option: ReconnectOption | undefined): ReconnectPolicy | null {
  if (option === undefined || option === false) return null;
  const policy = { ...DEFAULT_RECONNECT, ...(option === true ? {} : option) };
  return { ...policy, attempts: Math.max(1, Math.floor(policy.attempts)) };
}

/** Failures another connect may cure: the host was unreachable, not refusing us (auth, host key). */
export function isTransientConnectError(error: unknown): boolean {
  return isUnreachableError(error);
}

export interface RetryControl {
  /** Stops the retries: no further connect starts, a pending back-off ends at once. */
  signal?: AbortSignal;
  /** How to wait between tries (tests pass their own clock). */
  wait?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

const waitUnlessAborted = (ms: number, signal: AbortSignal | undefined) =>
  sleep(ms, undefined, { signal }).catch(() => {});

/**
 * Call `connect` until it succeeds, at most `policy.attempts` times, backing off between tries;
 * a failure that is not transient, or `control.signal` firing, ends it at once. Rejects with the last
 * connect error.
 */
export async function connectWithRetries<T>(
  policy: ReconnectPolicy,
  connect: () => Promise<T>,
  control: RetryControl = {},
): Promise<T> {
  const { signal, wait = waitUnlessAborted } = control;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connect();
    } catch (error) {
      if (attempt >= policy.attempts || !isTransientConnectError(error)) throw error;
      await wait(backoffDelay(attempt, policy), signal);
      if (signal?.aborted) throw error;
    }
  }
}
