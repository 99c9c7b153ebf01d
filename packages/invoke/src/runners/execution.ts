import type { Readable, Writable } from "node:stream";
import type { OutputWatcher } from "../config/types.js";
import type { StreamFailure, WatcherError } from "../errors.js";
import { trackRunning } from "./interrupts.js";
import { mirrorsBytes, OutputPump, StdinMirror } from "./io.js";
import { exitCodeOf, type StartedProcess } from "./process.js";
import { onAbort as subscribeAbort } from "./shared-listeners.js";

export interface ExecutionOptions {
  readonly encoding: BufferEncoding;
  readonly outSink: Writable | null;
  readonly errSink: Writable | null;
  readonly watchers: readonly OutputWatcher[];
  /** Characters of each stream kept for the Result; `null` keeps everything. */
  readonly captureLimit: number | null;
  readonly inStream: Readable | false;
  readonly echoStdin: Writable | null;
  readonly rawStdin: boolean;
  readonly usingPty: boolean;
  /** Seconds, or null. */
  readonly timeout: number | null;
  readonly signal: AbortSignal | undefined;
  /** Forward a Ctrl-C to the command. */
  interrupt(process: StartedProcess): void;
}

export interface ExecutionOutcome {
  readonly stdout: string;
  readonly stderr: string;
  /** Streams whose capture dropped the start of the output (more than `captureLimit`). */
  readonly truncated: readonly ("stdout" | "stderr")[];
  readonly exited: number | null;
  readonly timedOut: boolean;
  readonly aborted: { readonly reason: unknown } | null;
  readonly watcherError: WatcherError | null;
  readonly failures: readonly StreamFailure[];
}

/**
 * One running command: pumps its streams, mirrors stdin, enforces the timeout and abort signal, and
 * settles `outcome` once the process has exited and all its output has been read.
 */
export class Execution {
  readonly outcome: Promise<ExecutionOutcome>;
  readonly stdout: OutputPump | null;
  readonly stderr: OutputPump | null;
  private timedOut = false;
  private aborted: { reason: unknown } | null = null;
  private watcherError: WatcherError | null = null;
  private readonly failures: StreamFailure[] = [];

  constructor(
    readonly process: StartedProcess,
    private readonly options: ExecutionOptions,
  ) {
    process.stdin?.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED")
        this.failures.push({ source: "stdin", error });
    });
    this.stdout = this.pump("stdout", process.stdout, options.outSink);
    this.stderr = this.pump("stderr", process.stderr, options.errSink);
    this.outcome = this.run();
  }

  /** Signal the command's process group. */
  kill(signal: NodeJS.Signals = "SIGKILL"): void {
    this.process.kill(signal);
  }

  /** Write to the command's stdin, unless it is already closed. */
  writeStdin(data: Buffer | string): void {
    const stdin = this.process.stdin;
    if (!stdin || stdin.writableEnded || stdin.destroyed) return;
    stdin.write(typeof data === "string" ? Buffer.from(data, this.options.encoding) : data);
  }

  private pump(name: "stdout" | "stderr", source: Readable | null, sink: Writable | null): OutputPump | null {
    if (!source) return null;
    return new OutputPump({
      name,
      source,
      encoding: this.options.encoding,
      sink,
      mirrorBytes: mirrorsBytes(sink, this.options.encoding),
      watchers: this.options.watchers,
      captureLimit: this.options.captureLimit,
      respond: (text) => this.writeStdin(text),
      onWatcherError: (error) => {
        if (this.watcherError) return;
        this.watcherError = error;
        this.stdout?.stopWatching();
        this.stderr?.stopWatching();
        this.kill();
      },
      onError: (source, error) => {
        this.failures.push({ source, error });
        this.kill();
      },
    });
  }

  private async run(): Promise<ExecutionOutcome> {
    const { options, process } = this;
    const untrack = trackRunning({
      interrupt: () => options.interrupt(process),
      terminate: () => process.kill("SIGTERM"),
    });
    const mirror = options.inStream
      ? new StdinMirror({
          source: options.inStream,
          encoding: options.encoding,
          write: (data) => this.writeStdin(data),
          onEnd: () => {
            // Watchers answer on stdin: it stays open for them when the input runs dry (stdin at
            // EOF in CI or cron), until the command ends. Without watchers, EOF is passed on.
            if (!options.usingPty && options.watchers.length === 0) this.closeStdin();
          },
          echo: options.echoStdin,
          raw: options.rawStdin,
        })
      : null;
    const timer =
      options.timeout === null
        ? null
        : setTimeout(() => {
            this.timedOut = true;
            this.kill();
          }, options.timeout * 1000);
    const onAbort = () => {
      this.aborted ??= { reason: options.signal?.reason };
      this.kill();
    };
    let unsubscribeAbort: (() => void) | undefined;
    if (options.signal?.aborted) onAbort();
    else if (options.signal) unsubscribeAbort = subscribeAbort(options.signal, onAbort);

    try {
      const [exit] = await Promise.all([process.wait(), this.stdout?.done, this.stderr?.done]);
      return {
        stdout: this.stdout?.text() ?? "",
        stderr: this.stderr?.text() ?? "",
        truncated: this.truncatedStreams(),
        exited: exitCodeOf(exit),
        timedOut: this.timedOut,
        aborted: this.aborted,
        watcherError: this.watcherError,
        failures: this.failures,
      };
    } finally {
      if (timer) clearTimeout(timer);
      unsubscribeAbort?.();
      mirror?.stop();
      untrack();
    }
  }

  /** Resolves once both output streams were read to their end, or after `boundMs` at most. */
  async outputSettled(boundMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, boundMs);
      timer.unref();
    });
    await Promise.race([Promise.all([this.stdout?.done, this.stderr?.done]), bound]);
    clearTimeout(timer);
  }

  /** The streams whose capture was cut to `captureLimit` so far. */
  truncatedStreams(): ("stdout" | "stderr")[] {
    const names: ("stdout" | "stderr")[] = [];
    if (this.stdout?.truncated) names.push("stdout");
    if (this.stderr?.truncated) names.push("stderr");
    return names;
  }

  private closeStdin(): void {
    if (this.process.closeStdin) this.process.closeStdin();
    else if (this.process.stdin && !this.process.stdin.writableEnded) this.process.stdin.end();
  }
}
