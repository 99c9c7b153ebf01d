import type { FileHandle } from "node:fs/promises";
import type { Writable } from "node:stream";
import { type PipelineOptions, pipelineSize } from "./pipeline-size.js";
import { maxReadLength, maxWriteLength, type RawSftp, readChunk, writeChunk } from "./raw.js";
import { InFlight, type TransferState } from "./transfer-state.js";

export type { PipelineOptions } from "./pipeline-size.js";

/** An open remote file, as the transfer loops see it. */
export interface RemoteFile {
  sftp: RawSftp;
  handle: Buffer;
  path: string;
}

/** Local file → remote handle: every worker reads its own slice and writes it at the same offset. */
export async function uploadFromFile(
  remote: RemoteFile,
  local: FileHandle,
  size: number,
  state: TransferState,
  options: PipelineOptions,
): Promise<void> {
  const { chunk, concurrency } = pipelineSize(maxWriteLength(remote.sftp), options);
  let next = 0;
  const workers = Math.min(concurrency, Math.ceil(size / chunk));
  await state.run(workers, async () => {
    // One buffer per worker, reused only once the server has acknowledged its write.
    const buffer = Buffer.allocUnsafe(chunk);
    while (state.ok && next < size) {
      const position = next;
      next += chunk;
      const length = Math.min(chunk, size - position);
      const { bytesRead } = await local.read(buffer, 0, length, position);
      if (bytesRead === 0 || !state.ok) return;
      await writeChunk(remote.sftp, remote.handle, buffer, 0, bytesRead, position, remote.path);
      state.add(bytesRead);
    }
  });
}

/** In-memory bytes → remote handle. */
export async function uploadFromBuffer(
  remote: RemoteFile,
  data: Uint8Array,
  state: TransferState,
  options: PipelineOptions,
): Promise<void> {
  const { chunk, concurrency } = pipelineSize(maxWriteLength(remote.sftp), options);
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  let next = 0;
  const workers = Math.min(concurrency, Math.ceil(bytes.length / chunk));
  await state.run(workers, async () => {
    while (state.ok && next < bytes.length) {
      const position = next;
      next += chunk;
      const length = Math.min(chunk, bytes.length - position);
      await writeChunk(remote.sftp, remote.handle, bytes, position, length, position, remote.path);
      state.add(length);
    }
  });
}

/** A stream's chunks → remote handle at increasing offsets, with at most `concurrency` writes in flight. */
export async function uploadFromStream(
  remote: RemoteFile,
  source: AsyncIterable<Uint8Array | string>,
  state: TransferState,
  options: PipelineOptions,
): Promise<void> {
  const { chunk, concurrency } = pipelineSize(maxWriteLength(remote.sftp), options);
  const inFlight = new InFlight(concurrency);
  let position = 0;
  const send = (piece: Buffer, at: number) => {
    writeChunk(remote.sftp, remote.handle, piece, 0, piece.length, at, remote.path).then(
      () => {
        state.add(piece.length);
        inFlight.release();
      },
      (error: unknown) => {
        state.fail(error);
        inFlight.release();
      },
    );
  };
  await state.run(1, async () => {
    for await (const data of source) {
      const bytes =
        typeof data === "string"
          ? Buffer.from(data)
          : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
      for (let offset = 0; offset < bytes.length && state.ok; offset += chunk) {
        const waiting = inFlight.acquire();
        if (waiting) await waiting;
        if (!state.ok) return inFlight.release();
        // The source may refill its buffer once asked for the next chunk, while ssh2 reads the
        // bytes only as the channel window allows: keep a copy unless the bytes are ours.
        const view = bytes.subarray(offset, offset + chunk);
        const piece = typeof data === "string" ? view : Buffer.from(view);
        send(piece, position);
        position += piece.length;
      }
      if (!state.ok) return;
    }
    await inFlight.drained();
  });
}

/**
 * Remote handle → local file with positional writes (order does not matter). `size` is the size
 * from stat; 0 means unknown (e.g. /proc files), and workers then read until end of file.
 * Resolves with the number of bytes the file really had.
 */
export async function downloadToFile(
  remote: RemoteFile,
  local: FileHandle,
  size: number,
  state: TransferState,
  options: PipelineOptions,
): Promise<number> {
  const size0 = pipelineSize(maxReadLength(remote.sftp), options);
  const reads = new ReadSize(size0.chunk);
  let limit = size > 0 ? size : Number.POSITIVE_INFINITY;
  let next = 0;
  const workers = size > 0 ? Math.min(size0.concurrency, Math.ceil(size / size0.chunk)) : 1;
  await state.run(workers, async () => {
    const buffer = Buffer.allocUnsafe(size0.chunk);
    while (state.ok && next < limit) {
      const position = next;
      const want = Math.min(reads.chunk, limit - position);
      next += want;
      const got = await readFully(remote, buffer, want, position, reads);
      if (!state.ok) return;
      if (got < want) limit = Math.min(limit, position + got); // the file ended early (or shrank)
      if (got > 0) await writeFully(local, buffer, got, position);
      state.add(got);
    }
  });
  const actual = Number.isFinite(limit) ? limit : state.transferred;
  if (actual !== size) await local.truncate(actual);
  return actual;
}

/** Remote handle → Writable, in order, honouring the destination's backpressure. */
export async function downloadToStream(
  remote: RemoteFile,
  destination: Writable,
  size: number,
  state: TransferState,
  options: PipelineOptions,
): Promise<number> {
  const { chunk, concurrency } = pipelineSize(maxReadLength(remote.sftp), options);
  const reads = new ReadSize(chunk);
  let limit = size > 0 ? size : Number.POSITIVE_INFINITY;
  let next = 0;
  let written = 0;
  const ready = new Map<number, Buffer>();
  let drained: Promise<void> | undefined;
  const flush = () => {
    for (let piece = ready.get(written); piece !== undefined; piece = ready.get(written)) {
      ready.delete(written);
      written += piece.length;
      if (piece.length > 0 && !destination.write(piece) && !drained) {
        drained = waitForDrain(destination).finally(() => {
          drained = undefined;
        });
      }
    }
  };
  const workers = size > 0 ? Math.min(concurrency, Math.ceil(size / chunk)) : 1;
  await state.run(workers, async () => {
    while (state.ok && next < limit) {
      if (drained) await Promise.race([drained, state.aborted]);
      if (next >= limit) return;
      const position = next;
      const want = Math.min(reads.chunk, limit - position);
      next += want;
      // A fresh buffer per chunk: the destination may keep it.
      const buffer = Buffer.allocUnsafe(want);
      const got = await readFully(remote, buffer, want, position, reads);
      if (!state.ok) return;
      if (got < want) limit = Math.min(limit, position + got);
      ready.set(position, got === want ? buffer : buffer.subarray(0, got));
      flush();
      state.add(got);
    }
  });
  flush();
  // Resolve only once the destination has taken every byte, not with some still in its buffer.
  if (state.ok && destination.writableNeedDrain && !destination.destroyed) {
    await Promise.race([waitForDrain(destination), state.aborted]);
  }
  return written;
}

/**
 * The read request size, lowered to what the server really answers: a server that caps replies
 * below its announced limit (older sftp-server: 64 KiB) would otherwise cost a second round trip
 * for the rest of every request.
 */
class ReadSize {
  constructor(public chunk: number) {}

  capped(reply: number): void {
    if (reply > 0 && reply < this.chunk) this.chunk = reply;
  }
}

async function readFully(
  remote: RemoteFile,
  buffer: Buffer,
  want: number,
  position: number,
  reads: ReadSize,
): Promise<number> {
  let got = 0;
  let first = 0;
  // Servers may answer with less than asked (their own cap); ask again for the rest.
  while (got < want) {
    const n = await readChunk(
      remote.sftp,
      remote.handle,
      buffer,
      got,
      want - got,
      position + got,
      remote.path,
    );
    if (n === 0) break;
    if (got === 0) first = n;
    got += n;
  }
  // A short first reply followed by more data was the server's cap, not the end of the file.
  if (got > first) reads.capped(first);
  return got;
}

async function writeFully(
  local: FileHandle,
  buffer: Buffer,
  length: number,
  position: number,
): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesWritten } = await local.write(buffer, done, length - done, position + done);
    done += bytesWritten;
  }
}

function waitForDrain(stream: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off("error", onError);
      stream.off("close", onDrain);
      resolve();
    };
    const onError = (error: Error) => {
      stream.off("drain", onDrain);
      stream.off("close", onDrain);
      reject(error);
    };
    stream.once("drain", onDrain);
    stream.once("close", onDrain);
    stream.once("error", onError);
  });
}
