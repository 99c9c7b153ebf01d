import { shouldUseColor } from "@fabric-ts/invoke";
import { hostColor, paint } from "./color.js";
import type { JsonEvents } from "./events.js";
import { LineWriter } from "./line-writer.js";

/**
 * How output of several hosts is shown: `plain` passes it through untouched (Fabric's behaviour),
 * `prefixed` writes `[host] line`, `json` turns each line into an NDJSON event.
 */
export type OutputMode = "plain" | "prefixed" | "json";

export interface HostOutputOptions {
  mode: OutputMode;
  /** @default process.stdout */
  stdout?: NodeJS.WritableStream;
  /** @default process.stderr */
  stderr?: NodeJS.WritableStream;
  /** Force colour on or off; by default decided per stream (TTY, NO_COLOR, FORCE_COLOR). */
  color?: boolean;
  /** Required for `json` mode. */
  events?: JsonEvents;
}

/** The two line writers of one host, to pass as `outStream` / `errStream`. */
export interface HostStreams {
  readonly out: LineWriter;
  readonly err: LineWriter;
  /** Write out partial lines held by either writer (call when a command ends). */
  flush(): void;
}

/**
 * Line-buffered writers for one host; `undefined` in `plain` mode. `index` picks the host's colour,
 * so hosts keep distinct colours in order.
 */
export function hostStreams(
  host: string,
  index: number,
  options: HostOutputOptions,
): HostStreams | undefined {
  if (options.mode === "plain") return undefined;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  let out: LineWriter;
  let err: LineWriter;
  if (options.mode === "json") {
    const events = options.events;
    if (!events) throw new TypeError("hostStreams: json mode needs an events writer");
    out = new LineWriter({
      target: events.stream,
      format: (line) => events.format({ event: "stdout", host, line }),
    });
    err = new LineWriter({
      target: events.stream,
      format: (line) => events.format({ event: "stderr", host, line }),
    });
  } else {
    const label = (target: NodeJS.WritableStream) =>
      paint(`[${host}]`, hostColor(index), options.color ?? shouldUseColor(target));
    const outLabel = label(stdout);
    const errLabel = label(stderr);
    out = new LineWriter({ target: stdout, format: (line) => `${outLabel} ${line}\n` });
    err = new LineWriter({ target: stderr, format: (line) => `${errLabel} ${line}\n` });
  }
  return {
    out,
    err,
    flush() {
      out.flush();
      err.flush();
    },
  };
}
