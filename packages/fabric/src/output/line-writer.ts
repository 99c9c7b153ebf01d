import { Writable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { writeDirect } from "@fabric-ts/invoke";

export interface LineWriterOptions {
  /** Where whole, formatted lines go. */
  target: NodeJS.WritableStream;
  /** Turns one line (without its end of line) into the text written, end of line included. */
  format: (line: string) => string;
  /** A line longer than this (in characters) is written in pieces so memory stays bounded. @default 65536 */
  maxLineLength?: number;
}

/**
 * A Writable that cuts what it receives into lines and writes each line to the target in one
 * `write()` call, so several writers sharing one target (one per host) never interleave mid-line.
 * A trailing partial line is held until its end arrives, `flush()` is called or the stream ends.
 * `\r\n` endings (pty output) count as one line end.
 */
export class LineWriter extends Writable {
  readonly #target: NodeJS.WritableStream;
  readonly #format: (line: string) => string;
  readonly #maxLineLength: number;
  readonly #decoder = new StringDecoder("utf8");
  #pending = "";

  constructor(options: LineWriterOptions) {
    super({ decodeStrings: false });
    this.#target = options.target;
    this.#format = options.format;
    this.#maxLineLength = options.maxLineLength ?? 65_536;
  }

  /** Write the held partial line (if any) as a line of its own. */
  flush(): void {
    const rest = this.#pending + this.#decoder.end();
    this.#pending = "";
    if (rest !== "") this.#send(this.#format(stripCr(rest)));
  }

  override _write(
    chunk: Buffer | string,
    encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    const text = typeof chunk === "string" ? textOf(chunk, encoding) : this.#decoder.write(chunk);
    const out = this.#take(text);
    if (out === "" || this.#send(out)) done();
    else this.#target.once("drain", () => done());
  }

  override _final(done: (error?: Error | null) => void): void {
    this.flush();
    done();
  }

  /** Lines are already framed (prefixed, or JSON): past any capture of task output. */
  #send(text: string): boolean {
    return writeDirect(() => this.#target.write(text));
  }

  /** Formatted text of every complete line now available. */
  #take(text: string): string {
    const buffer = this.#pending + text;
    let out = "";
    let start = 0;
    for (let newline = buffer.indexOf("\n"); newline !== -1; newline = buffer.indexOf("\n", start)) {
      out += this.#format(stripCr(buffer.slice(start, newline)));
      start = newline + 1;
    }
    while (buffer.length - start > this.#maxLineLength) {
      out += this.#format(buffer.slice(start, start + this.#maxLineLength));
      start += this.#maxLineLength;
    }
    this.#pending = buffer.slice(start);
    return out;
  }
}

/** Strings written with a non-default encoding (rare) are re-read as that encoding. */
function textOf(chunk: string, encoding: BufferEncoding): string {
  return encoding === "utf8" || encoding === "utf-8" || (encoding as string) === "buffer"
    ? chunk
    : Buffer.from(chunk, encoding).toString("utf8");
}

function stripCr(line: string): string {
  return line.endsWith("\r") ? line.slice(0, -1) : line;
}
