import {
  Config,
  type Result as InvokeResult,
  Result as PlainResult,
  type RunOptions,
  type SudoOptions,
  UnexpectedExit,
} from "@fabric-ts/invoke";
import { MockContext, type MockResult, type MockValue, NotImplementedError } from "@fabric-ts/invoke/testing";
import type { Connection } from "../connection/connection.js";
import { MockExpectationError, NotMocked, UnexpectedCommand } from "../errors/index.js";
import { Result } from "../result.js";
import {
  type CommandExpectation,
  expectCommands,
  type MockCommandCall,
  type MockMethod,
} from "./expect-commands.js";
import { type MockFiles, MockSftp } from "./mock-sftp.js";

/** What a mocked host answers. `run`/`sudo`/`local` take Invoke's `MockContext` values. */
export interface MockHostOptions {
  /**
   * Answers for `run()`: a Result, `true`/`false` (exit 0/1), a string (stdout), a sequence of those,
   * or a map from commands (exact strings, or RegExps matched at the start) to any of those.
   */
  run?: MockValue;
  /** Answers for `sudo()` (matched against the command as given, without the sudo wrapping). */
  sudo?: MockValue;
  /** Answers for `local()`. When not given, `local()` runs for real on this machine. */
  local?: MockValue;
  /** The answer for a `run`/`sudo` command nothing else matches (default: throw {@link UnexpectedCommand}). */
  otherwise?: MockResult;
  /** Repeat single answers and cycle sequences instead of consuming them. @default true */
  repeat?: boolean;
  /** Remote files present at the start (paths may start with `~/`). */
  files?: MockFiles;
  /** The remote login directory. @default "/home/user" */
  home?: string;
}

/**
 * One mocked SSH host: answers commands from what you programmed, serves put/get from an in-memory
 * {@link MockSftp}, and records every call for assertions. Used by {@link MockConnection} and
 * {@link MockRemote}; never opens a network connection.
 */
export class MockHost {
  readonly name: string;
  readonly sftp: MockSftp;
  readonly calls: MockCommandCall[] = [];
  readonly #options: MockHostOptions;
  readonly #remote: MockContext;
  readonly #local: MockContext | undefined;

  constructor(name: string, options: MockHostOptions = {}) {
    this.name = name;
    this.#options = options;
    const config = new Config({ lazy: true });
    const repeat = options.repeat ?? true;
    this.#remote = new MockContext({
      config,
      repeat,
      ...(options.run !== undefined ? { run: options.run } : {}),
      ...(options.sudo !== undefined ? { sudo: options.sudo } : {}),
    });
    this.#local =
      options.local === undefined ? undefined : new MockContext({ config, repeat, run: options.local });
    this.sftp = new MockSftp({
      ...(options.files ? { files: options.files } : {}),
      ...(options.home ? { home: options.home } : {}),
    });
  }

  /** Whether `local()` is mocked on this host. */
  get mocksLocal(): boolean {
    return this.#local !== undefined;
  }

  /** The commands received, in order (all methods). */
  get commands(): string[] {
    return this.calls.map((call) => call.command);
  }

  /**
   * Answer one command as `connection` would, recording it. A non-zero exit throws `UnexpectedExit`
   * unless `warn` (option or config) is set, like a real run.
   */
  async answer(
    connection: Connection,
    method: MockMethod,
    command: string,
    options: RunOptions | SudoOptions = {},
  ): Promise<Result> {
    this.calls.push({
      host: this.name,
      method,
      command,
      cwd: method === "local" ? "" : connection.cwd,
      prefixes: method === "local" ? [] : [...connection.prefixes],
      options,
    });
    if (options.asynchronous || options.disown) {
      throw new NotMocked(`${this.name}: asynchronous and disowned commands are not mocked: ${command}`);
    }
    const answered = await this.lookup(method, command, options);
    const result = new Result({
      connection,
      stdout: answered.stdout,
      stderr: answered.stderr,
      exited: answered.exited,
      command: answered.command || command,
      encoding: answered.encoding,
      pty: options.pty ?? answered.pty,
      hide: answered.hide,
    });
    const warn = options.warn ?? connection.config.run.warn;
    if (!result.ok && !warn) throw new UnexpectedExit(result);
    return result;
  }

  /** Assert the commands this host received, in order. @throws {MockExpectationError} */
  expectCommands(expected: readonly CommandExpectation[]): void {
    expectCommands(this.calls, expected, this.name);
  }

  /**
   * Assert that every command programmed in a `run`/`sudo`/`local` map was used at least once
   * (Fabric's `safety()` check that expected commands really ran).
   * @throws {MockExpectationError} naming the unused ones
   */
  verify(): void {
    const unused: string[] = [];
    for (const method of ["run", "sudo", "local"] as const) {
      for (const key of mapKeys(this.#options[method])) {
        const used = this.calls.some((call) => call.method === method && keyMatches(key, call.command));
        if (!used) unused.push(`${method}: ${describeKey(key)}`);
      }
    }
    if (unused.length > 0) {
      throw new MockExpectationError(
        `${this.name}: programmed answers never used:\n${unused.map((u) => `  ${u}`).join("\n")}`,
      );
    }
  }

  private async lookup(method: MockMethod, command: string, options: RunOptions): Promise<InvokeResult> {
    // Async and disowned runs were refused before this point, so every answer is a Result.
    const sync = { ...options, warn: true, asynchronous: false, disown: false } as const;
    try {
      if (method === "local") return await this.#local!.run(command, sync);
      return method === "sudo"
        ? await this.#remote.sudo(command, sync)
        : await this.#remote.run(command, sync);
    } catch (error) {
      if (!(error instanceof NotImplementedError)) throw error;
      const fallback = this.#options.otherwise;
      if (fallback !== undefined && method !== "local") return toResult(fallback);
      throw new UnexpectedCommand(
        this.name,
        method,
        command,
        mapKeys(this.#options[method]).map(describeKey),
      );
    }
  }
}

function toResult(value: MockResult): InvokeResult {
  if (typeof value === "boolean") return new PlainResult({ exited: value ? 0 : 1 });
  if (typeof value === "string") return new PlainResult({ stdout: value });
  return value;
}

function mapKeys(value: MockValue | undefined): (string | RegExp)[] {
  if (value instanceof Map) return [...value.keys()];
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.keys(value);
  }
  return [];
}

function keyMatches(key: string | RegExp, command: string): boolean {
  if (typeof key === "string") return key === command;
  return new RegExp(key.source, key.flags.replace("g", "")).exec(command)?.index === 0;
}

function describeKey(key: string | RegExp): string {
  return typeof key === "string" ? JSON.stringify(key) : String(key);
}
