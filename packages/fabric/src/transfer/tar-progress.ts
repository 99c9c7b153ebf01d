import { Transform, type TransformCallback } from "node:stream";

const BLOCK = 512;

/** What the tar stream watcher reports as it passes entries through. */
export interface TarListener {
  /** `bytes` more of file `path` (of `size`) went by. */
  data(path: string, size: number, bytes: number): void;
  /** An entry ended (files after their last byte; links and directories at once). */
  end(path: string, size: number, type: "file" | "directory" | "symlink"): void;
}

/**
 * Passes a tar stream through unchanged while reading its headers, so progress can be reported per
 * file from the archive itself. Understands ustar names (prefix + name) and GNU long names (`L`).
 */
export class TarWatcher extends Transform {
  readonly #listener: TarListener;
  #header = Buffer.alloc(0);
  /** Bytes of entry data (padded to whole blocks) still to pass before the next header. */
  #remaining = 0;
  #padding = 0;
  #current: { path: string; size: number; isFile: boolean; longName: boolean } | undefined;
  #longName: Buffer[] | undefined;
  #pendingName: string | undefined;

  constructor(listener: TarListener) {
    super();
    this.#listener = listener;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    try {
      this.#consume(chunk);
      callback(null, chunk);
    } catch (error) {
      callback(error as Error);
    }
  }

  #consume(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.#remaining > 0) {
        const take = Math.min(this.#remaining, chunk.length - offset);
        this.#data(chunk.subarray(offset, offset + take));
        this.#remaining -= take;
        offset += take;
        if (this.#remaining === 0) this.#entryDataDone();
        continue;
      }
      if (this.#padding > 0) {
        const take = Math.min(this.#padding, chunk.length - offset);
        this.#padding -= take;
        offset += take;
        continue;
      }
      const take = Math.min(BLOCK - this.#header.length, chunk.length - offset);
      this.#header = Buffer.concat([this.#header, chunk.subarray(offset, offset + take)]);
      offset += take;
      if (this.#header.length === BLOCK) {
        const header = this.#header;
        this.#header = Buffer.alloc(0);
        this.#onHeader(header);
      }
    }
  }

  #onHeader(header: Buffer): void {
    if (header.every((byte) => byte === 0)) return; // end-of-archive blocks
    const type = String.fromCharCode(header[156] ?? 0);
    const size = readSize(header.subarray(124, 136));
    const ustarName = () => {
      const name = cString(header.subarray(0, 100));
      const isUstar = header.subarray(257, 262).toString("latin1") === "ustar";
      const prefix = isUstar ? cString(header.subarray(345, 500)) : "";
      return prefix ? `${prefix}/${name}` : name;
    };
    const path = normalize(this.#pendingName ?? ustarName());
    if (type === "L") {
      this.#longName = [];
      this.#current = { path: "", size, isFile: false, longName: true };
    } else {
      this.#pendingName = undefined;
      const isFile = type === "0" || type === "\0" || type === "7";
      this.#current = { path, size, isFile, longName: false };
      if (!isFile && size === 0) {
        const kind = type === "5" ? "directory" : type === "2" ? "symlink" : undefined;
        if (kind) this.#listener.end(path, 0, kind);
      }
    }
    this.#remaining = size;
    this.#padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (size === 0) this.#entryDataDone();
  }

  #data(bytes: Buffer): void {
    const current = this.#current;
    if (!current) return;
    if (current.longName) this.#longName?.push(Buffer.from(bytes));
    else if (current.isFile) this.#listener.data(current.path, current.size, bytes.length);
  }

  #entryDataDone(): void {
    const current = this.#current;
    this.#current = undefined;
    if (!current) return;
    if (current.longName) {
      this.#pendingName = cString(Buffer.concat(this.#longName ?? []));
      this.#longName = undefined;
    } else if (current.isFile) {
      this.#listener.end(current.path, current.size, "file");
    }
  }
}

function cString(bytes: Buffer): string {
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end === -1 ? bytes.length : end).toString("utf8");
}

/** Octal, or GNU base-256 for sizes of 8 GiB and more. */
function readSize(field: Buffer): number {
  if (((field[0] ?? 0) & 0x80) !== 0) {
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[i] ?? 0);
    return value;
  }
  const text = cString(field).trim();
  return text === "" ? 0 : Number.parseInt(text, 8);
}

function normalize(path: string): string {
  return path.replace(/^\.\//, "").replace(/\/$/, "");
}
