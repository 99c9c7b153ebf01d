import type { Config } from "./config/config.js";
import { Context } from "./context.js";
import { NotImplementedError } from "./errors.js";
import { type DisownedResult, Result } from "./result.js";
import type { RunHandle } from "./runners/handle.js";
import type { RunOptions } from "./runners/options.js";
import type { AsyncRunOptions, DisownRunOptions, SyncRunOptions } from "./runners/runner.js";
import type { SudoOptions } from "./sudo.js";

/** One canned answer: a Result, `true`/`false` (exit 0/1), or a string (stdout of a successful Result). */
export type MockResult = Result | boolean | string;
/** Answers by command: exact strings, or regular expressions matched at the start of the command. */
export type MockResultMap = Map<string | RegExp, MockValue> | { readonly [command: string]: MockValue };
/** What a mocked method answers: one result, a sequence of them, or a map by command. */
export type MockValue = MockResult | Iterable<MockResult> | MockResultMap;

type MockedMethod = "run" | "sudo";

/** One call a {@link MockContext} received. */
export interface MockCall {
  readonly method: MockedMethod;
  readonly command: string;
  readonly options: RunOptions | SudoOptions;
}

export interface MockContextOptions {
  config?: Config;
  /** Answers for `run()`. */
  run?: MockValue;
  /** Answers for `sudo()`. */
  sudo?: MockValue;
  /** Repeat single answers and cycle sequences forever instead of consuming them. @default true */
  repeat?: boolean;
}

export { NotImplementedError };

/**
 * A {@link Context} for unit-testing your tasks: `run()`/`sudo()` execute nothing and answer from the
 * results you configure; every call is recorded in `calls`. cd/prefix are not applied (the mock sees the
 * command as given). Spy on `run`/`sudo` with your test framework for richer assertions.
 * @example
 * const c = new MockContext({ run: { "git pull": true, "make": new Result({ stdout: "ok\n" }) } });
 * await deploy(c);
 * expect(c.calls.map((call) => call.command)).toEqual(["git pull", "make"]);
 */
export class MockContext extends Context {
  readonly calls: MockCall[] = [];
  private readonly repeat: boolean;
  private readonly answers = new Map<MockedMethod, Answerer>();

  constructor(options: MockContextOptions = {}) {
    super(options.config);
    this.repeat = options.repeat ?? true;
    for (const method of ["run", "sudo"] as const) {
      const value = options[method];
      if (value !== undefined) this.answers.set(method, this.answererFor(value));
    }
  }

  override run(command: string, options: AsyncRunOptions): Promise<RunHandle>;
  override run(command: string, options: DisownRunOptions): Promise<DisownedResult>;
  override run(command: string, options?: SyncRunOptions): Promise<Result>;
  override run(command: string, options?: RunOptions): Promise<Result | RunHandle>;
  override run(command: string, options: RunOptions = {}): Promise<Result | RunHandle> {
    return this.answer("run", command, options);
  }

  override sudo(command: string, options: SudoOptions & AsyncRunOptions): Promise<RunHandle>;
  override sudo(command: string, options: SudoOptions & DisownRunOptions): Promise<DisownedResult>;
  override sudo(command: string, options?: SudoOptions & SyncRunOptions): Promise<Result>;
  override sudo(command: string, options?: SudoOptions): Promise<Result | RunHandle>;
  override sudo(command: string, options: SudoOptions = {}): Promise<Result | RunHandle> {
    return this.answer("sudo", command, options);
  }

  /** Set the answer for one command of a map-configured method. */
  setResultFor(method: MockedMethod, command: string | RegExp, result: MockValue): void {
    const answerer = this.answers.get(method);
    if (!(answerer instanceof MapAnswerer)) {
      throw new TypeError("Can't update results for non-dict or nonexistent mock results!");
    }
    answerer.set(command, this.answererFor(result));
  }

  private async answer(method: MockedMethod, command: string, options: RunOptions): Promise<Result> {
    this.calls.push({ method, command, options });
    if (options.asynchronous || options.disown) {
      throw new NotImplementedError(`MockContext does not mock asynchronous or disowned runs: ${command}`);
    }
    const result = this.answers.get(method)?.next(command);
    if (result === undefined) throw new NotImplementedError(command);
    return result.command === "" ? withCommand(result, command) : result;
  }

  private answererFor(value: MockValue): Answerer {
    if (value instanceof Map)
      return new MapAnswerer([...value].map(([key, v]) => [key, this.answererFor(v)]));
    if (isPlainObject(value)) {
      return new MapAnswerer(
        Object.entries(value).map(([key, v]) => [key, this.answererFor(v as MockValue)]),
      );
    }
    if (isMockResult(value)) return new SequenceAnswerer([toResult(value)], this.repeat);
    if (value !== null && typeof value === "object" && Symbol.iterator in value) {
      return new SequenceAnswerer([...value].map(toResult), this.repeat);
    }
    throw new TypeError(`Not sure how to yield results from a ${typeof value}`);
  }
}

interface Answerer {
  next(command: string): Result | undefined;
}

class SequenceAnswerer implements Answerer {
  private index = 0;

  constructor(
    private readonly results: readonly Result[],
    private readonly repeat: boolean,
  ) {}

  next(): Result | undefined {
    if (this.results.length === 0) return undefined;
    if (this.index >= this.results.length) {
      if (!this.repeat) return undefined;
      this.index = 0;
    }
    return this.results[this.index++];
  }
}

class MapAnswerer implements Answerer {
  private readonly entries: Map<string | RegExp, Answerer>;

  constructor(entries: [string | RegExp, Answerer][]) {
    this.entries = new Map(entries);
  }

  set(key: string | RegExp, answerer: Answerer): void {
    this.entries.set(key, answerer);
  }

  next(command: string): Result | undefined {
    const exact = this.entries.get(command);
    if (exact) return exact.next(command);
    for (const [key, answerer] of this.entries) {
      if (
        key instanceof RegExp &&
        new RegExp(key.source, key.flags.replace("g", "")).exec(command)?.index === 0
      ) {
        return answerer.next(command);
      }
    }
    return undefined;
  }
}

function isMockResult(value: unknown): value is MockResult {
  return value instanceof Result || typeof value === "boolean" || typeof value === "string";
}

function toResult(value: MockResult): Result {
  if (value instanceof Result) return value;
  if (typeof value === "boolean") return new Result({ exited: value ? 0 : 1 });
  if (typeof value === "string") return new Result({ stdout: value });
  throw new TypeError(`Not sure how to yield results from a ${typeof value}`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype;
}

function withCommand(result: Result, command: string): Result {
  const copy = Object.create(Object.getPrototypeOf(result)) as Result;
  return Object.assign(copy, result, { command });
}
