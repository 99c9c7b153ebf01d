import type { Result as InvokeResult } from "@fabric-ts/invoke";
import { isInvokeError } from "@fabric-ts/invoke/errors";
import { isTransportError } from "../errors/index.js";

/**
 * The SSH error behind a runner failure. Invoke's Runner wraps anything its process throws in a
 * SpawnError; for a remote command that would hide the typed ssh-core error (`CONNECTION_LOST`,
 * `CONNECT_REFUSED` …) that callers, groups and retry policies switch on, so it is unwrapped.
 * The output read before the failure moves with it: the SSH error gets the SpawnError's `result`
 * (partial stdout/stderr, `exited: null`), as Fabric keeps a command's output when it fails.
 */
export function transportError(error: unknown): unknown {
  // Guards, not instanceof: ssh-core and invoke may each be loaded twice (src and dist).
  if (!isInvokeError(error, "SpawnError")) return error;
  const cause = error.cause;
  if (!isTransportError(cause)) return error;
  const partial = error.result;
  if (partial === undefined) return cause;
  // One lost connection rejects every command running on it with the same error object: each
  // command gets its own copy carrying its own output.
  const own = Object.create(
    Object.getPrototypeOf(cause) as object,
    Object.getOwnPropertyDescriptors(cause),
  ) as Error;
  Object.defineProperty(own, "result", { value: partial, enumerable: false, configurable: true });
  return own;
}

/**
 * The output a remote command produced before its connection failed: the `result` (`exited: null`)
 * carried by a `CONNECTION_LOST` error from `run()`/`sudo()`, or undefined.
 * @example catch (error) { console.log(partialResult(error)?.stdout) }
 */
export function partialResult(error: unknown): InvokeResult | undefined {
  const result = (error as { result?: unknown } | null)?.result;
  // Shape-checked: a tasks file may have loaded its own copy of the invoke package.
  return typeof result === "object" && result !== null && typeof (result as InvokeResult).stdout === "string"
    ? (result as InvokeResult)
    : undefined;
}
