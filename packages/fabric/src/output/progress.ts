import { writeDirect } from "@fabric-ts/invoke";
import type { TransferProgress } from "../transfer/progress.js";

export interface ProgressBarOptions {
  /** @default process.stderr */
  stream?: NodeJS.WritableStream;
  /** Draw at all. @default whether `stream` is a TTY */
  enabled?: boolean;
  /** Columns for the whole line. @default the stream's columns, else 80 */
  columns?: number;
  /** Minimum milliseconds between redraws (the last one is always drawn). @default 100 */
  interval?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/** One row of a {@link ProgressBar}: feed it bytes, then end it. */
export interface ProgressRow {
  readonly onProgress: TransferProgress;
  end(ok: boolean): void;
}

interface Row {
  label: string;
  transferred: number;
  total: number | undefined;
  state: "running" | "ok" | "failed";
  started: number;
}

/**
 * Transfer progress on a terminal: one row per host (or file) and, with several rows, a total
 * line (hosts × bytes). Redrawn in place with ANSI cursor movement, at most every `interval` ms.
 * Silent when the stream is not a TTY, so logs and pipes stay clean.
 */
export class ProgressBar {
  readonly enabled: boolean;
  readonly #stream: NodeJS.WritableStream;
  readonly #columns: number;
  readonly #interval: number;
  readonly #now: () => number;
  readonly #rows: Row[] = [];
  #drawnLines = 0;
  #lastDraw = Number.NEGATIVE_INFINITY;

  constructor(options: ProgressBarOptions = {}) {
    this.#stream = options.stream ?? process.stderr;
    const tty = this.#stream as { isTTY?: boolean; columns?: number };
    this.enabled = options.enabled ?? tty.isTTY === true;
    this.#columns = Math.max(40, options.columns ?? tty.columns ?? 80);
    this.#interval = options.interval ?? 100;
    this.#now = options.now ?? (() => Date.now());
  }

  /** Add a row labelled `label` (a host, a file). */
  row(label: string): ProgressRow {
    const row: Row = { label, transferred: 0, total: undefined, state: "running", started: this.#now() };
    this.#rows.push(row);
    return {
      onProgress: (transferred, total) => {
        row.transferred = transferred;
        row.total = total;
        this.#draw(false);
      },
      end: (ok) => {
        row.state = ok ? "ok" : "failed";
        this.#draw(true);
      },
    };
  }

  /** Draw the final state (call once every row ended). */
  finish(): void {
    this.#draw(true);
  }

  /** The lines as they would be drawn now (no escapes). */
  lines(): string[] {
    const totalLabel = `total ${this.#rows.filter((r) => r.state !== "running").length}/${this.#rows.length}`;
    const labels = this.#rows.map((r) => r.label.length);
    if (this.#rows.length > 1) labels.push(totalLabel.length);
    const labelWidth = Math.min(32, Math.max(...labels, 5));
    const lines = this.#rows.map((row) => this.#line(row, labelWidth));
    if (this.#rows.length > 1) {
      const total: Row = {
        label: totalLabel,
        transferred: sum(this.#rows.map((r) => r.transferred)),
        total: this.#rows.every((r) => r.total !== undefined)
          ? sum(this.#rows.map((r) => r.total ?? 0))
          : undefined,
        state: this.#rows.some((r) => r.state === "failed")
          ? "failed"
          : this.#rows.every((r) => r.state === "ok")
            ? "ok"
            : "running",
        started: Math.min(...this.#rows.map((r) => r.started)),
      };
      lines.push(this.#line(total, labelWidth));
    }
    return lines;
  }

  #draw(force: boolean): void {
    if (!this.enabled) return;
    const now = this.#now();
    if (!force && now - this.#lastDraw < this.#interval) return;
    this.#lastDraw = now;
    const up = this.#drawnLines > 0 ? `\x1b[${this.#drawnLines}A` : "";
    const lines = this.lines();
    const text = `${up}${lines.map((line) => `\r\x1b[2K${line}\n`).join("")}`;
    writeDirect(() => this.#stream.write(text));
    this.#drawnLines = lines.length;
  }

  #line(row: Row, labelWidth: number): string {
    const label =
      row.label.length > labelWidth ? `${row.label.slice(0, labelWidth - 1)}…` : row.label.padEnd(labelWidth);
    const seconds = Math.max((this.#now() - row.started) / 1000, 0.001);
    const rate = `${formatBytes(row.transferred / seconds)}/s`;
    const amount =
      row.total === undefined
        ? formatBytes(row.transferred)
        : `${formatBytes(row.transferred)}/${formatBytes(row.total)}`;
    const status = row.state === "failed" ? "failed" : row.state === "ok" ? "done" : percent(row);
    const tail = ` ${status.padStart(6)} ${amount} ${rate}${eta(row, row.transferred / seconds)}`;
    const barWidth = Math.max(10, this.#columns - labelWidth - tail.length - 4);
    const fraction =
      row.state === "ok" ? 1 : row.total ? Math.min(1, row.transferred / row.total) : row.total === 0 ? 1 : 0;
    const filled = Math.round(fraction * barWidth);
    return `${label} [${"#".repeat(filled)}${"-".repeat(barWidth - filled)}]${tail}`;
  }
}

/** ` ETA 1m05s` while a row with a known size is running and moving; "" otherwise. */
function eta(row: Row, bytesPerSecond: number): string {
  if (row.state !== "running" || !row.total || row.transferred <= 0 || bytesPerSecond <= 0) return "";
  return ` ETA ${formatEta(Math.max(0, row.total - row.transferred) / bytesPerSecond)}`;
}

/** 5 → "5s", 125 → "2m05s", 3720 → "1h02m". */
export function formatEta(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

function percent(row: Row): string {
  if (!row.total) return row.total === 0 ? "100%" : "";
  return `${Math.floor((row.transferred / row.total) * 100)}%`;
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** 1536 → "1.5 KiB". */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}
