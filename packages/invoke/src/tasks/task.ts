import type { input as ZodInput, output as ZodOutput, ZodType } from "zod";
import type { Context } from "../context.js";
import { ParseError } from "../errors.js";
import { pyRepr } from "../internal/py-repr.js";
import { Argument } from "../parser/argument.js";
import { type ArgSpec, describeArg, issueText, type SchemaLike } from "./arg-spec.js";
import { Call, isCall } from "./call.js";
import type { CountArg } from "./count.js";
import { flagName } from "./names.js";

const TASK_BRAND = Symbol.for("fabric-ts.invoke.task");

/** What `task({ args })` accepts per argument: a zod schema or a `count()` counter. */
export type TaskArgSchema = ZodType | CountArg;
export type TaskArgShape = Readonly<Record<string, TaskArgSchema>>;

/** The handler's second parameter, typed from the schemas. */
export type TaskArgValues<A extends TaskArgShape> = {
  -readonly [K in keyof A]: A[K] extends CountArg ? number : A[K] extends ZodType ? ZodOutput<A[K]> : never;
};

/** Arguments accepted by `call()` and `Task.invoke()`: anything with a default may be left out. */
export type TaskArgsInput<A extends TaskArgShape> = {
  [K in keyof A]?: A[K] extends CountArg ? number : A[K] extends ZodType ? ZodInput<A[K]> : never;
};

export type TaskBody<A extends TaskArgShape, R, C> = (c: C, args: TaskArgValues<A>) => R | Promise<R>;

/** A pre/post entry: a task (called without arguments) or a `call(task, args)`. */
export type TaskRef = AnyTask | Call;

export interface TaskOptions<A extends TaskArgShape> {
  /** Argument schemas. Keys become flags (`dryRun` → `--dry-run`). */
  args?: A;
  /** Name in its collection; defaults to the export (binding) name. */
  name?: string;
  /** Description: first line in `--list`, all of it in `--help TASK` (Invoke's docstring). */
  doc?: string;
  /** Help per argument (key or flag name); `.describe()` on a schema works too. */
  help?: Readonly<Record<string, string>>;
  aliases?: readonly string[];
  /** Tasks to run before this one (depth-first), each a task or `call(task, args)`. */
  pre?: readonly TaskRef[];
  post?: readonly TaskRef[];
  /** This task is its collection's default. */
  default?: boolean;
  /** Print the return value when run directly from the CLI. */
  autoprint?: boolean;
  /** Arguments taken positionally, in order. Default: every required non-boolean, non-list argument. */
  positional?: readonly (keyof A & string)[];
  /** Arguments whose flag value may be omitted (`--log` → `true`, `--log=x` → `"x"`). */
  optional?: readonly (keyof A & string)[];
  /** Give each flag a one-letter form automatically. @default true */
  autoShortflags?: boolean;
}

/** The parts of a task that do not depend on its types: what collections, parsers and executors use. */
export interface AnyTask {
  readonly name: string | undefined;
  readonly doc: string | undefined;
  readonly aliases: readonly string[];
  readonly isDefault: boolean;
  readonly autoprint: boolean;
  readonly pre: readonly Call[];
  readonly post: readonly Call[];
  readonly timesCalled: number;
  getArguments(options?: { ignoreUnknownHelp?: boolean }): Argument[];
  parseArgs(raw: Readonly<Record<string, unknown>>, calledAs?: string): Record<string, unknown>;
  runBody(c: unknown, values: Record<string, unknown>): Promise<unknown>;
}

/** A task: a function of a context plus typed arguments, with CLI metadata. */
export class Task<A extends TaskArgShape = TaskArgShape, R = unknown, C = Context> implements AnyTask {
  readonly [TASK_BRAND] = true;
  readonly args: A;
  readonly body: TaskBody<A, R, C>;
  readonly name: string | undefined;
  readonly doc: string | undefined;
  readonly help: Readonly<Record<string, string>>;
  readonly aliases: readonly string[];
  readonly isDefault: boolean;
  readonly autoprint: boolean;
  readonly positional: readonly string[] | undefined;
  readonly optional: readonly string[];
  readonly autoShortflags: boolean;
  readonly pre: readonly Call[];
  readonly post: readonly Call[];
  timesCalled = 0;
  private specCache: ArgSpec[] | undefined;

  constructor(options: TaskOptions<A>, body: TaskBody<A, R, C>) {
    this.args = (options.args ?? {}) as A;
    this.body = body;
    this.name = options.name;
    this.doc = options.doc;
    this.help = { ...(options.help ?? {}) };
    this.aliases = [...(options.aliases ?? [])];
    this.isDefault = options.default ?? false;
    this.autoprint = options.autoprint ?? false;
    this.positional = options.positional ? [...options.positional] : undefined;
    this.optional = [...(options.optional ?? [])];
    this.autoShortflags = options.autoShortflags ?? true;
    this.pre = (options.pre ?? []).map(toCall);
    this.post = (options.post ?? []).map(toCall);
    for (const key of [...(this.positional ?? []), ...this.optional]) {
      if (!(key in this.args))
        throw new TypeError(`Task option names an argument that doesn't exist: '${key}'`);
    }
  }

  get called(): boolean {
    return this.timesCalled > 0;
  }

  /** What the CLI knows about each argument, in declaration order. */
  specs(): ArgSpec[] {
    this.specCache ??= Object.entries(this.args).map(([key, schema]) =>
      describeArg(key, schema as SchemaLike | CountArg),
    );
    return this.specCache;
  }

  /** Parser arguments: positionals first (in order), then the rest in declaration order. */
  getArguments(options: { ignoreUnknownHelp?: boolean } = {}): Argument[] {
    const specs = this.specs();
    const help = this.resolveHelp(specs, options.ignoreUnknownHelp ?? false);
    const positional =
      this.positional ??
      specs.filter((s) => !s.optional && !["bool", "list", "count"].includes(s.kind)).map((s) => s.key);
    const taken = new Set(specs.map((s) => flagName(s.key)).filter((name) => name.length === 1));
    const args = specs.map((spec) => {
      const long = flagName(spec.key);
      const names = [long];
      if (long.length > 1 && this.autoShortflags) {
        const short = [...long].find((ch) => ch !== "-" && !taken.has(ch));
        if (short) {
          taken.add(short);
          names.push(short);
        }
      }
      const optional = this.optional.includes(spec.key);
      return new Argument({
        names,
        attrName: spec.key,
        kind: optional && spec.kind === "bool" ? "string" : spec.kind,
        itemKind: spec.itemKind,
        default: defaultFor(spec),
        help: help[spec.key],
        positional: positional.includes(spec.key),
        optional,
        choices: spec.choices,
      });
    });
    const order = (arg: Argument) => (arg.positional ? positional.indexOf(arg.name) : positional.length);
    return args.sort((a, b) => order(a) - order(b));
  }

  /**
   * Validate raw argument values (from the CLI or `call()`) against the schemas, filling defaults.
   * @throws {ParseError} naming the task and the flag
   */
  parseArgs(raw: Readonly<Record<string, unknown>>, calledAs?: string): TaskArgValues<A> {
    const label = calledAs ?? this.name ?? "task";
    const specs = this.specs();
    for (const key of Object.keys(raw)) {
      if (!(key in this.args))
        throw new ParseError(`Task ${pyRepr(label)} has no argument named ${pyRepr(key)}!`);
    }
    const out: Record<string, unknown> = {};
    for (const spec of specs) {
      const schema = this.args[spec.key] as SchemaLike | CountArg;
      let value = raw[spec.key];
      if (value === undefined && !spec.hasDefault) value = defaultFor(spec);
      if (!("safeParse" in schema)) {
        out[spec.key] = value ?? schema.default;
        continue;
      }
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const flag = this.positionalKeys().includes(spec.key) ? spec.key : `--${flagName(spec.key)}`;
        const why = value === undefined ? "a value is required" : issueText(parsed.error?.issues ?? []);
        throw new ParseError(`Invalid value for ${pyRepr(flag)} of task ${pyRepr(label)}: ${why}`);
      }
      out[spec.key] = parsed.data;
    }
    return out as TaskArgValues<A>;
  }

  /** Call the task from code: arguments are validated (and defaulted) like on the CLI. */
  async invoke(c: C, args: TaskArgsInput<A> = {}): Promise<R> {
    return this.runBody(c, this.parseArgs(args as Record<string, unknown>));
  }

  /** Run the body with already-validated values (the Executor's entry point). */
  async runBody(c: unknown, values: Record<string, unknown>): Promise<R> {
    this.timesCalled += 1;
    return await this.body(c as C, values as TaskArgValues<A>);
  }

  toString(): string {
    const aliases = this.aliases.length ? ` (${this.aliases.join(", ")})` : "";
    return `<Task '${this.name ?? "?"}'${aliases}>`;
  }

  private positionalKeys(): readonly string[] {
    return this.getArguments({ ignoreUnknownHelp: true })
      .filter((a) => a.positional)
      .map((a) => a.name);
  }

  private resolveHelp(specs: readonly ArgSpec[], ignoreUnknown: boolean): Record<string, string> {
    const out: Record<string, string> = {};
    for (const spec of specs) if (spec.description) out[spec.key] = spec.description;
    const unknown: string[] = [];
    for (const [name, text] of Object.entries(this.help)) {
      const spec = specs.find((s) => s.key === name || flagName(s.key) === name);
      if (spec) out[spec.key] = text;
      else unknown.push(name);
    }
    if (unknown.length && !ignoreUnknown) {
      throw new Error(
        `Help field was set for param(s) that don't exist: [${unknown.map((u) => pyRepr(u)).join(", ")}]`,
      );
    }
    return out;
  }
}

/**
 * Define a task. Argument schemas (zod) type the handler and drive the CLI.
 *
 * @example
 * export const deploy = task(
 *   { args: { branch: z.string().default("main").describe("Branch to ship") }, doc: "Ship it." },
 *   async (c, { branch }) => { await c.run(`git push origin ${branch}`); },
 * );
 */
export function task<R>(body: (c: Context, args: TaskArgValues<{}>) => R | Promise<R>): Task<{}, Awaited<R>>;
export function task<const A extends TaskArgShape = {}, R = unknown>(
  options: TaskOptions<A>,
  body: TaskBody<A, R, Context>,
): Task<A, Awaited<R>>;
export function task<A extends TaskArgShape, R>(
  first: TaskOptions<A> | TaskBody<A, R, Context>,
  body?: TaskBody<A, R, Context>,
): Task<A, Awaited<R>> {
  if (typeof first === "function") return new Task({}, first) as Task<A, Awaited<R>>;
  if (!body) throw new TypeError("task(options, body): the body function is missing");
  return new Task(first, body) as Task<A, Awaited<R>>;
}

export function isTask(value: unknown): value is AnyTask {
  return (
    typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[TASK_BRAND] === true
  );
}

function toCall(ref: TaskRef): Call {
  if (isCall(ref)) return ref;
  if (isTask(ref)) return new Call(ref);
  throw new TypeError(`pre/post entries must be tasks or call(task, args), got ${typeof ref}`);
}

/** The value the parser starts from: the schema's default, or false / [] / the counter's start. */
function defaultFor(spec: ArgSpec): unknown {
  if (spec.hasDefault) return spec.defaultValue;
  if (spec.kind === "bool") return false;
  if (spec.kind === "list") return [];
  return undefined;
}
