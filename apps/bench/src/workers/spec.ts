/** What a bench worker process is asked to do; passed as one JSON argument. */
export interface WorkerSpec {
  mode: "one" | "seq" | "group" | "leak" | "put" | "get";
  addresses: readonly string[];
  port: number;
  user: string;
  identityFile: string;
  knownHostsPath: string;
  command?: string;
  /** seq/leak: commands to run; leak: measured after `warmup` more. */
  count?: number;
  warmup?: number;
  /** group: connections open at once. */
  concurrency?: number;
  local?: string;
  remote?: string;
}

export const REPORT_PREFIX = "BENCH ";

/** Exit code meaning "the API this worker needs does not exist yet". */
export const EXIT_UNAVAILABLE = 3;

export function readSpec(): WorkerSpec {
  const raw = process.argv[2];
  if (!raw) throw new Error("usage: worker '<json spec>'");
  return JSON.parse(raw) as WorkerSpec;
}

/** The worker's last stdout line: numbers the parent records beside its own measurements. */
export function report(metrics: Record<string, number>): void {
  process.stdout.write(`${REPORT_PREFIX}${JSON.stringify(metrics)}\n`);
}

export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined) throw new Error(`worker spec is missing ${name}`);
  return value;
}

/** Runs `task` over `items` with at most `limit` in flight; resolves with every outcome. */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<PromiseSettledResult<R>[]> {
  const results: PromiseSettledResult<R>[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      try {
        results[index] = { status: "fulfilled", value: await task(items[index]!) };
      } catch (reason) {
        results[index] = { status: "rejected", reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return results;
}

export function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

/** Collects garbage when the worker runs with --expose-gc (the leak scenario does). */
export function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
}
