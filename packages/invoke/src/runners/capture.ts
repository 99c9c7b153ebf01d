/** Default `run.captureLimit`: characters of each stream a Result keeps (4 MiB of ASCII). */
export const DEFAULT_CAPTURE_LIMIT = 4 * 1024 * 1024;

/**
 * The captured text of one output stream, bounded: once more than `limit` characters arrived, only
 * the last `limit` are kept (the end of the output is what failure reports and tails show) and the
 * capture is marked truncated. Memory stays flat however much a command prints.
 */
export class CaptureBuffer {
  private readonly chunks: string[] = [];
  private length = 0;
  private dropped = 0;

  /**
   * @param limit characters kept; `null` keeps everything.
   * @param droppedBefore whether output was already dropped before this capture took over.
   */
  constructor(
    private readonly limit: number | null,
    private readonly droppedBefore = false,
  ) {}

  /** Whether text was dropped from the start of the capture. */
  get truncated(): boolean {
    return this.droppedBefore || this.dropped > 0;
  }

  /** How many characters were dropped. */
  get droppedLength(): number {
    return this.dropped;
  }

  append(text: string): void {
    if (text === "") return;
    this.chunks.push(text);
    this.length += text.length;
    if (this.limit !== null && this.length > this.limit) this.trim(this.limit);
  }

  /** Everything kept, as one string. */
  text(): string {
    if (this.chunks.length > 1) this.chunks.splice(0, this.chunks.length, this.chunks.join(""));
    return this.chunks[0] ?? "";
  }

  private trim(limit: number): void {
    let excess = this.length - limit;
    while (excess > 0) {
      const first = this.chunks[0] as string;
      if (first.length <= excess) {
        this.chunks.shift();
        excess -= first.length;
        this.length -= first.length;
        this.dropped += first.length;
      } else {
        this.chunks[0] = first.slice(excess);
        this.length -= excess;
        this.dropped += excess;
        excess = 0;
      }
    }
  }
}
