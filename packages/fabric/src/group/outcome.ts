import { constants } from "node:os";
import { isInvokeError } from "@fabric-ts/invoke/errors";
import { isFabricError } from "../errors/fabric-error.js";
import { isUnreachableError } from "../errors/ssh-failures.js";
import type { HostOutcome, HostStatus } from "../output/summary.js";

/**
 * Summarise one host's value: a Result-like value (`exited`) is `ok` or `failed`; errors are
 * classified by the packages' guards (never instanceof, so copies of a package loaded twice still match).
 */
export function outcomeOf(host: string, value: unknown, durationMs: number | null): HostOutcome {
  if (!(value instanceof Error)) {
    const exited = exitedOf(value);
    if (exited === undefined || exited === 0)
      return { host, status: "ok", exitCode: exited ?? null, durationMs };
    return { host, status: "failed", exitCode: exited, durationMs, error: `exited ${exited}` };
  }
  const status = statusOfError(value);
  const exitCode = status === "failed" ? (exitedOf((value as { result?: unknown }).result) ?? null) : null;
  return {
    host,
    status,
    exitCode,
    durationMs: status === "skipped" ? null : durationMs,
    error: errorLine(value),
  };
}

function statusOfError(error: Error): HostStatus {
  if (isFabricError(error, "HostSkipped")) return "skipped";
  if (isInvokeError(error, "CommandTimedOut")) return "timedout";
  if (isInvokeError(error, "UnexpectedExit")) return "failed";
  if (isUnreachableError(error)) return "unreachable";
  return "error";
}

/** `exited` of a Result-like value (null when not fully executed); undefined for anything else. */
export function exitedOf(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null || !("exited" in value)) return undefined;
  const exited = (value as { exited: unknown }).exited;
  return typeof exited === "number" ? exited : undefined;
}

/** A one-line description: `UnexpectedExit: 'false' exited 1`, or the error's first message line. */
export function errorLine(error: Error): string {
  if (isInvokeError(error, "UnexpectedExit")) {
    const result = error.result as { command?: unknown; exited?: unknown } | undefined;
    const command = JSON.stringify(String(result?.command ?? ""));
    const signal = typeof result?.exited === "number" ? signalNameOf(-result.exited) : undefined;
    return `UnexpectedExit: ${command} ${signal ? `killed by ${signal}` : `exited ${String(result?.exited)}`}`;
  }
  if (isInvokeError(error, "CommandTimedOut")) {
    // The note on a remote command that may have outlived the timeout belongs on the host's line.
    const stillRunning: unknown = error.stillRunning;
    const first = error.message.split("\n")[0] ?? "";
    return `CommandTimedOut: ${first.trim()}${typeof stillRunning === "string" ? ` ${stillRunning}` : ""}`;
  }
  if (isFabricError(error, "HostSkipped")) return error.message.replace(/^[^:]*: /, "");
  const first = error.message.split("\n").find((line) => line.trim() !== "") ?? "";
  return first ? `${error.name}: ${first.trim()}` : error.name;
}

/** `SIGTERM` for 15 (a Result's `exited` is minus the signal number when a signal killed it). */
function signalNameOf(number: number): string | undefined {
  if (!(number > 0)) return undefined;
  return Object.entries(constants.signals).find(([, n]) => n === number)?.[0];
}
