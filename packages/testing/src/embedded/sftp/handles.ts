import type { Dir } from "node:fs";
import type { FileHandle } from "node:fs/promises";

export interface OpenFile {
  kind: "file";
  path: string;
  file: FileHandle;
}

export interface OpenDirectory {
  kind: "dir";
  path: string;
  dir: Dir;
  /** `.` and `..` go out first, like readdir(3) returns them. */
  sentDots: boolean;
  done: boolean;
}

type Entry = OpenFile | OpenDirectory;

/** Open files and directories of one SFTP session, keyed by the opaque handle sent to the client. */
export class HandleTable {
  private next = 0;
  private readonly entries = new Map<string, Entry>();

  add(entry: Entry): Buffer {
    const handle = Buffer.alloc(4);
    handle.writeUInt32BE(this.next++ >>> 0);
    this.entries.set(handle.toString("hex"), entry);
    return handle;
  }

  file(handle: Buffer): OpenFile | undefined {
    const entry = this.entries.get(handle.toString("hex"));
    return entry?.kind === "file" ? entry : undefined;
  }

  dir(handle: Buffer): OpenDirectory | undefined {
    const entry = this.entries.get(handle.toString("hex"));
    return entry?.kind === "dir" ? entry : undefined;
  }

  /** Removes and returns the entry, or undefined for an unknown handle. */
  take(handle: Buffer): Entry | undefined {
    const key = handle.toString("hex");
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry;
  }

  async closeAll(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(
      all.map((entry) => (entry.kind === "file" ? entry.file.close() : entry.dir.close())),
    );
  }
}

export function closeEntry(entry: Entry): Promise<void> {
  return entry.kind === "file" ? entry.file.close() : entry.dir.close();
}
