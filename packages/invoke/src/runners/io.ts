import { PassThrough, type Readable, type Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { OutputWatcher } from "../config/types.js";
import { WatcherError } from "../errors.js";
import { isIncrementalWatcher, type StreamName } from "../watchers.js";
import { ByteCapture } from "./byte-capture.js";
import { CaptureBuffer } from "./capture.js";
import { onceDrained, subscribeInput } from "./shared-listeners.js";

export interface OutputPumpOptions {
  readonly name: StreamName;
  readonly source: Readable;
  readonly encoding: BufferEncoding;
  /** Where decoded text is mirrored as it arrives; `null` when the stream is hidden. */
  readonly sink: Writable | null;
  /**
   * Mirror the bytes as they arrive instead of the decoded text (see {@link mirrorsBytes}), so binary
   * output reaches the sink unchanged. Capture and watchers still get the decoded text.
   */
  readonly mirrorBytes?: boolean;
  readonly watchers: readonly OutputWatcher[];
  /** Characters of output kept for the Result (the last ones); `null` keeps everything. */
  readonly captureLimit: number | null;
  /** Write a watcher's answer to the command's stdin. */
  respond(text: string): void;
  onWatcherError(error: WatcherError): void;
  onError(source: string, error: unknown): void;
}

/**
 * Reads one output stream of a command: decodes it (never splitting a multibyte character across
 * chunks), mirrors it live, captures it (bounded by `captureLimit`), and feeds watchers with the new
 * text only. A sink that cannot keep up pauses the source until it drains, so output waiting to be
 * written never piles up in memory.
 */
export class OutputPump {
  readonly done: Promise<void>;
  private capture: CaptureBuffer;
  /** Set while output is captured as bytes, undecoded (see {@link ByteCapture}). */
  private bytes: ByteCapture | null;
  private decoder: StringDecoder;
  private readonly taps: PassThrough[] = [];
  private stopped = false;
  private ended = false;
  private pausedForSink = false;

  constructor(private readonly options: OutputPumpOptions) {
    this.decoder = new StringDecoder(options.encoding);
    this.capture = new CaptureBuffer(options.captureLimit);
    // Nobody needs the text while the command runs: decode once, when the Result is made.
    const textNeeded = options.watchers.length > 0 || (options.sink !== null && !options.mirrorBytes);
    this.bytes =
      !textNeeded && isUtf8Encoding(options.encoding) ? new ByteCapture(options.captureLimit) : null;
    this.done = new Promise<void>((resolve) => {
      options.source.on("data", (chunk: Buffer | string) => {
        if (typeof chunk === "string") {
          this.decodeFromNowOn();
          return this.accept(chunk, chunk);
        }
        if (this.bytes) {
          if (options.mirrorBytes) this.mirror(chunk);
          this.bytes.append(chunk);
          return;
        }
        this.accept(this.decoder.write(chunk), options.mirrorBytes ? chunk : undefined);
      });
      const settle = () => {
        this.finish();
        this.flushed().then(resolve);
      };
      options.source.once("end", () => {
        // With bytes mirrored, an incomplete last character already went out as it was.
        if (!this.bytes) this.accept(this.decoder.end(), options.mirrorBytes ? null : undefined);
        settle();
      });
      options.source.once("close", settle);
      options.source.once("error", (error) => {
        options.onError(options.name, error);
        settle();
      });
    });
  }

  /** Everything captured so far (the last `captureLimit` characters). */
  text(): string {
    return this.bytes ? this.bytes.text(this.ended) : this.capture.text();
  }

  /** Whether the capture dropped the start of the output (it exceeded `captureLimit`). */
  get truncated(): boolean {
    return this.bytes ? this.bytes.truncated(this.ended) : this.capture.truncated;
  }

  /** Leaves byte capture for decoding each chunk as it arrives (a tap or a string chunk needs text). */
  private decodeFromNowOn(): void {
    if (!this.bytes) return;
    const { text, decoder, truncated } = this.bytes.handOver();
    this.bytes = null;
    this.decoder = decoder;
    this.capture = new CaptureBuffer(this.options.captureLimit, truncated);
    this.capture.append(text);
  }

  /** The decoded output: what was captured so far, then live; ends with the stream. */
  tap(): Readable {
    this.decodeFromNowOn();
    const tap = new PassThrough({ encoding: "utf8" });
    const sofar = this.text();
    if (sofar !== "") tap.write(sofar);
    if (this.ended) tap.end();
    else this.taps.push(tap);
    return tap;
  }

  /**
   * Settles once the sink has written out what it still buffers, so that when a run resolves its
   * whole output has reached the caller's stream (a slow sink may hold up to its highWaterMark).
   * An empty write's callback runs after every write queued before it.
   */
  private flushed(): Promise<void> {
    const sink = this.options.sink;
    if (!sink || typeof sink.on !== "function" || sink.destroyed || sink.writableEnded)
      return Promise.resolve();
    if (!(sink.writableLength > 0)) return Promise.resolve();
    // A sink destroyed meanwhile calls pending write callbacks with an error: that settles too.
    return new Promise<void>((resolve) => {
      sink.write("", () => resolve());
    });
  }

  /** Stop feeding watchers (after one failed). Capture and mirroring go on. */
  stopWatching(): void {
    this.stopped = true;
  }

  /** `mirrored`: what to write to the sink (`undefined`: the text itself, `null`: nothing). */
  private accept(text: string, mirrored?: Buffer | string | null): void {
    const out = mirrored === undefined ? text : mirrored;
    if (out !== null && out.length > 0) this.mirror(out);
    if (text === "") return;
    this.capture.append(text);
    for (const tap of this.taps) tap.write(text);
    if (!this.stopped) this.feedWatchers(text);
  }

  /** Write to the sink; when it reports a full buffer, pause the source until the sink drains. */
  private mirror(data: Buffer | string): void {
    const sink = this.options.sink;
    if (!sink || sink.destroyed || sink.writableEnded) return;
    // Only a real stream's `false` means "full"; a minimal `{ write() {} }` sink returns nothing.
    if (sink.write(data) !== false || this.pausedForSink || typeof sink.on !== "function") return;
    this.pausedForSink = true;
    const source = this.options.source;
    source.pause();
    // An erroring sink is destroyed and closes (autoDestroy), which also resumes.
    onceDrained(sink, () => {
      this.pausedForSink = false;
      source.resume();
    });
  }

  private feedWatchers(text: string): void {
    for (const watcher of this.options.watchers) {
      try {
        const responses = isIncrementalWatcher(watcher)
          ? watcher.feed(text, this.options.name)
          : watcher.submit(this.text(), this.options.name);
        for (const response of responses) this.options.respond(response);
      } catch (error) {
        this.stopped = true;
        if (error instanceof WatcherError) this.options.onWatcherError(error);
        else this.options.onError("watcher", error);
        return;
      }
    }
  }

  private finish(): void {
    if (this.ended) return;
    this.ended = true;
    for (const tap of this.taps) tap.end();
  }
}

export interface StdinMirrorOptions {
  readonly source: Readable;
  readonly encoding: BufferEncoding;
  write(data: Buffer): void;
  /** Called once when `source` ends. */
  onEnd(): void;
  /** Where read input is echoed, if anywhere. */
  readonly echo: Writable | null;
  /** Put a TTY source into raw mode while mirroring (for a pty, whose line discipline then does the work). */
  readonly raw: boolean;
}

/** Copies an input stream to the command's stdin while it runs, and leaves the source as it found it. */
export class StdinMirror {
  private readonly onData = (chunk: Buffer | string) => {
    const data = typeof chunk === "string" ? Buffer.from(chunk, this.options.encoding) : chunk;
    this.options.write(data);
    this.options.echo?.write(data);
  };
  private readonly onEnd = () => this.options.onEnd();
  private unsubscribe: (() => void) | null = null;
  private readonly wasRaw: boolean;

  constructor(private readonly options: StdinMirrorOptions) {
    const { source } = options;
    const tty = source as Readable & {
      isTTY?: boolean;
      isRaw?: boolean;
      setRawMode?: (raw: boolean) => void;
    };
    this.wasRaw = tty.isRaw === true;
    if (options.raw && tty.isTTY && tty.setRawMode && !this.wasRaw) tty.setRawMode(true);
    if (source.readableEnded) {
      queueMicrotask(this.onEnd);
      return;
    }
    // Concurrent runs share one pair of listeners on the source (often process.stdin).
    this.unsubscribe = subscribeInput(source, { data: this.onData, end: this.onEnd });
  }

  stop(): void {
    const { source } = this.options;
    this.unsubscribe?.();
    this.unsubscribe = null;
    const tty = source as Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => void };
    if (this.options.raw && tty.isTTY && tty.setRawMode && !this.wasRaw) tty.setRawMode(false);
  }
}

/**
 * Whether output mirrored to `sink` goes out as the bytes that arrived: for this process's own stdout
 * and stderr with a UTF-8 encoding, as `ssh host cmd > file` does, so `run("cat image.png")` copies the
 * file unchanged. Streams a caller passes keep getting decoded text, and another encoding is a request to
 * transcode.
 */
export function mirrorsBytes(sink: Writable | null, encoding: BufferEncoding): boolean {
  return isUtf8Encoding(encoding) && sink !== null && (sink === process.stdout || sink === process.stderr);
}

function isUtf8Encoding(encoding: BufferEncoding): boolean {
  return /^utf-?8$/i.test(encoding);
}
