import { SshConnectError } from "../errors.js";

/** Exponential backoff with jitter, shared by connect retries and reconnects. Times in milliseconds. */
export interface BackoffPolicy {
  /** Delay before the first retry. */
  baseDelayMs: number;
  /** Upper bound for any one delay. */
  maxDelayMs: number;
  /**
   * Fraction of each delay that is random, 0…1: `1` waits anywhere in (0, delay], `0` exactly `delay`.
   * Randomness spreads many clients that failed together (a MaxStartups storm) over time.
   */
  jitter: number;
}

/**
 * The delay before retry number `retry` (1-based): `base × 2^(retry-1)`, capped at `maxDelayMs`, of
 * which the `jitter` fraction is random.
 * @example backoffDelay(3, { baseDelayMs: 100, maxDelayMs: 1000, jitter: 0 }) // 400
 */
export function backoffDelay(
  retry: number,
  policy: BackoffPolicy,
  random: () => number = Math.random,
): number {
  const exponential = policy.baseDelayMs * 2 ** Math.max(0, retry - 1);
  const capped = Math.max(0, Math.min(policy.maxDelayMs, exponential));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(capped * (1 - jitter) + capped * jitter * random());
}

// Failures another attempt may cure; kept outside the error objects so their shape stays public API.
const retryable = new WeakSet<Error>();

/**
 * Mark a connect failure as worth retrying: the server dropped us before the SSH handshake finished,
 * which is how sshd sheds connections beyond MaxStartups (and how a restarting server looks).
 */
export function markRetryable<E extends Error>(error: E): E {
  retryable.add(error);
  return error;
}

// Drops before the SSH handshake finished: retried by default, beyond ConnectionAttempts.
const droppedBeforeHandshake = new WeakSet<Error>();

/**
 * Connect attempts in all, by default, when the server drops the connection before the SSH
 * handshake finished (sshd beyond MaxStartups, a restarting server). Nothing was authenticated or
 * run, so another try is always safe. With the default backoff (1 s doubling to 8 s, half of it
 * random) the retries wait about 53 s in all, 71 s at most, before giving up.
 */
export const DEFAULT_HANDSHAKE_ATTEMPTS = 12;

/** {@link markRetryable}, for a drop before the SSH handshake completed. */
export function markDroppedBeforeHandshake<E extends Error>(error: E): E {
  droppedBeforeHandshake.add(error);
  return markRetryable(error);
}

/** Whether the server dropped this connect before the SSH handshake completed. */
export function isDroppedBeforeHandshake(error: unknown): boolean {
  return error instanceof Error && droppedBeforeHandshake.has(error);
}

/**
 * Whether a failed connect may be tried again: a failed TCP connect (refused, timed out, unreachable,
 * but not an unresolvable name) or a drop before the handshake. Authentication and host key failures
 * never are (retrying would only repeat the refusal), nor is a server that accepted TCP and then went
 * silent past ConnectTimeout (OpenSSH does not retry that either).
 */
export function isRetryableConnectError(error: unknown): boolean {
  return error instanceof Error && retryable.has(error);
}

/** A TCP-level connect failure, marked retryable unless the name did not resolve. */
export function classifyTcpFailure(error: unknown): unknown {
  if (!(error instanceof SshConnectError)) return error;
  const cause = (error.cause as NodeJS.ErrnoException | undefined)?.code;
  return cause === "ENOTFOUND" || cause === "EAI_AGAIN" ? error : markRetryable(error);
}
