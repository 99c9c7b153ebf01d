import type { Result } from "@fabric-ts/invoke";
import type { Connection } from "../connection/connection.js";
import { type HostOutcome, renderSummary } from "../output/summary.js";
import { hostLabel } from "./host-label.js";
import { outcomeOf } from "./outcome.js";

/**
 * Per-host results of a group operation, in the group's order: each Connection maps to its value
 * (a Result, a transfer result, a function's return value) or to the Error it failed with.
 * Keys are Connection objects, so a host listed twice keeps both entries.
 */
export class GroupResult<V = Result> extends Map<Connection, V | Error> {
  readonly #durations = new Map<Connection, number>();
  readonly #unreachable = new Set<Connection>();

  /** Entries whose value is not an Error (computed on each access, so later changes show). */
  get succeeded(): Map<Connection, V> {
    const out = new Map<Connection, V>();
    for (const [connection, value] of this) if (!(value instanceof Error)) out.set(connection, value);
    return out;
  }

  /**
   * Entries whose value is an Error (failed, timed out, skipped by fail-fast, or unreachable unless
   * the group was told to `skipUnreachable`).
   */
  get failed(): Map<Connection, Error> {
    const out = new Map<Connection, Error>();
    for (const [connection, value] of this) {
      if (value instanceof Error && !this.#unreachable.has(connection)) out.set(connection, value);
    }
    return out;
  }

  /** Hosts set aside as unreachable by `skipUnreachable`, with their connect errors (not in `failed`). */
  get unreachable(): Map<Connection, Error> {
    const out = new Map<Connection, Error>();
    for (const [connection, value] of this) {
      if (value instanceof Error && this.#unreachable.has(connection)) out.set(connection, value);
    }
    return out;
  }

  /** True when no host failed (hosts set aside as unreachable do not count). */
  get ok(): boolean {
    return this.failed.size === 0;
  }

  /** Record a host that could not be reached, kept apart from the failures. */
  setUnreachable(connection: Connection, error: Error, durationMs: number | null): this {
    this.#unreachable.add(connection);
    return this.setTimed(connection, error, durationMs);
  }

  /** Record a host's value with how long it took. */
  setTimed(connection: Connection, value: V | Error, durationMs: number | null): this {
    if (durationMs === null) this.#durations.delete(connection);
    else this.#durations.set(connection, durationMs);
    return this.set(connection, value);
  }

  /** Milliseconds the host took, when known. */
  durationOf(connection: Connection): number | undefined {
    return this.#durations.get(connection);
  }

  /** One summary row per host (status, exit code, duration). */
  outcomes(): HostOutcome[] {
    return [...this].map(([connection, value]) => {
      const outcome = outcomeOf(hostLabel(connection), value, this.#durations.get(connection) ?? null);
      return this.#unreachable.has(connection) ? { ...outcome, status: "unreachable" as const } : outcome;
    });
  }

  /** The end-of-run table (see `renderSummary`). */
  summary(options: { color?: boolean } = {}): string {
    return renderSummary(this.outcomes(), options);
  }
}
