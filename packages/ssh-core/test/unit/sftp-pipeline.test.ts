import { randomBytes } from "node:crypto";
import { mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_IN_FLIGHT_BYTES,
  MAX_DEFAULT_CONCURRENCY,
  pipelineSize,
} from "../../src/sftp/pipeline-size.js";
import type { RawSftp } from "../../src/sftp/raw.js";
import { downloadToFile, downloadToStream } from "../../src/sftp/transfer.js";
import { TransferState } from "../../src/sftp/transfer-state.js";

const KiB = 1024;

describe("pipelineSize", () => {
  it("defaults to the server's largest request and 8 MiB in flight", () => {
    expect(pipelineSize(255 * KiB)).toEqual({ chunk: 255 * KiB, concurrency: 32 });
    expect(pipelineSize(128 * KiB)).toEqual({ chunk: 128 * KiB, concurrency: 64 });
    expect(pipelineSize(255 * KiB).chunk * pipelineSize(255 * KiB).concurrency).toBeLessThanOrEqual(
      DEFAULT_IN_FLIGHT_BYTES,
    );
  });

  it("caps the default request count for small requests (non-OpenSSH servers)", () => {
    expect(pipelineSize(32 * KiB)).toEqual({ chunk: 32 * KiB, concurrency: MAX_DEFAULT_CONCURRENCY });
  });

  it("never exceeds the server's limit and honours explicit values", () => {
    expect(pipelineSize(32 * KiB, { chunkSize: 128 * KiB })).toEqual({
      chunk: 32 * KiB,
      concurrency: MAX_DEFAULT_CONCURRENCY,
    });
    expect(pipelineSize(255 * KiB, { chunkSize: 64 * KiB, concurrency: 3 })).toEqual({
      chunk: 64 * KiB,
      concurrency: 3,
    });
  });

  it("ignores nonsense values instead of producing NaN or zero", () => {
    expect(pipelineSize(255 * KiB, { chunkSize: Number.NaN, concurrency: 0 })).toEqual({
      chunk: 255 * KiB,
      concurrency: 1,
    });
    expect(pipelineSize(0)).toEqual({ chunk: 1, concurrency: MAX_DEFAULT_CONCURRENCY });
  });
});

/** A fake SFTP channel serving `data`, answering at most `cap` bytes per read, recording requests. */
function fakeSftp(data: Buffer, announced: number, cap: number) {
  const asked: number[] = [];
  const sftp = {
    _maxReadLen: announced,
    read(
      _handle: Buffer,
      buffer: Buffer,
      offset: number,
      length: number,
      position: number,
      callback: (error: Error | undefined, bytesRead: number) => void,
    ) {
      asked.push(length);
      const n = Math.max(0, Math.min(length, cap, data.length - position));
      data.copy(buffer, offset, position, position + n);
      setImmediate(() => callback(undefined, n));
    },
  };
  return { sftp: sftp as unknown as RawSftp, asked };
}

describe("downloads against a server that answers less than it announces", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "ssh-core-pipeline-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("downloadToFile shrinks its requests to the real cap and still writes every byte", async () => {
    const data = randomBytes(3 * 1024 * KiB + 123);
    const { sftp, asked } = fakeSftp(data, 255 * KiB, 64 * KiB);
    const path = join(dir, "out.bin");
    const local = await open(path, "w");
    try {
      const state = new TransferState(data.length);
      const bytes = await downloadToFile(
        { sftp, handle: Buffer.from("h"), path: "/remote" },
        local,
        data.length,
        state,
        { concurrency: 4 },
      );
      expect(bytes).toBe(data.length);
    } finally {
      await local.close();
    }
    expect((await readFile(path)).equals(data)).toBe(true);
    // The first requests ask for 255 KiB; once a capped reply is seen, later ones ask for 64 KiB.
    expect(asked[0]).toBe(255 * KiB);
    expect(asked.slice(-5).every((length) => length <= 64 * KiB)).toBe(true);
    // Only the 4 requests already in flight (and their continuations) asked for more than the cap.
    expect(asked.filter((length) => length > 64 * KiB).length).toBeLessThanOrEqual(4 * 3);
  });

  it("a short reply at the end of the file is not taken for a cap", async () => {
    const data = randomBytes(300 * KiB);
    const { sftp, asked } = fakeSftp(data, 255 * KiB, 255 * KiB);
    const chunks: Buffer[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        chunks.push(chunk);
        callback();
      },
    });
    const state = new TransferState(undefined);
    // Size 0 = unknown (like /proc files): one request at a time until end of file.
    const bytes = await downloadToStream(
      { sftp, handle: Buffer.from("h"), path: "/remote" },
      sink,
      0,
      state,
      {},
    );
    expect(bytes).toBe(data.length);
    expect(Buffer.concat(chunks).equals(data)).toBe(true);
    expect(asked.every((length) => length === 255 * KiB || length === 255 * KiB - 45 * KiB)).toBe(true);
  });

  it("downloadToStream resolves only after a slow destination has taken every byte", async () => {
    const data = randomBytes(2 * 1024 * KiB);
    const { sftp } = fakeSftp(data, 64 * KiB, 64 * KiB);
    const received: Buffer[] = [];
    const sink = new Writable({
      highWaterMark: 1024,
      write(chunk: Buffer, _encoding, callback) {
        received.push(chunk);
        setImmediate(callback);
      },
    });
    const state = new TransferState(data.length);
    const bytes = await downloadToStream(
      { sftp, handle: Buffer.from("h"), path: "/remote" },
      sink,
      data.length,
      state,
      { concurrency: 16 },
    );
    expect(bytes).toBe(data.length);
    expect(sink.writableLength).toBe(0);
    expect(Buffer.concat(received).equals(data)).toBe(true);
  });
});
