import { inspect } from "node:util";
import { type AnyTask, shouldUseColor } from "@fabric-ts/invoke";
import type { Connection } from "../connection/connection.js";
import { HostsFailed } from "../errors/index.js";
import { fanOut, type HostJob, type HostRun } from "../fanout/fanout.js";
import { exitedOf, outcomeOf } from "../group/outcome.js";
import type { ChangeCounts } from "../helpers/helper-session.js";
import { withHelperSession } from "../helpers/helper-session.js";
import type { JsonEvents } from "../output/events.js";
import type { HostOutputOptions, HostStreams } from "../output/host-output.js";
import type { ProgressBar } from "../output/progress.js";
import { routeOutput } from "../output/route.js";
import { type HostOutcome, renderSummary } from "../output/summary.js";
import { type HostKwargs, hostSpecLabel } from "./host-spec.js";

/** One host's turn in a `fab` run: a task call on that host, or the command after `--`. */
export interface HostTurn {
  readonly host: HostKwargs;
  /** Position of the host in the run's host list (its prefix colour). */
  readonly hostIndex: number;
  /** The task's name (summary rows, events); none for the command after `--`. */
  readonly task?: string;
  /** The command after `--` (its `start` event names it). */
  readonly command?: string;
  /** Where a successful value is kept in the run's results (the task). */
  readonly resultKey?: AnyTask;
  /** Print the returned value (a task called by name with `autoprint`). */
  readonly autoprint: boolean;
  /** Before the host's turn: load the config its Connection is made from. */
  configure(): void;
  /** The work on the host's Connection. */
  body(connection: Connection): Promise<unknown>;
}

/** How a `fab` run runs its hosts and reports them. */
export interface FabRunSettings {
  /** The Connection a host runs with (a fresh one over its own copy of the config). */
  connect(host: HostKwargs): Connection;
  output: HostOutputOptions;
  /** Where `start`/`exit` events go (and, in `json` output, the `summary` event). */
  events?: JsonEvents;
  /** The run's one progress bar for every host's transfers (not used in `json` output). */
  progress(): ProgressBar;
  /** Hosts at once within one batch. */
  concurrency: number;
  /** After a failed host start no further hosts of the batch (serial runs, like Fabric). */
  failFast: boolean;
  skipUnreachable: boolean;
  /** Print the end-of-run table when more than one host turn was run. @default true */
  summary?: boolean;
  stderr?: NodeJS.WritableStream;
  redact?: (text: string) => string;
}

/**
 * One `fab` run's host turns: each batch (one task, or the command, on its hosts) runs over the
 * fan-out; the run keeps every host's outcome and failure, prints the summary table (or emits the
 * summary event) and throws {@link HostsFailed} at the end.
 */
export class FabRun {
  readonly results = new Map<AnyTask, unknown>();
  readonly outcomes: HostOutcome[] = [];
  readonly failures: { host: string; error: Error }[] = [];
  readonly #settings: FabRunSettings;
  readonly #started = performance.now();
  readonly #taskNames = new Set<string>();

  constructor(settings: FabRunSettings) {
    this.#settings = settings;
  }

  /** Run one batch on its hosts; false when any host failed. */
  async runBatch(turns: readonly HostTurn[]): Promise<boolean> {
    this.#taskNames.add(turns[0]?.task ?? "");
    const { concurrency, failFast, skipUnreachable, output, events } = this.#settings;
    const counts = turns.map((): ChangeCounts => ({ changed: 0, ok: 0 }));
    const outcomes: HostOutcome[] = new Array(turns.length);
    const runs = await fanOut(
      turns.map((turn, index) => this.#job(turn, counts[index]!)),
      {
        concurrency,
        failFast,
        skipUnreachable,
        output,
        onStart: (index) => {
          const turn = turns[index]!;
          turn.configure();
          const named = turn.command ? { command: turn.command } : turn.task ? { task: turn.task } : {};
          events?.emit({ event: "start", host: hostSpecLabel(turn.host), ...named });
        },
        onEnd: (run) => {
          const turn = turns[run.index]!;
          outcomes[run.index] = this.#outcome(run, turn, counts[run.index]!);
          events?.emit({ event: "exit", ...outcomes[run.index]! });
          if (run.state === "done" && turn.resultKey !== undefined)
            this.results.set(turn.resultKey, run.value);
        },
      },
    );
    let failed = false;
    for (const run of runs) {
      const turn = turns[run.index]!;
      if (run.state === "skipped") outcomes[run.index] = skippedOutcome(turn);
      else if (run.state === "failed") failed = true;
    }
    // Failures in host order, whatever order they finished in.
    for (const run of runs) {
      if (run.state === "failed") this.failures.push({ host: outcomes[run.index]!.host, error: run.error! });
    }
    this.outcomes.push(...outcomes);
    return !failed;
  }

  /** Turns never run after an earlier batch failed. */
  skip(turns: readonly HostTurn[]): void {
    this.outcomes.push(...turns.map(skippedOutcome));
  }

  /** Print the summary table or emit the summary event. */
  finish(): void {
    const settings = this.#settings;
    const events = settings.events;
    if (settings.output.mode === "json" && events) {
      const hostsWith = (...statuses: string[]) =>
        this.outcomes.filter((o) => statuses.includes(o.status)).map((o) => o.host);
      events.emit({
        event: "summary",
        ok: this.failures.length === 0,
        hosts: this.outcomes.length,
        succeeded: hostsWith("ok"),
        failed: this.failures.map((f) => f.host),
        unreachable: hostsWith("unreachable"),
        skipped: hostsWith("skipped"),
        durationMs: Math.round(performance.now() - this.#started),
      });
      return;
    }
    if (settings.summary === false || this.outcomes.length < 2) return;
    const stderr = settings.stderr ?? process.stderr;
    // Several tasks: say which one each row is about.
    const rows =
      this.#taskNames.size > 1
        ? this.outcomes.map((o) => ({ ...o, host: o.task ? `${o.host} ${o.task}` : o.host }))
        : this.outcomes;
    const table = renderSummary(rows, { color: shouldUseColor(stderr) });
    stderr.write(`\n${settings.redact ? settings.redact(table) : table}`);
  }

  throwIfFailed(): void {
    if (this.failures.length) throw new HostsFailed(this.outcomes, this.failures);
  }

  /** The fan-out job of one turn: a Connection made at the host's turn, closed after it. */
  #job(turn: HostTurn, counts: ChangeCounts): HostJob<unknown> {
    const settings = this.#settings;
    let connection: Connection | undefined;
    return {
      label: hostSpecLabel(turn.host),
      colorIndex: turn.hostIndex,
      prepare(streams) {
        connection = settings.connect(turn.host);
        if (streams) routeOutput(connection, streams);
        if (settings.output.mode !== "json") connection.transferProgress = settings.progress();
      },
      reach: () => connection!.open(),
      async run(streams) {
        // Helpers the task calls count themselves here, for the summary's changed/ok columns.
        const value = await withHelperSession({ counts }, () => turn.body(connection!));
        if (turn.autoprint) writeAutoprint(value, streams);
        return value;
      },
      release: async () => {
        await connection?.close();
      },
    };
  }

  #outcome(run: HostRun<unknown>, turn: HostTurn, counts: ChangeCounts): HostOutcome {
    const durationMs = Math.round(run.durationMs ?? 0);
    const { label } = run;
    // A task that returned normally succeeded, even if it returned a failed (warn) Result.
    const outcome: HostOutcome =
      run.state === "done"
        ? {
            host: label,
            status: "ok",
            exitCode: exitedOf(run.value) ?? null,
            durationMs,
          }
        : outcomeOf(label, run.error, durationMs);
    // Set aside, not failed: only when it never connected (a drop mid-task is a failure).
    if (run.state === "unreachable") outcome.status = "unreachable";
    if (turn.task) outcome.task = turn.task;
    if (counts.changed + counts.ok > 0) outcome.changes = { ...counts };
    return outcome;
  }
}

function writeAutoprint(value: unknown, streams: HostStreams | undefined): void {
  const text = `${typeof value === "string" ? value : inspect(value, { depth: 4 })}\n`;
  if (streams) {
    streams.out.write(text);
    streams.flush();
  } else process.stdout.write(text);
}

function skippedOutcome(turn: HostTurn): HostOutcome {
  return {
    host: hostSpecLabel(turn.host),
    status: "skipped",
    exitCode: null,
    durationMs: null,
    error: "not run after a failure",
    ...(turn.task ? { task: turn.task } : {}),
  };
}
