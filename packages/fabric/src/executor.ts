import { inspect } from "node:util";
import {
  type AnyTask,
  Call,
  type Collection,
  type Config,
  Context,
  Executor,
  type ParseResult,
  type TaskSpec,
} from "@fabric-ts/invoke";
import { FabricConfig } from "./config/fabric-config.js";
import { Connection } from "./connection/connection.js";
import { isUnreachableError } from "./connection/unreachable.js";
import { exitedOf, outcomeOf } from "./group/outcome.js";
import { runPool } from "./group/pool.js";
import { DEFAULT_CONCURRENCY } from "./group/threading-group.js";
import { type ChangeCounts, withHelperSession } from "./helpers/helper-session.js";
import type { Inventory } from "./inventory/inventory.js";
import { colorEnabled } from "./output/color.js";
import type { JsonEvents } from "./output/events.js";
import {
  type HostOutputOptions,
  type HostStreams,
  hostStreams,
  type OutputMode,
} from "./output/host-output.js";
import { ProgressBar } from "./output/progress.js";
import { routeOutput } from "./output/route.js";
import { type HostOutcome, renderSummary } from "./output/summary.js";
import { withTaskOutput } from "./output/task-output.js";
import { ConnectionCall } from "./tasks/connection-call.js";
import { HostsFailed, NothingToDo } from "./tasks/errors.js";
import {
  type HostKwargs,
  type HostSpec,
  hostSpecLabel,
  normalizeHosts,
  parseHostsFlag,
} from "./tasks/host-spec.js";
import { FabricTask, taskHosts } from "./tasks/task.js";
import { withTaskSession } from "./tasks/task-session.js";

export interface FabricExecutorOptions {
  /** Hosts from `-H`: they replace every task's own `hosts`. @default read from the core parse result */
  hosts?: readonly HostSpec[];
  /** A shell command run on each `-H` host after the tasks (`fab -H a,b -- uname -a`). @default core remainder */
  remainder?: string;
  /** Run each task on all its hosts at once (`-P`) instead of one host after another. @default false */
  parallel?: boolean;
  /**
   * Hosts that cannot be reached (refused, timed out, handshake or jump host failure) are reported
   * as `unreachable` without failing the run. @default false
   */
  skipUnreachable?: boolean;
  /**
   * Turns a task's own `hosts` into Connection options (with an inventory: patterns evaluated,
   * `--limit` applied). @default each entry as given
   */
  resolveHosts?: (hosts: readonly HostSpec[]) => HostKwargs[];
  /** The inventory hosts came from: each Connection's `inventory`. */
  inventory?: Inventory;
  /** With `parallel`: hosts at once. @default 64 */
  concurrency?: number;
  /**
   * How host output is shown. @default "prefixed" when a task runs on several hosts, else "plain"
   * (`json` needs `events`).
   */
  output?: OutputMode;
  events?: JsonEvents;
  /** Print the end-of-run table (to `stderr`) when tasks ran on more than one host. @default true */
  summary?: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Scrubs secrets from the summary table's error texts (`fab` passes its redactor's). */
  redact?: (text: string) => string;
}

/** Thrown values from tasks are Errors from here on. */
function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/**
 * Runs tasks per host (Fabric's Executor): each task call is repeated for every host (`-H` wins
 * over the task's `hosts`), each with a fresh Connection over its own copy of the config, so
 * nothing one host's task changes reaches another's. Pre/post tasks run once, with a plain local
 * Context. Serial by default, stopping at the first failed host; `parallel` runs a task on all its
 * hosts at once (up to `concurrency`) and stops after that task when any host failed.
 * @throws {HostsFailed} naming every failed host
 */
export class FabricExecutor extends Executor {
  readonly hosts: readonly HostKwargs[];
  readonly remainder: string;
  readonly parallel: boolean;
  readonly concurrency: number;
  readonly #options: FabricExecutorOptions;
  readonly #hostIndexes = new Map<string, number>();
  #expanding = false;
  #localStreams: HostStreams | undefined;
  #remainderTask: AnyTask | undefined;

  constructor(
    collection: Collection,
    config: Config,
    core?: ParseResult,
    options: FabricExecutorOptions = {},
  ) {
    super(collection, config, core);
    const coreArgs = core?.contexts[0]?.args;
    this.hosts = normalizeHosts(
      options.hosts ?? parseHostsFlag(coreArgs?.get("hosts")?.value as string | undefined),
    );
    this.remainder = (options.remainder ?? core?.remainder ?? "").trim();
    this.parallel = options.parallel ?? false;
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!(Number.isSafeInteger(this.concurrency) && this.concurrency >= 1)) {
      throw new RangeError(`concurrency must be a whole number of at least 1, got ${this.concurrency}`);
    }
    this.#options = options;
  }

  override execute(...specs: TaskSpec[]): Promise<Map<AnyTask, unknown>> {
    // Prompts in tasks (and pre/post tasks) read their answers and `--yes` from the session config.
    return withHelperSession({ config: this.config }, () => this.#execute(specs));
  }

  async #execute(specs: TaskSpec[]): Promise<Map<AnyTask, unknown>> {
    if (this.remainder && this.hosts.length === 0) throw new NothingToDo();
    const direct = this.normalize(specs);
    const expanded = [...this.expandCalls(direct), ...this.remainderCalls()];
    const calls = this.config.tasks.dedupe ? this.dedupe(expanded) : expanded;
    const output = this.#outputFor(calls);
    const session = new Session(this, output, this.#options);
    const config = FabricConfig.from(this.config);
    const events = output.mode === "json" ? output.events : undefined;
    // Connections and groups a task makes inherit the session's config; under --json whatever a
    // task prints outside a host (pre/post tasks, tasks without hosts) is a `local` event.
    await withTaskSession({ config, ...(events ? { events } : {}) }, () =>
      withTaskOutput(this.#localStreams, () => this.#runCalls(calls, direct, session)),
    );
    session.throwIfFailed();
    return session.results;
  }

  async #runCalls(calls: readonly Call[], direct: readonly Call[], session: Session): Promise<void> {
    try {
      for (let i = 0; i < calls.length; ) {
        const call = calls[i]!;
        const asDirect = call.direct || direct.some((d) => d.equals(call));
        const current = asDirect === call.direct ? call : call.clone({ direct: asDirect });
        if (!(current instanceof ConnectionCall)) {
          session.results.set(current.task, await this.runCall(current));
          i += 1;
          continue;
        }
        let end = i + 1;
        while (end < calls.length && sameBatch(calls[end]!, call)) end += 1;
        const batch = calls.slice(i, end) as ConnectionCall[];
        const ok = await session.runBatch(batch, asDirect);
        i = end;
        if (!ok) {
          session.skip(calls.slice(end).filter((c): c is ConnectionCall => c instanceof ConnectionCall));
          break;
        }
      }
    } finally {
      session.finish();
    }
  }

  /** Pre/post tasks expand once (no hosts); the task itself becomes one call per host. */
  override expandCalls(calls: readonly Call[]): Call[] {
    if (this.#expanding) return super.expandCalls(calls);
    this.#expanding = true;
    try {
      return calls.flatMap((call) => {
        const resolve = this.#options.resolveHosts ?? normalizeHosts;
        const hosts = this.hosts.length ? this.hosts : resolve(taskHosts(call.task));
        return super
          .expandCalls([call])
          .flatMap((c) =>
            c === call && hosts.length
              ? hosts.map((h) => new ConnectionCall(call, h, this.#hostIndex(h)))
              : [c],
          );
      });
    } finally {
      this.#expanding = false;
    }
  }

  /** A plain local Context (pre/post tasks, tasks without hosts); its output is routed in JSON mode. */
  protected override async makeContext(_call: Call, config: Config): Promise<unknown> {
    const context = new Context(config);
    const streams = this.#localStreams;
    if (streams) routeOutput(context, streams);
    return context;
  }

  /** The Connection a host call runs with: a fresh one, over its own copy of the session config. */
  protected makeConnection(call: ConnectionCall): Connection {
    const { host, label: _label, configOverrides, ...kwargs } = call.host;
    const config = this.config.clone();
    // Per-host config from an inventory (`ansible_become_password` → sudo.password).
    for (const [path, value] of Object.entries((configOverrides ?? {}) as Record<string, unknown>))
      config.setOverride(path, value);
    const inventory = this.#options.inventory;
    return new Connection(host, {
      ...kwargs,
      config,
      ...(inventory ? { inventory } : {}),
    } as ConstructorParameters<typeof Connection>[1]);
  }

  /** Calls equal both ways: a host call never collapses into a plain call of the same task. */
  override dedupe(calls: readonly Call[]): Call[] {
    const out: Call[] = [];
    for (const call of calls) if (!out.some((seen) => seen.equals(call) && call.equals(seen))) out.push(call);
    return out;
  }

  #outputFor(calls: readonly Call[]): HostOutputOptions {
    const { output, events, stdout, stderr } = this.#options;
    const hostCount = new Set(
      calls.filter((c): c is ConnectionCall => c instanceof ConnectionCall).map((c) => c.hostIndex),
    ).size;
    const mode = output ?? (hostCount > 1 || this.parallel ? "prefixed" : "plain");
    const options: HostOutputOptions = {
      mode,
      ...(events ? { events } : {}),
      ...(stdout ? { stdout } : {}),
      ...(stderr ? { stderr } : {}),
    };
    this.#localStreams = mode === "json" ? hostStreams("local", 0, options) : undefined;
    return options;
  }

  #progress: ProgressBar | undefined;

  /** One bar for every host's transfers (silent unless stderr is a TTY). */
  #transferProgress(output: HostOutputOptions): ProgressBar {
    this.#progress ??= new ProgressBar({ stream: output.stderr ?? process.stderr });
    return this.#progress;
  }

  #hostIndex(host: HostKwargs): number {
    const key = JSON.stringify(host);
    let index = this.#hostIndexes.get(key);
    if (index === undefined) {
      index = this.#hostIndexes.size;
      this.#hostIndexes.set(key, index);
    }
    return index;
  }

  private remainderCalls(): ConnectionCall[] {
    if (!this.remainder) return [];
    const command = this.remainder;
    const anonymous = new FabricTask({}, (c: Connection) => c.run(command));
    this.#remainderTask = anonymous;
    const call = new Call(anonymous, { direct: false });
    return this.hosts.map((h) => new ConnectionCall(call, h, this.#hostIndex(h)));
  }

  /** @internal Run one host call; used by the session. */
  async runHostCall(
    call: ConnectionCall,
    output: HostOutputOptions,
    events: JsonEvents | undefined,
  ): Promise<{
    outcome: HostOutcome;
    value: unknown;
    error: Error | undefined;
  }> {
    const skipUnreachable = this.#options.skipUnreachable === true;
    let reached = false;
    this.config.loadCollection(this.collection.configuration(call.calledAs));
    this.config.loadShellEnv();
    const label = hostSpecLabel(call.host);
    const task = call.calledAs ?? call.task.name;
    const named = call.task === this.#remainderTask ? { command: this.remainder } : task ? { task } : {};
    const streams = hostStreams(label, call.hostIndex, output);
    events?.emit({ event: "start", host: label, ...named });
    const started = performance.now();
    let value: unknown;
    let error: Error | undefined;
    let connection: Connection | undefined;
    let changes: ChangeCounts | undefined;
    try {
      connection = this.makeConnection(call);
      if (streams) routeOutput(connection, streams);
      if (output.mode !== "json") connection.transferProgress = this.#transferProgress(output);
      if (skipUnreachable) {
        await connection.open();
        reached = true;
      }
      const body = connection;
      // Helpers the task calls count themselves here, for the summary's changed/ok columns.
      const counts: ChangeCounts = { changed: 0, ok: 0 };
      changes = counts;
      // Whatever the task prints (console.log, c.log) carries this host's prefix, or is its event.
      value = await withHelperSession({ counts }, () =>
        withTaskOutput(streams, () => call.task.runBody(body, { ...call.args })),
      );
      if (call.direct && call.task.autoprint) writeAutoprint(value, streams);
    } catch (caught) {
      error = asError(caught);
    } finally {
      streams?.flush();
      await connection?.close().catch(() => undefined);
    }
    const durationMs = Math.round(performance.now() - started);
    // A task that returned normally succeeded, even if it returned a failed (warn) Result.
    const outcome: HostOutcome = error
      ? outcomeOf(label, error, durationMs)
      : { host: label, status: "ok", exitCode: exitedOf(value) ?? null, durationMs };
    // Set aside, not failed: only when it never connected (a drop mid-task is a failure).
    if (skipUnreachable && !reached && error && isUnreachableError(error)) {
      outcome.status = "unreachable";
      error = undefined;
    }
    if (task && call.task !== this.#remainderTask) outcome.task = task;
    if (changes && changes.changed + changes.ok > 0) outcome.changes = { ...changes };
    events?.emit({ event: "exit", ...outcome });
    return { outcome, value, error };
  }
}

/** Calls of the same task with the same arguments, one per host: run as one batch. */
function sameBatch(a: Call, b: Call): boolean {
  return (
    a instanceof ConnectionCall &&
    b instanceof ConnectionCall &&
    a.task === b.task &&
    JSON.stringify(a.args) === JSON.stringify(b.args) &&
    a.calledAs === b.calledAs
  );
}

function writeAutoprint(value: unknown, streams: HostStreams | undefined): void {
  const text = `${typeof value === "string" ? value : inspect(value, { depth: 4 })}\n`;
  if (streams) {
    streams.out.write(text);
    streams.flush();
  } else process.stdout.write(text);
}

/** Book-keeping of one `execute()`: outcomes per host call, failures, the summary. */
class Session {
  readonly results = new Map<AnyTask, unknown>();
  readonly outcomes: HostOutcome[] = [];
  readonly failures: { host: string; error: Error }[] = [];
  readonly #executor: FabricExecutor;
  readonly #output: HostOutputOptions;
  readonly #options: FabricExecutorOptions;
  readonly #started = performance.now();
  readonly #taskNames = new Set<string>();

  constructor(executor: FabricExecutor, output: HostOutputOptions, options: FabricExecutorOptions) {
    this.#executor = executor;
    this.#output = output;
    this.#options = options;
  }

  /** Run one task on its hosts; false when any host failed. */
  async runBatch(batch: readonly ConnectionCall[], direct: boolean): Promise<boolean> {
    const calls = batch.map((c) => (c.direct === direct ? c : c.clone({ direct })));
    this.#taskNames.add(calls[0]?.calledAs ?? calls[0]?.task.name ?? "");
    const outcomes: (HostOutcome | undefined)[] = new Array(calls.length);
    const errors: (Error | undefined)[] = new Array(calls.length);
    let failed = false;
    const limit = this.#executor.parallel ? this.#executor.concurrency : 1;
    const notRun = await runPool(
      calls.length,
      limit,
      async (index) => {
        const call = calls[index]!;
        const ran = await this.#executor.runHostCall(call, this.#output, this.#options.events);
        outcomes[index] = ran.outcome;
        errors[index] = ran.error;
        if (ran.error) failed = true;
        else this.results.set(call.task, ran.value);
      },
      // Serial runs stop at the first failed host, like Fabric; parallel ones finish the task everywhere.
      () => failed && !this.#executor.parallel,
    );
    for (const index of notRun) outcomes[index] = skippedOutcome(calls[index]!);
    // Failures in host order, whatever order they finished in.
    errors.forEach((error, index) => {
      if (error) this.failures.push({ host: outcomes[index]?.host ?? "", error });
    });
    this.outcomes.push(...outcomes.filter((o): o is HostOutcome => o !== undefined));
    return !failed;
  }

  skip(calls: readonly ConnectionCall[]): void {
    this.outcomes.push(...calls.map(skippedOutcome));
  }

  /** Print the summary table or emit the summary event. */
  finish(): void {
    const events = this.#options.events;
    if (this.#output.mode === "json" && events) {
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
    if (this.#options.summary === false || this.outcomes.length < 2) return;
    const stderr = this.#options.stderr ?? process.stderr;
    // Several tasks: say which one each row is about.
    const rows =
      this.#taskNames.size > 1
        ? this.outcomes.map((o) => ({ ...o, host: o.task ? `${o.host} ${o.task}` : o.host }))
        : this.outcomes;
    const table = renderSummary(rows, { color: colorEnabled(stderr as { isTTY?: boolean }) });
    stderr.write(`\n${this.#options.redact ? this.#options.redact(table) : table}`);
  }

  throwIfFailed(): void {
    if (this.failures.length) throw new HostsFailed(this.outcomes, this.failures);
  }
}

function skippedOutcome(call: ConnectionCall): HostOutcome {
  const task = call.calledAs ?? call.task.name;
  return {
    host: hostSpecLabel(call.host),
    status: "skipped",
    exitCode: null,
    durationMs: null,
    error: "not run after a failure",
    ...(task ? { task } : {}),
  };
}
