import { PassThrough, type Readable } from "node:stream";
import { inspect } from "node:util";
import { pyRepr } from "../internal/py-repr.js";
import type { HiddenStreams, Result } from "../result.js";
import type { Execution } from "./execution.js";

/** What a handle knows before the command has finished. */
export interface RunHandleInit {
  readonly command: string;
  readonly shell: string;
  readonly env: Readonly<Record<string, string>>;
  readonly pty: boolean;
  readonly hide: HiddenStreams;
  readonly encoding: BufferEncoding;
}

/**
 * A command started with `asynchronous: true` (Invoke's `Promise`). Not a thenable on purpose: awaiting
 * `run()` gives you the handle, and `join()` waits for the Result (throwing exactly as a plain `run()`).
 * @example
 * const handle = await c.run("make -j4", { asynchronous: true });
 * handle.stdout.on("data", (text) => progress(text));
 * const result = await handle.join();
 */
export class RunHandle implements AsyncDisposable {
  readonly command: string;
  readonly shell: string;
  readonly env: Readonly<Record<string, string>>;
  readonly pty: boolean;
  readonly hide: HiddenStreams;
  readonly encoding: BufferEncoding;
  private readonly result: Promise<Result>;
  private stdoutTap: Readable | undefined;
  private stderrTap: Readable | undefined;

  constructor(
    init: RunHandleInit,
    private readonly execution: Execution,
    result: Promise<Result>,
  ) {
    this.command = init.command;
    this.shell = init.shell;
    this.env = init.env;
    this.pty = init.pty;
    this.hide = init.hide;
    this.encoding = init.encoding;
    this.result = result;
    // The caller may never join; a failure must not become an unhandled rejection.
    result.catch(() => {});
  }

  get pid(): number | undefined {
    return this.execution.process.pid;
  }

  /** Decoded stdout: everything so far, then live until the command ends. */
  get stdout(): Readable {
    this.stdoutTap ??= this.execution.stdout?.tap() ?? emptyStream();
    return this.stdoutTap;
  }

  /** Decoded stderr (empty with a pty). */
  get stderr(): Readable {
    this.stderrTap ??= this.execution.stderr?.tap() ?? emptyStream();
    return this.stderrTap;
  }

  /** Wait for the command; resolves to its Result or throws like a synchronous `run()`. */
  join(): Promise<Result> {
    return this.result;
  }

  /** Signal the command's process group. @default "SIGTERM" */
  kill(signal: NodeJS.Signals = "SIGTERM"): void {
    this.execution.kill(signal);
  }

  /** Write to the command's stdin. */
  write(data: string | Buffer): void {
    this.execution.writeStdin(data);
  }

  /**
   * A handle on the same command whose `join()` result is transformed by `map` (e.g. to translate errors).
   * @internal
   */
  withResult(map: (result: Promise<Result>) => Promise<Result>): RunHandle {
    return new RunHandle(this, this.execution, map(this.result));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.join();
  }

  repr(): string {
    return `<RunHandle cmd=${pyRepr(this.command)}>`;
  }

  [inspect.custom](): string {
    return this.repr();
  }
}

function emptyStream(): Readable {
  const stream = new PassThrough({ encoding: "utf8" });
  stream.end();
  return stream;
}
