import { constants } from "node:os";
import type { HostOutcome, HostStatus } from "../output/summary.js";

const UNREACHABLE = new Set([
  "SshConnectError",
  "SshHandshakeError",
  "ConnectionLostError",
  "NotConnectedError",
]);

/**
 * Summarise one host's value: a Result-like value (`exited`) is `ok` or `failed`; errors are
 * classified by name (never instanceof, so copies of a package loaded twice still match).
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
  if (error.name === "HostSkipped") return "skipped";
  if (error.name === "CommandTimedOut") return "timedout";
  if (error.name === "UnexpectedExit") return "failed";
  if (UNREACHABLE.has(error.name)) return "unreachable";
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
  if (error.name === "UnexpectedExit") {
    const result = (error as { result?: { command?: unknown; exited?: unknown } }).result;
    const command = JSON.stringify(String(result?.command ?? ""));
    const signal = typeof result?.exited === "number" ? signalNameOf(-result.exited) : undefined;
    return `UnexpectedExit: ${command} ${signal ? `killed by ${signal}` : `exited ${String(result?.exited)}`}`;
  }
  if (error.name === "CommandTimedOut") {
    // The note on a remote command that may have outlived the timeout belongs on the host's line.
    const stillRunning = (error as { stillRunning?: unknown }).stillRunning;
    const first = error.message.split("\n")[0] ?? "";
    return `CommandTimedOut: ${first.trim()}${typeof stillRunning === "string" ? ` ${stillRunning}` : ""}`;
  }
  if (error.name === "HostSkipped") return error.message.replace(/^[^:]*: /, "");
  const first = error.message.split("\n").find((line) => line.trim() !== "") ?? "";
  return first ? `${error.name}: ${first.trim()}` : error.name;
}

/** `SIGTERM` for 15 (a Result's `exited` is minus the signal number when a signal killed it). */
function signalNameOf(number: number): string | undefined {
  if (!(number > 0)) return undefined;
  return Object.entries(constants.signals).find(([, n]) => n === number)?.[0];
}
