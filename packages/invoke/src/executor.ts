import { inspect } from "node:util";
import type { Collection } from "./collection.js";
import { Config } from "./config/config.js";
import type { ParseResult } from "./parser/parser.js";
import { ParserContext } from "./parser/parser-context.js";
import { Call } from "./tasks/call.js";
import type { AnyTask } from "./tasks/task.js";

/** A task to execute: its name, a name plus argument values, or a parsed CLI context. */
export type TaskSpec = string | readonly [string, Readonly<Record<string, unknown>>] | ParserContext;

/**
 * Runs tasks in Invoke's order: for each requested task its `pre` tasks (depth-first), the task,
 * then its `post` tasks; duplicates (same task, same arguments) run once unless `tasks.dedupe` is off.
 * Subclasses can change how calls expand (e.g. once per host) and what context each call gets.
 */
export class Executor {
  readonly collection: Collection;
  readonly config: Config;
  readonly core: ParseResult | undefined;
  private taskPaths: Map<AnyTask, string> | undefined;

  constructor(collection: Collection, config: Config = new Config(), core?: ParseResult) {
    this.collection = collection;
    this.config = config;
    this.core = core;
  }

  /**
   * Run the given tasks (or the collection's default when none are given).
   * Arguments of every call are validated before any task runs.
   * @returns each task's return value (a task run twice keeps its last value)
   */
  async execute(...specs: TaskSpec[]): Promise<Map<AnyTask, unknown>> {
    const direct = this.normalize(specs);
    const calls = this.expandCalls(direct);
    const toRun = this.config.tasks.dedupe ? this.dedupe(calls) : calls;
    const results = new Map<AnyTask, unknown>();
    for (const call of toRun) {
      // As in Invoke, a call equal to one given on the command line counts as direct (autoprint).
      const asDirect = call.direct || direct.some((d) => d.equals(call));
      results.set(
        call.task,
        await this.runCall(asDirect === call.direct ? call : call.clone({ direct: asDirect })),
      );
    }
    return results;
  }

  /** Turn specs into validated, direct calls. */
  normalize(specs: readonly TaskSpec[]): Call[] {
    if (specs.length === 0 && this.collection.default !== undefined) {
      return [this.directCall(this.collection.default, {})];
    }
    return specs.map((spec) => {
      if (spec instanceof ParserContext) return this.directCall(spec.name ?? "", spec.asKwargs());
      if (typeof spec === "string") return this.directCall(spec, {});
      return this.directCall(spec[0], spec[1]);
    });
  }

  /** Depth-first expansion: pre-tasks, the call, post-tasks (recursively). */
  expandCalls(calls: readonly Call[]): Call[] {
    const out: Call[] = [];
    for (const call of calls) {
      out.push(...this.expandCalls(call.task.pre.map((c) => this.hookCall(c))));
      out.push(call);
      out.push(...this.expandCalls(call.task.post.map((c) => this.hookCall(c))));
    }
    return out;
  }

  /** Keep the first of each equal call (same task, same validated arguments). */
  dedupe(calls: readonly Call[]): Call[] {
    const out: Call[] = [];
    for (const call of calls) if (!out.some((seen) => seen.equals(call))) out.push(call);
    return out;
  }

  /** Deliver the task's collection config and env vars, build its context, run it. */
  protected async runCall(call: Call): Promise<unknown> {
    this.config.loadCollection(this.collection.configuration(call.calledAs));
    this.config.loadShellEnv();
    const context = await this.makeContext(call, this.config);
    const result = await call.task.runBody(context, { ...call.args });
    if (call.direct && call.task.autoprint) process.stdout.write(`${formatResult(result)}\n`);
    return result;
  }

  /** The first argument a task receives. Every call gets a new Context over the session's Config. */
  protected async makeContext(_call: Call, config: Config): Promise<unknown> {
    const { Context } = await import("./context.js");
    return new Context(config);
  }

  private directCall(name: string, raw: Readonly<Record<string, unknown>>): Call {
    const task = this.collection.get(name);
    return new Call(task, { args: task.parseArgs(raw, name), calledAs: name, direct: true });
  }

  private hookCall(call: Call): Call {
    const calledAs = call.calledAs ?? this.pathOf(call.task);
    return call.clone({ args: call.task.parseArgs(call.args, calledAs), calledAs, direct: false });
  }

  /** Where a pre/post task lives in the collection, so it gets that collection's config. */
  private pathOf(task: AnyTask): string | undefined {
    if (!this.taskPaths) {
      this.taskPaths = new Map();
      for (const name of this.collection.taskNames().keys()) {
        const found = this.collection.get(name);
        if (!this.taskPaths.has(found)) this.taskPaths.set(found, name);
      }
    }
    return this.taskPaths.get(task);
  }
}

function formatResult(value: unknown): string {
  return typeof value === "string" ? value : inspect(value, { depth: 4 });
}
