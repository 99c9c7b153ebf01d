import { DIM, GREEN, paint, RED, YELLOW } from "./color.js";

/** How one host ended: ok, a non-zero exit, a timeout, no connection, another error, or never run. */
export type HostStatus = "ok" | "failed" | "timedout" | "unreachable" | "error" | "skipped";

/** One row of the end-of-run summary (also the payload of the `exit` JSON event). */
export interface HostOutcome {
  host: string;
  /** The task that ran (fab sessions). */
  task?: string;
  status: HostStatus;
  /** The command's exit code, when one ran to completion. */
  exitCode: number | null;
  /** Wall time on this host; null when it never ran. */
  durationMs: number | null;
  /** First line of the error, for anything but `ok`. */
  error?: string;
  /** What the idempotent helpers (`@fabric-ts/fabric/helpers`) did in the task: calls that changed something, calls that found it as asked. */
  changes?: { changed: number; ok: number };
}

const STATUS_COLORS: Record<HostStatus, number> = {
  ok: GREEN,
  failed: RED,
  timedout: RED,
  unreachable: RED,
  error: RED,
  skipped: YELLOW,
};

/**
 * The end-of-run table, one row per host in run order, then a totals line:
 *
 * ```text
 * HOST   STATUS  EXIT  DURATION
 * web1   ok         0     0.21s
 * web2   failed     3     0.30s
 * 1 ok, 1 failed
 * ```
 *
 * When a task used the idempotent helpers, a CHANGES column (`changed=1 ok=3`) and their totals
 * (`2 ok; helpers: 1 changed, 6 ok`) are added.
 */
export function renderSummary(rows: readonly HostOutcome[], options: { color?: boolean } = {}): string {
  const color = options.color ?? false;
  // The CHANGES column only when a task used the helpers (Ansible's changed/ok recap).
  const withChanges = rows.some((row) => row.changes !== undefined);
  const table = [
    ["HOST", "STATUS", "EXIT", "DURATION", ...(withChanges ? ["CHANGES"] : [])],
    ...rows.map((row) => [
      row.host,
      row.status,
      row.exitCode === null ? "-" : String(row.exitCode),
      formatDuration(row.durationMs),
      ...(withChanges ? [row.changes ? `changed=${row.changes.changed} ok=${row.changes.ok}` : "-"] : []),
    ]),
  ];
  const widths = (table[0] ?? []).map((_, col) => Math.max(...table.map((cells) => cells[col]?.length ?? 0)));
  const lines = table.map((cells, index) => {
    const [host = "", status = "", exit = "", duration = "", changes] = cells;
    const statusCell = status.padEnd(widths[1] ?? 0);
    const painted = index === 0 ? statusCell : paint(statusCell, STATUS_COLORS[status as HostStatus], color);
    const text = [
      host.padEnd(widths[0] ?? 0),
      painted,
      exit.padStart(widths[2] ?? 0),
      duration.padStart(widths[3] ?? 0),
      ...(changes === undefined ? [] : [changes]),
    ].join("  ");
    return index === 0 ? paint(text, DIM, color) : text;
  });
  return `${[...lines, totalsLine(rows)].join("\n")}\n`;
}

/** `3 ok, 1 failed, 16 skipped`: counts per status, in a fixed order, zeros left out. */
export function totalsLine(rows: readonly HostOutcome[]): string {
  const order: HostStatus[] = ["ok", "failed", "timedout", "unreachable", "error", "skipped"];
  const parts = order
    .map((status) => [status, rows.filter((row) => row.status === status).length] as const)
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`);
  if (!parts.length) return "no hosts";
  const counted = rows.filter((row) => row.changes);
  if (!counted.length) return parts.join(", ");
  const changed = counted.reduce((sum, row) => sum + (row.changes?.changed ?? 0), 0);
  const ok = counted.reduce((sum, row) => sum + (row.changes?.ok ?? 0), 0);
  return `${parts.join(", ")}; helpers: ${changed} changed, ${ok} ok`;
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return "-";
  return ms < 60_000
    ? `${(ms / 1000).toFixed(2)}s`
    : `${Math.floor(ms / 60_000)}m${((ms % 60_000) / 1000).toFixed(0)}s`;
}
