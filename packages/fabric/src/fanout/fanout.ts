import { isUnreachableError } from "../errors/index.js";
import { type HostOutputOptions, type HostStreams, hostStreams } from "../output/host-output.js";
import { withTaskOutput } from "../output/task-output.js";
import { runPool } from "../pool.js";

/** One host's share of a fan-out: what runs there, and how the host is shown. */
export interface HostJob<V> {
  /** How the host is named in prefixes and events. */
  readonly label: string;
  /** Picks the host's prefix colour. @default the job's position */
  readonly colorIndex?: number;
  /** First, outside the host's output capture (making the Connection the job runs on). */
  prepare?(streams: HostStreams | undefined): void;
  /** With `skipUnreachable`: connect before `run`; an unreachable error sets the host aside. */
  reach?(): Promise<void>;
  /** The work. What it prints (`console.log`, `process.stdout`) goes to `streams` too. */
  run(streams: HostStreams | undefined): Promise<V>;
  /** Last, whatever happened, still within the host's time (closing a Connection made for it). */
  release?(): Promise<void>;
}

/** How a host's turn ended: `run` resolved, it threw, it could not be reached, or it never started. */
export type HostState = "done" | "failed" | "unreachable" | "skipped";

/** One host's end of a fan-out. */
export interface HostRun<V> {
  /** Position of the job. */
  readonly index: number;
  readonly label: string;
  readonly state: HostState;
  /** What `run` resolved to (`done`). */
  readonly value?: V;
  /** Why it failed (`failed`), or the connect error (`unreachable`). */
  readonly error?: Error;
  /** Wall time in milliseconds; null for a host never started. */
  readonly durationMs: number | null;
}

export interface FanOutOptions {
  /** Hosts at work at once (1: one after another, in order). */
  concurrency: number;
  /** After the first failed host, start no further hosts (they end `skipped`). */
  failFast: boolean;
  /** Call each job's `reach` first; unreachable hosts end `unreachable`, not `failed`. @default false */
  skipUnreachable?: boolean;
  /** Prefixes, plain output or JSON line events for what each host prints. */
  output: HostOutputOptions;
  /** Once aborted, no further host starts (they end `skipped`). */
  signal?: AbortSignal;
  /** A host's turn has come (before `prepare`; outside its output capture). */
  onStart?(index: number): void;
  /** A host ended (every state but `skipped`), in the order they end. */
  onEnd?(run: HostRun<unknown>): void;
}

/**
 * The host fan-out behind groups and `fab`: each job runs with its host's line-buffered output
 * streams (`[host] line`, or JSON events) and its own timing, at most `concurrency` at once,
 * started in order. A thrown error fails only its host; with `failFast` the hosts not yet
 * started are skipped instead. Resolves (never rejects) with one run per job, in job order.
 */
export async function fanOut<V>(jobs: readonly HostJob<V>[], options: FanOutOptions): Promise<HostRun<V>[]> {
  const runs: HostRun<V>[] = new Array(jobs.length);
  let failed = false;
  const indexes = jobs.map((_, index) => index);
  const notStarted = await runPool(
    indexes,
    options.concurrency,
    async (index) => {
      const run = await runJob(jobs[index]!, index, options);
      runs[index] = run;
      if (run.state === "failed") failed = true;
      options.onEnd?.(run);
    },
    { stop: () => (options.failFast && failed) || options.signal?.aborted === true },
  );
  for (const index of notStarted) {
    runs[index] = { index, label: jobs[index]!.label, state: "skipped", durationMs: null };
  }
  return runs;
}

async function runJob<V>(job: HostJob<V>, index: number, options: FanOutOptions): Promise<HostRun<V>> {
  options.onStart?.(index);
  const { label } = job;
  const streams = hostStreams(label, job.colorIndex ?? index, options.output);
  const started = performance.now();
  let end: { state: "done"; value: V } | { state: "failed" | "unreachable"; error: Error };
  try {
    job.prepare?.(streams);
    if (options.skipUnreachable && job.reach) await reach(job.reach);
    end = { state: "done", value: await withTaskOutput(streams, () => job.run(streams)) };
  } catch (caught) {
    end = caught instanceof Unreachable ? { state: "unreachable", error: caught.error } : failure(caught);
  } finally {
    streams?.flush();
    await job.release?.().catch(() => undefined);
  }
  return { index, label, ...end, durationMs: performance.now() - started };
}

/** Connect; an unreachable host is thrown as {@link Unreachable}, other errors as they are. */
async function reach(connect: () => Promise<void>): Promise<void> {
  try {
    await connect();
  } catch (error) {
    if (isUnreachableError(error)) throw new Unreachable(error as Error);
    throw error;
  }
}

/** Carries a connect error out of `runJob`'s try block, marked as "set aside, not failed". */
class Unreachable {
  constructor(readonly error: Error) {}
}

/** Thrown values are Errors from here on. */
function failure(caught: unknown): { state: "failed"; error: Error } {
  return { state: "failed", error: caught instanceof Error ? caught : new Error(String(caught)) };
}
