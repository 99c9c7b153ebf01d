import type { OutputWatcher } from "./config/types.js";
import { ResponseNotAccepted } from "./errors.js";
import { pyRepr } from "./internal/py-repr.js";

export type StreamName = "stdout" | "stderr";

/**
 * A watcher the runner can feed incrementally: `feed()` receives only the new text of one stream,
 * so watching a 50 MB output costs O(n), not O(n²) like re-scanning the whole stream every chunk.
 */
export interface IncrementalWatcher extends OutputWatcher {
  feed(chunk: string, streamName: StreamName): Iterable<string>;
}

export function isIncrementalWatcher(watcher: OutputWatcher): watcher is IncrementalWatcher {
  return typeof (watcher as Partial<IncrementalWatcher>).feed === "function";
}

/**
 * Base class for output watchers. `submit(stream, streamName)` receives the whole stream so far (Invoke's
 * contract); `feed(chunk, streamName)` receives only new text. Each yields strings to write to the
 * command's stdin. State is kept per stream name, so one watcher tracks stdout and stderr independently.
 */
export abstract class StreamWatcher implements IncrementalWatcher {
  readonly #offsets = new Map<StreamName, number>();

  /** Whole-stream form: passes the unseen part of `stream` to {@link feed}. */
  submit(stream: string, streamName: StreamName = "stdout"): Iterable<string> {
    const start = this.#offsets.get(streamName) ?? 0;
    this.#offsets.set(streamName, stream.length);
    return this.feed(stream.slice(start), streamName);
  }

  abstract feed(chunk: string, streamName: StreamName): Iterable<string>;
}

/** Text not yet consumed by a match, bounded so a pattern that never matches costs O(window) per chunk. */
class ScanWindow {
  private pending = "";

  constructor(private readonly limit: number) {}

  /** Append `chunk`, report whether `regex` matches the unconsumed text, and consume it on a match. */
  matches(chunk: string, regex: RegExp): number {
    this.pending += chunk;
    const hits = this.pending.match(regex)?.length ?? 0;
    if (hits > 0) this.pending = "";
    else if (this.pending.length > this.limit) this.pending = this.pending.slice(-this.limit);
    return hits;
  }
}

/** Options shared by responders. */
export interface ResponderOptions {
  /**
   * How much unmatched text (characters, per stream) is kept to find a pattern split across chunks.
   * A pattern whose match is longer than this may be missed. @default 65536
   */
  window?: number;
}

/**
 * Answers `response` each time `pattern` appears in the output. The pattern is a regular expression
 * (a string is compiled with the `s` flag, like Python's `re.S`; escape literals with `escapeRegExp`).
 * After a match, everything seen so far is consumed, so one prompt is answered once.
 * @example new Responder(/Continue\? \[y\/n\] /, "y\n")
 */
export class Responder extends StreamWatcher {
  readonly pattern: RegExp;
  readonly response: string;
  private readonly windows = new Map<StreamName, ScanWindow>();
  protected readonly windowSize: number;

  constructor(pattern: string | RegExp, response: string, options: ResponderOptions = {}) {
    super();
    this.pattern = toGlobalRegExp(pattern);
    this.response = response;
    this.windowSize = options.window ?? 65_536;
  }

  feed(chunk: string, streamName: StreamName): string[] {
    const hits = windowFor(this.windows, streamName, this.windowSize).matches(chunk, this.pattern);
    return Array.from({ length: hits }, () => this.response);
  }
}

/**
 * A {@link Responder} that fails when `sentinel` (a regular expression) shows up after it has answered,
 * raising {@link ResponseNotAccepted} (e.g. sudo's "Sorry, try again.").
 */
export class FailingResponder extends Responder {
  readonly sentinel: RegExp;
  /** Whether this responder has answered at least once. */
  tried = false;
  private readonly sentinelWindows = new Map<StreamName, ScanWindow>();

  constructor(
    pattern: string | RegExp,
    response: string,
    sentinel: string | RegExp,
    options: ResponderOptions = {},
  ) {
    super(pattern, response, options);
    this.sentinel = toGlobalRegExp(sentinel);
  }

  override feed(chunk: string, streamName: StreamName): string[] {
    const responses = super.feed(chunk, streamName);
    const failed =
      windowFor(this.sentinelWindows, streamName, this.windowSize).matches(chunk, this.sentinel) > 0;
    if (this.tried && failed) {
      throw new ResponseNotAccepted(
        `Auto-response to r"${this.pattern.source}" failed with ${pyRepr(this.sentinel.source)}!`,
      );
    }
    // Unlike Invoke (where a generator object is always truthy), only an actual answer counts as tried.
    if (responses.length > 0) this.tried = true;
    return responses;
  }
}

function windowFor(map: Map<StreamName, ScanWindow>, name: StreamName, limit: number): ScanWindow {
  let window = map.get(name);
  if (!window) {
    window = new ScanWindow(limit);
    map.set(name, window);
  }
  return window;
}

function toGlobalRegExp(pattern: string | RegExp): RegExp {
  if (typeof pattern === "string") return new RegExp(pattern, "gs");
  return pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
}
