import { fileURLToPath } from "node:url";
import { format } from "node:util";
import { Config } from "./config/config.js";
import { quotePath } from "./quote.js";
import type { DisownedResult, Result } from "./result.js";
import type { RunHandle } from "./runners/handle.js";
import { Local } from "./runners/local.js";
import type { RunOptions } from "./runners/options.js";
import type { AsyncRunOptions, DisownRunOptions, Runner, SyncRunOptions } from "./runners/runner.js";
import { runSudo, type SudoOptions } from "./sudo.js";

/** A runner class, as configured under `runners.local`. */
export type RunnerClass = new (context: Context) => Runner;

/** A path for `cd()`: a string or a `file:` URL. */
export type PathLike = string | URL;

/**
 * The object tasks receive: runs commands (`run`, `sudo`) with the session's config, inside the
 * directory and prefixes set by `cd()` / `prefix()`.
 *
 * `cd()` and `prefix()` never mutate a context: they return a derived context (or run a callback with
 * one), so concurrent operations on one context never see each other's directory or prefixes.
 * @example
 * await c.cd("/srv/app", async (app) => {
 *   await app.run("git pull");
 * });
 */
export class Context {
  config: Config;
  /** Directories given to `cd()`, outermost first. */
  protected commandCwds: readonly string[] = [];
  /** Commands given to `prefix()`, outermost first. */
  protected commandPrefixes: readonly string[] = [];

  constructor(config?: Config) {
    this.config = config ?? new Config();
  }

  /**
   * The effective directory of `cd()` calls (unquoted): the last absolute (`/…`) or home-relative (`~…`)
   * entry joined with the ones after it; `""` when there is none.
   */
  get cwd(): string {
    const cwds = this.commandCwds;
    let start = 0;
    for (let i = cwds.length - 1; i >= 0; i--) {
      const entry = cwds[i] ?? "";
      if (entry.startsWith("/") || entry.startsWith("~")) {
        start = i;
        break;
      }
    }
    return cwds.slice(start).reduce((joined, part) => {
      if (joined === "") return part;
      return joined.endsWith("/") ? joined + part : `${joined}/${part}`;
    }, "");
  }

  /** The prefixes set by `prefix()`, outermost first. */
  get prefixes(): readonly string[] {
    return this.commandPrefixes;
  }

  /** A context whose commands run in `path` (relative paths nest inside earlier `cd()`s). */
  cd(path: PathLike): this;
  /** Run `body` with a context whose commands run in `path`. */
  cd<T>(path: PathLike, body: (context: this) => T | Promise<T>): Promise<T>;
  cd<T>(path: PathLike, body?: (context: this) => T | Promise<T>): this | Promise<T> {
    const derived = this.derive({ commandCwds: [...this.commandCwds, pathToString(path)] });
    return body ? Promise.resolve().then(() => body(derived)) : derived;
  }

  /** A context whose commands are preceded by `command &&`. */
  prefix(command: string): this;
  /** Run `body` with a context whose commands are preceded by `command &&`. */
  prefix<T>(command: string, body: (context: this) => T | Promise<T>): Promise<T>;
  prefix<T>(command: string, body?: (context: this) => T | Promise<T>): this | Promise<T> {
    const derived = this.derive({ commandPrefixes: [...this.commandPrefixes, command] });
    return body ? Promise.resolve().then(() => body(derived)) : derived;
  }

  /**
   * Run a shell command locally (see `RunOptions`).
   * @throws {UnexpectedExit} on a non-zero exit unless `warn`.
   */
  run(command: string, options: AsyncRunOptions): Promise<RunHandle>;
  run(command: string, options: DisownRunOptions): Promise<DisownedResult>;
  run(command: string, options?: SyncRunOptions): Promise<Result>;
  run(command: string, options?: RunOptions): Promise<Result | RunHandle>;
  run(command: string, options: RunOptions = {}): Promise<Result | RunHandle> {
    return this.createRunner().run(this.prefixCommands(command), options);
  }

  /**
   * Run a command under sudo, answering its password prompt.
   * @throws {AuthFailure} when the password is rejected (`SudoPasswordRequired` when none is configured).
   */
  sudo(command: string, options: SudoOptions & AsyncRunOptions): Promise<RunHandle>;
  sudo(command: string, options: SudoOptions & DisownRunOptions): Promise<DisownedResult>;
  sudo(command: string, options?: SudoOptions & SyncRunOptions): Promise<Result>;
  sudo(command: string, options?: SudoOptions): Promise<Result | RunHandle>;
  sudo(command: string, options: SudoOptions = {}): Promise<Result | RunHandle> {
    return runSudo(
      {
        config: this.config,
        prefixed: this.prefixCommands(command),
        run: (sudoCommand, runOptions) => this.createRunner().run(sudoCommand, runOptions),
      },
      options,
    );
  }

  /**
   * Print a line of task output, formatted like `console.log`. Under a runner that tells hosts
   * apart (`fab` with several hosts) the line carries the host's prefix, under `fab --json` it
   * becomes an event; `console.log` inside a task is routed the same way.
   */
  log(...values: unknown[]): void {
    process.stdout.write(`${format(...values)}\n`);
  }

  /** The runner for one `run()`: config `runners.local` if set, else {@link Local}. */
  protected createRunner(): Runner {
    const configured = this.config.get<RunnerClass | null>("runners.local", null);
    return typeof configured === "function" ? new configured(this) : new Local(this);
  }

  /** `cd <cwd> && <prefixes…> && command`; the directory is quoted for the shell. */
  protected prefixCommands(command: string): string {
    const cwd = this.cwd;
    const parts = cwd === "" ? [] : [`cd ${quotePath(cwd)}`];
    return [...parts, ...this.commandPrefixes, command].join(" && ");
  }

  /**
   * A copy of this context (same class, same config and everything else) with some state replaced.
   * Subclasses holding `#private` fields must override this, since those are not copied.
   */
  protected derive(changes: { commandCwds?: readonly string[]; commandPrefixes?: readonly string[] }): this {
    const copy = Object.create(Object.getPrototypeOf(this)) as this;
    Object.assign(copy, this, changes);
    return copy;
  }
}

function pathToString(path: PathLike): string {
  return path instanceof URL ? fileURLToPath(path) : String(path);
}
