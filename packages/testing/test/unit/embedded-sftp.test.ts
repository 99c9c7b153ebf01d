import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdtemp, readFile, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client, FileEntry, SFTPWrapper, Stats } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedHosts, type EmbeddedSftpEvent, startEmbeddedHosts } from "../../src/embedded/index.js";
import {
  call,
  connectClient,
  embeddedTarget,
  openSftp,
  runProgram,
  sshArgs,
} from "../support/embedded-helpers.js";

async function sha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

describe("embedded hosts: sftp subsystem", () => {
  let group: EmbeddedHosts;
  let client: Client;
  let sftp: SFTPWrapper;
  let local: string;
  let dir: string;

  beforeAll(async () => {
    group = await startEmbeddedHosts({ hosts: ["files"] });
    dir = group.host("files").dir;
    client = await connectClient(embeddedTarget(group, "files"));
    sftp = await openSftp(client);
    local = await mkdtemp(join(tmpdir(), "fabric-ts-sftp-"));
  });
  afterAll(async () => {
    client?.end();
    await group?.stop();
    await rm(local, { recursive: true, force: true });
  });

  it("moves 64 MiB up and down byte-identically with pipelined requests", async () => {
    const source = join(local, "64m.bin");
    await writeFile(source, randomBytes(64 * 1024 * 1024));
    await call((cb) => sftp.fastPut(source, "64m.bin", { concurrency: 64, chunkSize: 32 * 1024 }, cb));
    expect((await stat(join(dir, "64m.bin"))).size).toBe(64 * 1024 * 1024);
    const back = join(local, "64m-back.bin");
    await call((cb) => sftp.fastGet("64m.bin", back, { concurrency: 64, chunkSize: 32 * 1024 }, cb));
    const expected = await sha256(source);
    expect(await sha256(join(dir, "64m.bin"))).toBe(expected);
    expect(await sha256(back)).toBe(expected);
  });

  it("OpenSSH sftp moves 16 MiB byte-identically", async () => {
    const source = join(local, "16m.bin");
    await writeFile(source, randomBytes(16 * 1024 * 1024));
    const batch = join(local, "batch");
    await writeFile(batch, `put ${source} 16m.bin\nget 16m.bin ${join(local, "16m-back.bin")}\n`);
    const result = await runProgram("sftp", [
      ...sshArgs(embeddedTarget(group, "files")),
      "-b",
      batch,
      "files",
    ]);
    expect(result.code).toBe(0);
    const expected = await sha256(source);
    expect(await sha256(join(dir, "16m.bin"))).toBe(expected);
    expect(await sha256(join(local, "16m-back.bin"))).toBe(expected);
  });

  it("reports EOF past the end and honours write offsets", async () => {
    await writeFile(join(dir, "offsets.txt"), "0123456789");
    const handle = await call<Buffer>((cb) => sftp.open("offsets.txt", "r+", cb));
    await call((cb) => sftp.write(handle, Buffer.from("AB"), 0, 2, 4, cb));
    const buffer = Buffer.alloc(10);
    const read = await call<number>((cb) =>
      sftp.read(handle, buffer, 0, 10, 0, (error, bytes) => cb(error, bytes)),
    );
    expect(buffer.subarray(0, read).toString()).toBe("0123AB6789");
    const pastEnd = await call<number>((cb) =>
      sftp.read(handle, buffer, 0, 10, 10, (error, bytes) => cb(error, bytes)),
    );
    expect(pastEnd).toBe(0);
    const fstats = await call<Stats>((cb) => sftp.fstat(handle, cb));
    expect(fstats.size).toBe(10);
    await call((cb) => sftp.fsetstat(handle, { size: 4 }, cb));
    await call((cb) => sftp.close(handle, cb));
    expect(await readFile(join(dir, "offsets.txt"), "utf8")).toBe("0123");
    await expect(call((cb) => sftp.close(handle, cb))).rejects.toMatchObject({ code: 4 });
  });

  it("creates files with the requested mode, refuses an exclusive create over an existing file", async () => {
    const handle = await call<Buffer>((cb) => sftp.open("mode.txt", "w", { mode: 0o600 }, cb));
    await call((cb) => sftp.close(handle, cb));
    expect((await stat(join(dir, "mode.txt"))).mode & 0o777).toBe(0o600);
    await expect(call((cb) => sftp.open("mode.txt", "wx", cb))).rejects.toMatchObject({ code: 4 });
  });

  it("sets times and lists entries with attrs and an ls -l style longname", async () => {
    await writeFile(join(dir, "dated.txt"), "12345");
    await call((cb) => sftp.utimes("dated.txt", 1_000_000_000, 1_500_000_000, cb));
    const stats = await call<Stats>((cb) => sftp.stat("dated.txt", cb));
    expect([stats.atime, stats.mtime]).toEqual([1_000_000_000, 1_500_000_000]);
    const entries = await call<FileEntry[]>((cb) => sftp.readdir(".", cb));
    const dated = entries.find((entry) => entry.filename === "dated.txt");
    expect(dated?.attrs.size).toBe(5);
    expect(dated?.longname).toMatch(/^-rw-\S{6} +1 \S+ +\S+ +5 Jul 1[34] {2}2017 dated\.txt$/);
    expect(entries.some((entry) => entry.filename === "." || entry.filename === "..")).toBe(false);
  });

  it("pages a large directory through several READDIR replies", async () => {
    await call((cb) => sftp.mkdir("many", cb));
    await Promise.all(Array.from({ length: 250 }, (_, i) => writeFile(join(dir, "many", `f${i}`), "")));
    const entries = await call<FileEntry[]>((cb) => sftp.readdir("many", cb));
    expect(entries.length).toBe(250);
    // ssh2 keeps "." and ".." with `full` (missing from its typings).
    const readdirFull = sftp.readdir as unknown as (
      path: string,
      options: { full: boolean },
      cb: (error: Error | undefined, list: FileEntry[]) => void,
    ) => void;
    const full = await call<FileEntry[]>((cb) => readdirFull.call(sftp, "many", { full: true }, cb));
    expect(full.map((entry) => entry.filename)).toEqual(expect.arrayContaining([".", ".."]));
  });

  it("reports dangling symlinks through lstat and not stat", async () => {
    await symlink("nowhere", join(dir, "dangling"));
    const lstats = await call<Stats>((cb) => sftp.lstat("dangling", cb));
    expect(lstats.isSymbolicLink()).toBe(true);
    await expect(call((cb) => sftp.stat("dangling", cb))).rejects.toMatchObject({ code: 2 });
    await expect(call((cb) => sftp.opendir("dangling", cb))).rejects.toMatchObject({ code: 2 });
  });

  it("emits an sftp event per path operation with its status", async () => {
    const events: EmbeddedSftpEvent[] = [];
    const host = group.host("files");
    const listener = (event: EmbeddedSftpEvent) => events.push(event);
    host.on("sftp", listener);
    try {
      await call((cb) => sftp.mkdir("evented", cb));
      await expect(call((cb) => sftp.stat("evented/missing", cb))).rejects.toBeTruthy();
    } finally {
      host.off("sftp", listener);
    }
    expect(events.map((e) => [e.operation, e.path, e.status])).toEqual([
      ["mkdir", join(dir, "evented"), 0],
      ["stat", join(dir, "evented", "missing"), 2],
    ]);
  });
});
