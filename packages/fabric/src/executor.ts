import {
  type AnyTask,
  type Call,
  type Collection,
  type Config,
  Context,
  Executor,
  type ParseResult,
  type TaskSpec,
} from "@fabric-ts/invoke";
import { FabricConfig } from "./config/fabric-config.js";
import { Connection } from "./connection/connection.js";
import { NothingToDo } from "./errors/index.js";
import { DEFAULT_CONCURRENCY } from "./group/threading-group.js";
import { withHelperSession } from "./helpers/helper-session.js";
import type { Inventory } from "./inventory/inventory.js";
import type { JsonEvents } from "./output/events.js";
import {
  type HostOutputOptions,
  type HostStreams,
  hostStreams,
  type OutputMode,
} from "./output/host-output.js";
import { ProgressBar } from "./output/progress.js";
import { routeOutput } from "./output/route.js";
import { withTaskOutput } from "./output/task-output.js";
import { ConnectionCall } from "./tasks/connection-call.js";
import { FabRun, type HostTurn } from "./tasks/fab-run.js";
import { type HostKwargs, type HostSpec, normalizeHosts, parseHostsFlag } from "./tasks/host-spec.js";
import { taskHosts } from "./tasks/task.js";
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

/**
 * Runs tasks per host (Fabric's Executor): each task call is repeated for every host (`-H` wins
 * over the task's `hosts`), each with a fresh Connection over its own copy of the config, so
 * nothing one host's task changes reaches another's. Pre/post tasks run once, with a plain local
 * Context. Serial by default, stopping at the first failed host; `parallel` runs a task on all its
 * hosts at once (up to `concurrency`) and stops after that task when any host failed. The command
 * after `--` then runs on each `-H` host, straight on its Connection. Every host's turn goes
 * through the fan-out groups use (see {@link FabRun}).
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
    const expanded = this.expandCalls(direct);
    const calls = this.config.tasks.dedupe ? this.dedupe(expanded) : expanded;
    const commandTurns = this.#commandTurns();
    const output = this.#outputFor(calls, commandTurns);
    const events = output.mode === "json" ? output.events : undefined;
    const run = new FabRun({
      connect: (host) => this.makeConnection(host),
      output,
      ...(this.#options.events ? { events: this.#options.events } : {}),
      progress: () => this.#transferProgress(output),
      concurrency: this.parallel ? this.concurrency : 1,
      // Serial runs stop at the first failed host, like Fabric; parallel ones finish the task everywhere.
      failFast: !this.parallel,
      skipUnreachable: this.#options.skipUnreachable === true,
      ...(this.#options.summary !== undefined ? { summary: this.#options.summary } : {}),
      ...(this.#options.stderr ? { stderr: this.#options.stderr } : {}),
      ...(this.#options.redact ? { redact: this.#options.redact } : {}),
    });
    const config = FabricConfig.from(this.config);
    // Connections and groups a task makes inherit the session's config; under --json whatever a
    // task prints outside a host (pre/post tasks, tasks without hosts) is a `local` event.
    await withTaskSession({ config, ...(events ? { events } : {}) }, () =>
      withTaskOutput(this.#localStreams, () => this.#runCalls(calls, direct, commandTurns, run)),
    );
    run.throwIfFailed();
    return run.results;
  }

  /** The task calls in order (host calls batched per task), then the command after `--`. */
  async #runCalls(
    calls: readonly Call[],
    direct: readonly Call[],
    commandTurns: readonly HostTurn[],
    run: FabRun,
  ): Promise<void> {
    try {
      for (let i = 0; i < calls.length; ) {
        const call = calls[i]!;
        const asDirect = call.direct || direct.some((d) => d.equals(call));
        const current = asDirect === call.direct ? call : call.clone({ direct: asDirect });
        if (!(current instanceof ConnectionCall)) {
          run.results.set(current.task, await this.runCall(current));
          i += 1;
          continue;
        }
        let end = i + 1;
        while (end < calls.length && sameBatch(calls[end]!, call)) end += 1;
        const batch = (calls.slice(i, end) as ConnectionCall[]).map((c) => this.#taskTurn(c, asDirect));
        i = end;
        if (!(await run.runBatch(batch))) {
          const rest = calls.slice(end).filter((c): c is ConnectionCall => c instanceof ConnectionCall);
          run.skip([...rest.map((c) => this.#taskTurn(c, c.direct)), ...commandTurns]);
          return;
        }
      }
      if (commandTurns.length) await run.runBatch(commandTurns);
    } finally {
      run.finish();
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

  /** The Connection a host runs with: a fresh one, over its own copy of the session config. */
  protected makeConnection(spec: HostKwargs): Connection {
    const { host, label: _label, configOverrides, ...kwargs } = spec;
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

  #outputFor(calls: readonly Call[], commandTurns: readonly HostTurn[]): HostOutputOptions {
    const { output, events, stdout, stderr } = this.#options;
    const hostCount = new Set([
      ...calls.filter((c): c is ConnectionCall => c instanceof ConnectionCall).map((c) => c.hostIndex),
      ...commandTurns.map((turn) => turn.hostIndex),
    ]).size;
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

  /** A task call on its host: the task's body with the host's Connection. */
  #taskTurn(call: ConnectionCall, direct: boolean): HostTurn {
    const task = call.calledAs ?? call.task.name;
    return {
      host: call.host,
      hostIndex: call.hostIndex,
      ...(task ? { task } : {}),
      resultKey: call.task,
      autoprint: direct && call.task.autoprint,
      configure: () => this.#configureFor(call.calledAs),
      body: (connection) => call.task.runBody(connection, { ...call.args }),
    };
  }

  /** `fab -H a,b -- cmd`: the command on each `-H` host (once per host unless dedupe is off). */
  #commandTurns(): HostTurn[] {
    const command = this.remainder;
    if (!command) return [];
    const seen = new Set<string>();
    const hosts = this.hosts.filter((host) => {
      const key = JSON.stringify(host);
      if (this.config.tasks.dedupe && seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return hosts.map((host) => ({
      host,
      hostIndex: this.#hostIndex(host),
      command,
      autoprint: false,
      configure: () => this.#configureFor(undefined),
      body: (connection) => connection.run(command),
    }));
  }

  /** The config a host's Connection is copied from: the collection's (the task's namespace), the shell env. */
  #configureFor(calledAs: string | undefined): void {
    this.config.loadCollection(this.collection.configuration(calledAs));
    this.config.loadShellEnv();
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
