// Runs fuzz cases off the main thread (exported as @fabric-ts/testing/fuzz; the worker needs `typescript` for .ts handlers).
/**
 * Runs fuzz cases in a worker thread so a case that never returns (an infinite loop in a parser)
 * fails the test with its input instead of hanging the suite: a synchronous loop cannot be
 * interrupted in the test's own thread, but a worker can be terminated.
 *
 * The handler is a TypeScript module exporting `handle(input)`; it runs on the package sources.
 * The limit is a hang guard, far above any normal case, not a speed assertion.
 *
 * After a hang every later `run` rethrows it until `reset()`: otherwise fast-check's shrinking
 * would replay hanging inputs one limit at a time. The error names the input that hung.
 */
import { Worker } from "node:worker_threads";

const WORKER = new URL("./bounded-worker.mjs", import.meta.url);

export class CaseHung extends Error {
  constructor(
    readonly input: unknown,
    limitMs: number,
  ) {
    super(`fuzz case did not finish within ${limitMs} ms (hang): ${JSON.stringify(input).slice(0, 2000)}`);
    this.name = "CaseHung";
  }
}

interface Reply {
  id?: number;
  ready?: boolean;
  output?: unknown;
}

export class BoundedRunner<I, O> {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, (output: unknown) => void>();
  private hung: CaseHung | undefined;

  constructor(
    private readonly handler: URL,
    private readonly limitMs = 10_000,
  ) {}

  async run(input: I): Promise<O> {
    if (this.hung) throw this.hung;
    await this.start();
    const worker = this.worker!;
    const id = this.nextId++;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<O>((resolve, reject) => {
        this.pending.set(id, (output) => resolve(output as O));
        timer = setTimeout(() => {
          this.pending.delete(id);
          void this.stop();
          this.hung = new CaseHung(input, this.limitMs);
          reject(this.hung);
        }, this.limitMs);
        worker.postMessage({ id, input });
      });
    } finally {
      clearTimeout(timer);
    }
  }

  /** Accept cases again after a hang (a fresh worker starts on the next run). */
  reset(): void {
    this.hung = undefined;
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    this.pending.clear();
    if (worker) await worker.terminate();
  }

  private start(): Promise<void> {
    if (this.ready) return this.ready;
    const worker = new Worker(WORKER, { workerData: { handler: this.handler.href } });
    this.worker = worker;
    this.ready = new Promise((resolve, reject) => {
      worker.once("error", reject);
      worker.on("message", (reply: Reply) => {
        if (reply.ready) {
          resolve();
          return;
        }
        const settle = this.pending.get(reply.id!);
        this.pending.delete(reply.id!);
        settle?.(reply.output);
      });
    });
    // Startup (transpiling the sources) is bounded too.
    const limit = new Promise<void>((_, reject) =>
      setTimeout(() => reject(new Error("fuzz worker did not start")), 60_000).unref(),
    );
    this.ready = Promise.race([this.ready, limit]);
    return this.ready;
  }
}
