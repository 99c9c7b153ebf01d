import { isAscii } from "node:buffer";
import { StringDecoder } from "node:string_decoder";

/**
 * The bytes that are not UTF-8 continuation bytes: a lower bound on the length of the string they
 * decode to, exact for ASCII. Each such byte starts at least one UTF-16 unit (a character, half of a
 * surrogate pair, or U+FFFD); a character cut at a chunk boundary is counted once, where it starts.
 */
export function characterStarts(bytes: Buffer): number {
  if (isAscii(bytes)) return bytes.length;
  let starts = 0;
  for (const byte of bytes) if ((byte & 0xc0) !== 0x80) starts++;
  return starts;
}

/**
 * The captured output of one stream kept as the UTF-8 bytes that arrived, decoded only when asked for:
 * the cheap way to capture what is mirrored as bytes and watched by nobody (decoding every chunk of a
 * huge output makes the garbage collector the largest user of memory). Bounded like `CaptureBuffer`:
 * beyond `limit` characters only the last `limit` are kept.
 */
export class ByteCapture {
  private readonly chunks: { bytes: Buffer; starts: number }[] = [];
  /** At least the length of the kept bytes' text (see {@link characterStarts}). */
  private starts = 0;
  private droppedChunks = false;
  private decoded: { chunks: number; bytes: number; ended: boolean; text: string } | null = null;

  /** @param limit characters (UTF-16 units) kept; `null` keeps everything. */
  constructor(private readonly limit: number | null) {}

  append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    const starts = characterStarts(bytes);
    this.chunks.push({ bytes, starts });
    this.starts += starts;
    const limit = this.limit;
    if (limit === null) return;
    // Whole chunks go while the rest surely holds `limit` characters; text() cuts exactly.
    for (let first = this.chunks[0]; first && this.starts - first.starts >= limit; first = this.chunks[0]) {
      this.chunks.shift();
      this.starts -= first.starts;
      this.droppedChunks = true;
    }
  }

  /** Whether the start of the output was dropped (it exceeded `limit`). */
  truncated(ended: boolean): boolean {
    return this.droppedChunks || (this.limit !== null && this.decode(ended).text.length > this.limit);
  }

  /**
   * The kept output decoded, its last `limit` characters. While the stream is still open an incomplete
   * last character is left out (it completes with the next chunk); at the end it decodes as U+FFFD.
   */
  text(ended: boolean): string {
    const { text } = this.decode(ended);
    return this.limit !== null && text.length > this.limit ? text.slice(text.length - this.limit) : text;
  }

  /**
   * Switches to decoding as chunks arrive: the text so far and the decoder that continues it (holding an
   * incomplete last character). The capture is not used after this.
   */
  handOver(): { text: string; decoder: StringDecoder; truncated: boolean } {
    const { text, decoder } = this.decodeAll(false);
    return { text, decoder, truncated: this.truncated(false) };
  }

  /** The kept bytes decoded, remembered until more arrive (a Result asks for text and truncation). */
  private decode(ended: boolean): { text: string } {
    const last = this.chunks.at(-1);
    const key = { chunks: this.chunks.length, bytes: last?.bytes.length ?? 0, ended };
    const cached = this.decoded;
    if (cached && cached.chunks === key.chunks && cached.bytes === key.bytes && cached.ended === ended) {
      return cached;
    }
    this.decoded = { ...key, text: this.decodeAll(ended).text };
    return this.decoded;
  }

  private decodeAll(ended: boolean): { text: string; decoder: StringDecoder } {
    let bytes = Buffer.concat(this.chunks.map((chunk) => chunk.bytes));
    // After a cut, the first bytes may be the tail of a character whose start was dropped.
    if (this.droppedChunks) {
      let start = 0;
      while (start < bytes.length && start < 3 && ((bytes[start] as number) & 0xc0) === 0x80) start++;
      bytes = bytes.subarray(start);
    }
    const decoder = new StringDecoder("utf8");
    const text = decoder.write(bytes) + (ended ? decoder.end() : "");
    return { text, decoder };
  }
}
