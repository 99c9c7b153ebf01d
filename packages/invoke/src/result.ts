import { inspect } from "node:util";
import { pyRepr } from "./internal/py-repr.js";

/** Which output streams were hidden, normalised (see `normalizeHide`). */
export type HiddenStreams = readonly ("stdout" | "stderr")[];

/** Constructor fields of a {@link Result}; every field is optional, as in Invoke. */
export interface ResultInit {
  stdout?: string;
  stderr?: string;
  /** @default "utf8" */
  encoding?: BufferEncoding;
  command?: string;
  shell?: string;
  env?: Readonly<Record<string, string>>;
  /** Exit code; negative signal number when killed by a signal; `null` when not fully executed. @default 0 */
  exited?: number | null;
  pty?: boolean;
  hide?: HiddenStreams;
  pid?: number;
  disowned?: boolean;
  /** Streams whose capture kept only the last `captureLimit` characters. @default [] */
  truncated?: readonly ("stdout" | "stderr")[];
}

/**
 * The outcome of one command: captured output, exit code and the options it ran with.
 * `ok` is `exited === 0`. The string form matches Invoke's `str(Result)`.
 */
export class Result {
  readonly stdout: string;
  readonly stderr: string;
  readonly encoding: BufferEncoding;
  readonly command: string;
  readonly shell: string;
  readonly env: Readonly<Record<string, string>>;
  readonly exited: number | null;
  readonly pty: boolean;
  readonly hide: HiddenStreams;
  readonly pid: number | undefined;
  readonly disowned: boolean;
  /**
   * Streams whose output went beyond `run.captureLimit`: `stdout`/`stderr` then hold only its last
   * `captureLimit` characters (everything was still mirrored to the out/err streams as it arrived).
   */
  readonly truncatedStreams: HiddenStreams;

  constructor(init: ResultInit = {}) {
    this.stdout = init.stdout ?? "";
    this.stderr = init.stderr ?? "";
    this.encoding = init.encoding ?? "utf8";
    this.command = init.command ?? "";
    this.shell = init.shell ?? "";
    this.env = init.env ?? {};
    this.exited = init.exited === undefined ? 0 : init.exited;
    this.pty = init.pty ?? false;
    this.hide = init.hide ?? [];
    this.pid = init.pid;
    this.disowned = init.disowned ?? false;
    this.truncatedStreams = init.truncated ?? [];
  }

  /** Whether any stream's capture was cut to its last `run.captureLimit` characters. */
  get truncated(): boolean {
    return this.truncatedStreams.length > 0;
  }

  /** Alias of {@link exited}. */
  get returnCode(): number | null {
    return this.exited;
  }

  get ok(): boolean {
    return this.exited === 0;
  }

  get failed(): boolean {
    return !this.ok;
  }

  /** The last `count` lines of a stream, prefixed by a blank line (Invoke's display format). */
  tail(stream: "stdout" | "stderr", count = 10): string {
    const lines = splitLines(this[stream]);
    return `\n\n${lines.slice(Math.max(0, lines.length - count)).join("\n")}`;
  }

  toString(): string {
    const head =
      this.exited === null
        ? "Command was not fully executed due to watcher error."
        : `Command exited with status ${this.exited}.`;
    const blocks = (["stdout", "stderr"] as const).map((name) => {
      const value = this[name];
      return value === "" ? `(no ${name})` : `=== ${name} ===\n${value.trimEnd()}\n`;
    });
    return [head, ...blocks].join("\n");
  }

  /** Python-style representation, e.g. `<Result cmd='ls' exited=0>`. */
  repr(): string {
    return `<${this.constructor.name} cmd=${pyRepr(this.command)} exited=${this.exited ?? "None"}>`;
  }

  [inspect.custom](): string {
    return this.repr();
  }
}

/** A Result from `disown: true`: the process was started and left running. */
export type DisownedResult = Result & { readonly disowned: true; readonly exited: null };

/** Python's `str.splitlines()`: no trailing empty element for a final newline. */
function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split(/\r\n|[\n\r\v\f\u001c\u001d\u001e\u0085\u2028\u2029]/);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}
