// Output captured as bytes and decoded late must give the Result exactly what decoding every chunk as
// it arrives gives: same text, same truncation, whatever the chunking and the limit.
import { PassThrough, Writable } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ByteCapture, characterStarts } from "../../../src/runners/byte-capture.js";
import { OutputPump } from "../../../src/runners/io.js";

type Mode = "hidden" | "bytes mirrored" | "text mirrored";

/** Feeds `chunks` through an OutputPump and returns what its Result would hold and what the sink got. */
async function pumped(
  chunks: Buffer[],
  captureLimit: number | null,
  mode: Mode,
): Promise<{ text: string; truncated: boolean; mirrored: Buffer }> {
  const source = new PassThrough();
  const got: Buffer[] = [];
  // A caller's own stream gets decoded text (the pump then decodes every chunk); this process's
  // stdout/stderr get the bytes (mirrorBytes); a hidden stream gets nothing.
  const sink =
    mode === "hidden"
      ? null
      : new Writable({
          decodeStrings: false,
          write: (chunk: Buffer | string, _encoding, done) => {
            got.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
            done();
          },
        });
  const pump = new OutputPump({
    name: "stdout",
    source,
    encoding: "utf8",
    sink,
    mirrorBytes: mode === "bytes mirrored",
    watchers: [],
    captureLimit,
    respond: () => {},
    onWatcherError: () => {},
    onError: (_source, error) => {
      throw error;
    },
  });
  for (const chunk of chunks) source.write(chunk);
  source.end();
  await pump.done;
  return { text: pump.text(), truncated: pump.truncated, mirrored: Buffer.concat(got) };
}

/** Cuts `bytes` at the given offsets. */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, bytes.length]) {
    if (point > from) chunks.push(bytes.subarray(from, point));
    from = Math.max(from, point);
  }
  return chunks;
}

describe("characterStarts", () => {
  it("never exceeds the decoded length, for any bytes cut anywhere; equals it for ASCII", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.array(fc.nat(250), { maxLength: 6 }),
        (raw, offsets) => {
          const bytes = Buffer.from(raw);
          const counted = cut(bytes, offsets).reduce((sum, chunk) => sum + characterStarts(chunk), 0);
          expect(counted).toBeLessThanOrEqual(bytes.toString("utf8").length);
        },
      ),
    );
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii" }), (text) => {
        expect(characterStarts(Buffer.from(text, "utf8"))).toBe(text.length);
      }),
    );
  });

  it("counts a character split across chunks once", () => {
    const bytes = Buffer.from("é😀", "utf8");
    expect(characterStarts(bytes.subarray(0, 1)) + characterStarts(bytes.subarray(1))).toBe(2);
    expect(characterStarts(bytes.subarray(0, 4)) + characterStarts(bytes.subarray(4))).toBe(2);
  });
});

describe("ByteCapture", () => {
  it("keeps the last `limit` characters, cut exactly, and says so", () => {
    const capture = new ByteCapture(5);
    for (const part of ["héllo ", "wörld", "!"]) capture.append(Buffer.from(part, "utf8"));
    expect(capture.text(true)).toBe("örld!");
    expect(capture.truncated(true)).toBe(true);
  });

  it("holds back an incomplete last character while the stream is open, and ends it as U+FFFD", () => {
    const capture = new ByteCapture(null);
    const euro = Buffer.from("€", "utf8");
    capture.append(Buffer.concat([Buffer.from("a"), euro.subarray(0, 2)]));
    expect(capture.text(false)).toBe("a");
    expect(capture.text(true)).toBe("a\ufffd");
    capture.append(euro.subarray(2));
    expect(capture.text(false)).toBe("a€");
    expect(capture.truncated(false)).toBe(false);
  });

  it("hands over to per-chunk decoding without losing a split character", () => {
    const capture = new ByteCapture(null);
    const bytes = Buffer.from("x😀y", "utf8");
    capture.append(bytes.subarray(0, 3));
    const { text, decoder, truncated } = capture.handOver();
    expect(text + decoder.write(bytes.subarray(3)) + decoder.end()).toBe("x😀y");
    expect(truncated).toBe(false);
  });
});

describe("OutputPump: bytes captured and decoded late give the Result the same as decoding as they come", () => {
  it("for any text, chunking and limit", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: "grapheme", maxLength: 300 }),
        fc.array(fc.nat(1200), { maxLength: 12 }),
        fc.option(fc.integer({ min: 1, max: 400 }), { nil: null }),
        async (text, offsets, limit) => {
          const bytes = Buffer.from(text, "utf8");
          const chunks = cut(bytes, offsets);
          const hidden = await pumped(chunks, limit, "hidden");
          const raw = await pumped(chunks, limit, "bytes mirrored");
          const decoded = await pumped(chunks, limit, "text mirrored");
          expect(decoded.mirrored.toString("utf8")).toBe(text);
          expect(Buffer.compare(raw.mirrored, bytes)).toBe(0);
          const result = ({ text, truncated }: { text: string; truncated: boolean }) => ({ text, truncated });
          expect(result(hidden)).toEqual(result(decoded));
          expect(result(raw)).toEqual(result(decoded));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("for bytes that are not UTF-8: no throw, never more than `limit` characters", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 400 }),
        fc.array(fc.nat(500), { maxLength: 8 }),
        fc.integer({ min: 1, max: 100 }),
        async (raw, offsets, limit) => {
          const bytes = Buffer.from(raw);
          const chunks = cut(bytes, offsets);
          const late = await pumped(chunks, limit, "bytes mirrored");
          const early = await pumped(chunks, limit, "text mirrored");
          expect(Buffer.compare(late.mirrored, bytes)).toBe(0);
          expect(early.mirrored.toString("utf8")).toBe(bytes.toString("utf8"));
          expect(late.text.length).toBeLessThanOrEqual(limit);
          expect(late.truncated).toBe(early.truncated);
          if (!late.truncated) expect(late.text).toBe(early.text);
        },
      ),
      { numRuns: 300 },
    );
  });
});
