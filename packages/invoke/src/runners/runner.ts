import type { Writable } from "node:stream";
import { shouldUseColor, stripAnsi } from "../color.js";
import type { Config } from "../config/config.js";
import {
  CommandAborted,
  CommandTimedOut,
  Failure,
  InvokeError,
  SpawnError,
  ThreadException,
  UnexpectedExit,
} from "../errors.js";
import { type DisownedResult, Result, type ResultInit } from "../result.js";
import { ptySize } from "../terminals.js";
import { Execution, type ExecutionOutcome } from "./execution.js";
import { RunHandle, type RunHandleInit } from "./handle.js";
import { formatEcho, type ResolvedRunOptions, type RunOptions, resolveRunOptions } from "./options.js";
import type { StartedProcess, StartOptions } from "./process.js";

/** What a runner needs from its context. */
export interface RunnerContext {
  readonly config: Config;
}

/** `run()` options that make it resolve to a {@link RunHandle}. */
export type AsyncRunOptions = RunOptions & { readonly asynchronous: true; readonly disown?: false };
/** `run()` options that make it resolve to a {@link DisownedResult}. */
export type DisownRunOptions = RunOptions & { readonly disown: true; readonly asynchronous?: false };
/** `run()` options that make it resolve to a {@link Result}. */
export type SyncRunOptions = RunOptions & { readonly asynchronous?: false; readonly disown?: false };

/**
 * The `run()` template shared by every runner: option/config resolution, echo and dry runs, env
 * generation, stream mirroring and capture, watchers, stdin, timeout, abort, async handles and error
 * raising. Subclasses only start processes ({@link start}) and may override the protected hooks.
 * A runner instance serves one `run()` call, as in Invoke.
 */
export abstract class Runner {
  /** Whether the "falling back to non-pty" warning was already printed (once per process). */
  protected static warnedAboutPtyFallback = false;

  constructor(readonly context: RunnerContext) {}

  /**
   * Run `command` through the shell.
   * @throws {UnexpectedExit} on a non-zero exit unless `warn`.
   * @throws {CommandTimedOut} when `timeout` expires.
   * @throws {Failure} when a watcher fails (its `reason`).
   * @throws {CommandAborted} when `signal` aborts.
   */
  run(command: string, options: AsyncRunOptions): Promise<RunHandle>;
  run(command: string, options: DisownRunOptions): Promise<DisownedResult>;
  run(command: string, options?: SyncRunOptions): Promise<Result>;
  run(command: string, options?: RunOptions): Promise<Result | RunHandle>;
  async run(command: string, options: RunOptions = {}): Promise<Result | RunHandle> {
    const opts = resolveRunOptions(options, this.context.config);
    const encoding = opts.encoding ?? this.defaultEncoding();
    const env = this.generateEnv(opts.env, opts.replaceEnv);
    const outStream = opts.outStream ?? process.stdout;
    if (opts.echo) this.echo(formatEcho(opts.echoFormat, command), outStream);

    const usingPty = opts.dry ? opts.pty : await this.shouldUsePty(opts.pty, opts.fallback);
    const init: RunHandleInit = { command, shell: opts.shell, env, pty: usingPty, hide: opts.hide, encoding };
    if (opts.dry) return this.generateResult({ ...init, stdout: "", stderr: "", exited: 0 });
    if (opts.signal?.aborted) {
      throw new CommandAborted(this.generateResult({ ...init, exited: null }), opts.signal.reason);
    }

    const started = await this.startProcess(command, {
      shell: opts.shell,
      env,
      pty: usingPty,
      size: ptySize(),
      disown: opts.disown,
    });
    if (opts.disown) {
      return this.generateResult({ ...init, exited: null, disowned: true, pid: started.pid });
    }

    const execution = this.execute(started, opts, encoding, usingPty, outStream);
    const result = this.finish(execution, init, opts);
    return opts.asynchronous ? new RunHandle(init, execution, result) : result;
  }

  /** Start the command. Subclasses implement the process mechanics only. */
  protected abstract start(command: string, options: StartOptions): Promise<StartedProcess> | StartedProcess;

  /** Whether to use a pty; a subclass may fall back (or fail) when none can be had. */
  protected shouldUsePty(pty: boolean, _fallback: boolean): Promise<boolean> | boolean {
    return pty;
  }

  /** The command's environment: this process's plus `env`, or exactly `env` when `replaceEnv`. */
  protected generateEnv(env: Readonly<Record<string, string>>, replaceEnv: boolean): Record<string, string> {
    if (replaceEnv) return { ...env };
    const inherited: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) if (value !== undefined) inherited[key] = value;
    return { ...inherited, ...env };
  }

  protected defaultEncoding(): BufferEncoding {
    return "utf8";
  }

  /**
   * Print the echoed command (to the out stream, unlike Invoke which always used stdout). The echo
   * format's styling (bold by default) is dropped unless the stream is a terminal, or with `NO_COLOR`.
   */
  protected echo(text: string, stream: Writable): void {
    stream.write(`${shouldUseColor(stream) ? text : stripAnsi(text)}\n`);
  }

  /** Forward a Ctrl-C: by default, write `\x03` to the command's stdin. */
  protected sendInterrupt(started: StartedProcess, _usingPty: boolean): void {
    if (started.stdin && !started.stdin.writableEnded) started.stdin.write("\x03");
  }

  /** Build the Result (a remote runner adds its connection). */
  protected generateResult(init: ResultInit): Result {
    return new Result(init);
  }

  /** Where stdin comes from when `inStream` is null. */
  protected defaultInStream(): NodeJS.ReadStream {
    return process.stdin;
  }

  private async startProcess(command: string, options: StartOptions): Promise<StartedProcess> {
    try {
      return await this.start(command, options);
    } catch (error) {
      if (error instanceof InvokeError) throw error;
      throw new SpawnError(`Could not start ${JSON.stringify(options.shell)}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private execute(
    started: StartedProcess,
    opts: ResolvedRunOptions,
    encoding: BufferEncoding,
    usingPty: boolean,
    outStream: Writable,
  ): Execution {
    const inStream = opts.inStream === null ? this.defaultInStream() : opts.inStream;
    const stdinIsTty = inStream !== false && (inStream as { isTTY?: boolean }).isTTY === true;
    return new Execution(started, {
      encoding,
      outSink: opts.hide.includes("stdout") ? null : outStream,
      errSink: opts.hide.includes("stderr") ? null : (opts.errStream ?? process.stderr),
      watchers: opts.watchers,
      captureLimit: opts.captureLimit,
      inStream,
      echoStdin: opts.echoStdin === true ? outStream : null,
      rawStdin: usingPty && stdinIsTty,
      usingPty,
      timeout: opts.timeout,
      signal: opts.signal,
      interrupt: (process) => this.sendInterrupt(process, usingPty),
    });
  }

  private async finish(execution: Execution, init: RunHandleInit, opts: ResolvedRunOptions): Promise<Result> {
    let outcome: ExecutionOutcome;
    try {
      outcome = await execution.outcome;
    } catch (error) {
      if (error instanceof InvokeError) throw error;
      // What was read before the failure (a dropped connection) is kept, hidden or not.
      await execution.outputSettled();
      const partial = this.generateResult({
        ...init,
        stdout: execution.stdout?.text() ?? "",
        stderr: execution.stderr?.text() ?? "",
        truncated: execution.truncatedStreams(),
        exited: null,
        pid: execution.process.pid,
      });
      throw new SpawnError(`Could not run ${JSON.stringify(init.command)}: ${(error as Error).message}`, {
        cause: error,
        result: partial,
      });
    }
    if (outcome.failures.length > 0) throw new ThreadException(outcome.failures);
    const result = this.generateResult({
      ...init,
      stdout: outcome.stdout,
      stderr: outcome.stderr,
      truncated: outcome.truncated,
      exited: outcome.watcherError ? null : outcome.exited,
      pid: execution.process.pid,
    });
    if (outcome.aborted) throw new CommandAborted(result, outcome.aborted.reason);
    if (outcome.watcherError) throw new Failure(result, outcome.watcherError);
    if (outcome.timedOut && opts.timeout !== null) {
      throw new CommandTimedOut(result, opts.timeout, execution.process.stillRunning?.() ?? null);
    }
    if (!result.ok && !opts.warn) throw new UnexpectedExit(result);
    return result;
  }
}
