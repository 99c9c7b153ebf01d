import type { Result } from "@fabric-ts/invoke";
import type { Connection } from "../connection.js";
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

  /** Entries whose value is not an Error (computed on each access, so later changes show). */
  get succeeded(): Map<Connection, V> {
    const out = new Map<Connection, V>();
    for (const [connection, value] of this) if (!(value instanceof Error)) out.set(connection, value);
    return out;
  }

  /** Entries whose value is an Error (failed, unreachable, timed out, or skipped by fail-fast). */
  get failed(): Map<Connection, Error> {
    const out = new Map<Connection, Error>();
    for (const [connection, value] of this) if (value instanceof Error) out.set(connection, value);
    return out;
  }

  /** True when no host failed. */
  get ok(): boolean {
    for (const value of this.values()) if (value instanceof Error) return false;
    return true;
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
    return [...this].map(([connection, value]) =>
      outcomeOf(hostLabel(connection), value, this.#durations.get(connection) ?? null),
    );
  }

  /** The end-of-run table (see `renderSummary`). */
  summary(options: { color?: boolean } = {}): string {
    return renderSummary(this.outcomes(), options);
  }
}
