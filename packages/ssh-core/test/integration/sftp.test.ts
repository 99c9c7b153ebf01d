import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough, Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { beforeAll, describe, expect, it } from "vitest";
import type { SshClient } from "../../src/client/ssh-client.js";
import { SftpError, SftpStatus } from "../../src/errors.js";
import type { SftpSession } from "../../src/sftp/sftp-session.js";
import { describeWithSshd, sftpAgainstSshd } from "../support/sshd.js";

const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");
const MiB = 1024 * 1024;

describeWithSshd("SFTP against real sshd", () => {
  const scratch = sftpAgainstSshd("ssh-core-sftp-");
  let client: SshClient;
  let sftp: SftpSession;
  let remote: string;
  let local: string;
  let big: Buffer;
  let bigFile: string;

  beforeAll(async () => {
    ({ client, sftp, remote, local } = scratch);
    big = randomBytes(64 * MiB);
    bigFile = join(local, "big.bin");
    await writeFile(bigFile, big);
  });

  it("client.sftp() is shared per connection", async () => {
    expect(await client.sftp()).toBe(sftp);
    expect(sftp.extensions).toHaveProperty("posix-rename@openssh.com");
  });

  describe("metadata and tree operations", () => {
    it("stat, lstat, exists, realpath, readlink and symlink", async () => {
      await sftp.writeFile(`${remote}/a.txt`, "hello");
      await sftp.symlink(`${remote}/a.txt`, `${remote}/link`);
      const st = await sftp.stat(`${remote}/a.txt`);
      expect(st.isFile()).toBe(true);
      expect(st.size).toBe(5);
      expect((await sftp.stat(`${remote}/link`)).isFile()).toBe(true);
      expect((await sftp.lstat(`${remote}/link`)).isSymbolicLink()).toBe(true);
      expect(await sftp.readlink(`${remote}/link`)).toBe(`${remote}/a.txt`);
      expect(await sftp.exists(`${remote}/a.txt`)).toBe(true);
      expect(await sftp.exists(`${remote}/missing`)).toBe(false);
      expect(await sftp.realpath(`${remote}/./../${remote.split("/").at(-1)}/link`)).toBe(`${remote}/a.txt`);
      const home = (await client.run("pwd")).stdout.trim();
      expect(await sftp.realpath(".")).toBe(home);
    });

    it("a missing file is a typed error carrying the path and SFTP status", async () => {
      const error = await sftp.stat(`${remote}/nope`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SftpError);
      expect(error).toMatchObject({
        code: "SFTP_FAILED",
        status: SftpStatus.NO_SUCH_FILE,
        statusName: "NO_SUCH_FILE",
        operation: "stat",
        path: `${remote}/nope`,
      });
      expect((error as Error).message).toContain(`${remote}/nope`);
      const unlink = await sftp.unlink(`${remote}/nope`).catch((e: unknown) => e);
      expect(unlink).toMatchObject({ statusName: "NO_SUCH_FILE", operation: "unlink" });
      const get = await sftp.fastGet(`${remote}/nope`, join(local, "nope")).catch((e: unknown) => e);
      expect(get).toMatchObject({ statusName: "NO_SUCH_FILE", operation: "open", path: `${remote}/nope` });
    });

    it("mkdir: plain fails without the parent; recursive is mkdir -p and accepts existing dirs", async () => {
      const deep = `${remote}/x/y/z`;
      await expect(sftp.mkdir(deep)).rejects.toMatchObject({ statusName: "NO_SUCH_FILE" });
      await sftp.mkdir(deep, { recursive: true, mode: 0o750 });
      expect((await sftp.stat(deep)).isDirectory()).toBe(true);
      expect((await sftp.stat(deep)).mode & 0o777).toBe(0o750);
      await sftp.mkdir(deep, { recursive: true });
      await expect(sftp.mkdir(deep)).rejects.toBeInstanceOf(SftpError);
      // A file in the way is still an error.
      await sftp.writeFile(`${remote}/x/file`, "f");
      await expect(sftp.mkdir(`${remote}/x/file`, { recursive: true })).rejects.toBeInstanceOf(SftpError);
    });

    it("readdir lists entries without . and ..; rmdir refuses non-empty dirs unless recursive", async () => {
      await sftp.mkdir(`${remote}/d/sub`, { recursive: true });
      await sftp.writeFile(`${remote}/d/one`, "1");
      await sftp.writeFile(`${remote}/d/sub/two`, "22");
      const names = (await sftp.readdir(`${remote}/d`)).map((e) => e.filename).sort();
      expect(names).toEqual(["one", "sub"]);
      const entry = (await sftp.readdir(`${remote}/d`)).find((e) => e.filename === "sub");
      expect(entry?.attrs.isDirectory()).toBe(true);
      await expect(sftp.rmdir(`${remote}/d`)).rejects.toMatchObject({
        operation: "rmdir",
        path: `${remote}/d`,
      });
      await sftp.rmdir(`${remote}/d`, { recursive: true });
      expect(await sftp.exists(`${remote}/d`)).toBe(false);
    });

    it("rename replaces an existing target (posix-rename), unlink removes", async () => {
      await sftp.writeFile(`${remote}/r1`, "new");
      await sftp.writeFile(`${remote}/r2`, "old");
      await sftp.rename(`${remote}/r1`, `${remote}/r2`);
      expect((await sftp.readFile(`${remote}/r2`)).toString()).toBe("new");
      expect(await sftp.exists(`${remote}/r1`)).toBe(false);
      await sftp.unlink(`${remote}/r2`);
      expect(await sftp.exists(`${remote}/r2`)).toBe(false);
    });

    it("chmod, chown and utimes change what stat reports", async () => {
      const path = `${remote}/attrs`;
      await sftp.writeFile(path, "x");
      await sftp.chmod(path, 0o640);
      expect((await sftp.stat(path)).mode & 0o777).toBe(0o640);
      const before = await sftp.stat(path);
      await sftp.chown(path, before.uid, before.gid);
      await sftp.utimes(path, new Date("2001-02-03T04:05:06Z"), 1_000_000_000);
      const after = await sftp.stat(path);
      expect(after.atime).toBe(Date.parse("2001-02-03T04:05:06Z") / 1000);
      expect(after.mtime).toBe(1_000_000_000);
      const denied = await sftp.chown(path, 0, 0).catch((e: unknown) => e);
      expect(denied).toMatchObject({ statusName: "PERMISSION_DENIED", operation: "chown" });
    });
  });

  describe("file handles and streams", () => {
    it("open/read/write/fstat on a handle, counted in openHandles until closed", async () => {
      const file = await sftp.open(`${remote}/h.bin`, "w+");
      expect(sftp.openHandles).toBe(1);
      await file.write(Buffer.from("0123456789"), 0, 10, 0);
      await file.write(Buffer.from("AB"), 0, 2, 4);
      expect((await file.stat()).size).toBe(10);
      const buffer = Buffer.alloc(10);
      expect(await file.read(buffer, 0, 10, 0)).toBe(10);
      expect(buffer.toString()).toBe("0123AB6789");
      expect(await file.read(buffer, 0, 10, 10)).toBe(0);
      await file.close();
      await file.close();
      expect(sftp.openHandles).toBe(0);
    });

    it("createWriteStream and createReadStream (with start/end) move data in order", async () => {
      const data = randomBytes(3 * MiB + 123);
      const out = sftp.createWriteStream(`${remote}/stream.bin`, { concurrency: 8 });
      await pipeline(Readable.from([data.subarray(0, 1000), data.subarray(1000)]), out);
      expect(out.bytesWritten).toBe(data.length);
      expect(sha256(await sftp.readFile(`${remote}/stream.bin`))).toBe(sha256(data));

      const chunks: Buffer[] = [];
      for await (const chunk of sftp.createReadStream(`${remote}/stream.bin`, { chunkSize: 100_000 })) {
        chunks.push(chunk as Buffer);
      }
      expect(sha256(Buffer.concat(chunks))).toBe(sha256(data));

      const part: Buffer[] = [];
      for await (const chunk of sftp.createReadStream(`${remote}/stream.bin`, { start: 10, end: 200_009 })) {
        part.push(chunk as Buffer);
      }
      expect(Buffer.concat(part).equals(data.subarray(10, 200_010))).toBe(true);
      expect(sftp.openHandles).toBe(0);
    });

    it("a source that refills one buffer between chunks still lands byte-exact (stream and fastPut)", async () => {
      const data = randomBytes(4 * MiB + 77);
      const piece = 300_000;
      // Yields the same Buffer every time, overwritten as soon as the next chunk is asked for.
      async function* reusing(): AsyncGenerator<Buffer> {
        const buffer = Buffer.alloc(piece);
        for (let at = 0; at < data.length; at += piece) {
          const n = data.copy(buffer, 0, at, Math.min(at + piece, data.length));
          yield buffer.subarray(0, n);
        }
      }
      await sftp.fastPut(reusing(), `${remote}/reused-put.bin`);
      expect(sha256(await sftp.readFile(`${remote}/reused-put.bin`))).toBe(sha256(data));
      // A writer that refills its buffer as soon as each write is acknowledged.
      const out = sftp.createWriteStream(`${remote}/reused-stream.bin`, { concurrency: 8 });
      const buffer = Buffer.alloc(piece);
      for (let at = 0; at < data.length; at += piece) {
        const n = data.copy(buffer, 0, at, Math.min(at + piece, data.length));
        await new Promise<void>((resolve, reject) =>
          out.write(buffer.subarray(0, n), (error) => (error ? reject(error) : resolve())),
        );
      }
      await new Promise<void>((resolve, reject) => {
        out.once("error", reject);
        out.end(() => resolve());
      });
      expect(sha256(await sftp.readFile(`${remote}/reused-stream.bin`))).toBe(sha256(data));
    });

    it("a read stream of a missing file errors with the typed error", async () => {
      const stream = sftp.createReadStream(`${remote}/absent`);
      const error = await new Promise((resolve) => stream.once("error", resolve));
      expect(error).toMatchObject({ statusName: "NO_SUCH_FILE", path: `${remote}/absent` });
    });
  });

  describe("fast transfers", () => {
    it("puts and gets 64 MiB byte-identically, with progress ending at the total", async () => {
      const putProgress: [number, number | undefined][] = [];
      const put = await sftp.fastPut(bigFile, `${remote}/big.bin`, {
        onProgress: (n, total) => putProgress.push([n, total]),
      });
      expect(put.bytes).toBe(big.length);
      expect(putProgress.length).toBeGreaterThan(10);
      expect(putProgress.every(([, total]) => total === big.length)).toBe(true);
      expect(putProgress.every(([n], i) => i === 0 || n > (putProgress[i - 1]?.[0] ?? 0))).toBe(true);
      expect(putProgress.at(-1)).toEqual([big.length, big.length]);
      // The remote copy (read locally: the server runs on this machine).
      expect(sha256(await readFile(`${remote}/big.bin`))).toBe(sha256(big));

      const target = join(local, "big.copy");
      const getProgress: number[] = [];
      const got = await sftp.fastGet(`${remote}/big.bin`, target, { onProgress: (n) => getProgress.push(n) });
      expect(got.bytes).toBe(big.length);
      expect(getProgress.at(-1)).toBe(big.length);
      expect(sha256(await readFile(target))).toBe(sha256(big));
      expect(sftp.openHandles).toBe(0);
    });

    it("gets into a Writable in order and puts from a Readable of unknown size", async () => {
      const chunks: Buffer[] = [];
      let slow = 0;
      const sink = new Writable({
        highWaterMark: 1024,
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          // Backpressure now and then.
          if (++slow % 7 === 0) setImmediate(callback);
          else callback();
        },
      });
      await sftp.fastGet(`${remote}/big.bin`, sink, { chunkSize: 64 * 1024 });
      expect(sha256(Buffer.concat(chunks))).toBe(sha256(big));

      const progress: [number, number | undefined][] = [];
      const result = await sftp.fastPut(createReadStream(bigFile), `${remote}/from-stream.bin`, {
        onProgress: (n, total) => progress.push([n, total]),
      });
      expect(result.bytes).toBe(big.length);
      expect(progress.slice(0, -1).every(([, total]) => total === undefined)).toBe(true);
      expect(progress.at(-1)).toEqual([big.length, big.length]);
      expect(sha256(await readFile(`${remote}/from-stream.bin`))).toBe(sha256(big));
    });

    it("an empty file reports one final progress of 0 of 0", async () => {
      await writeFile(join(local, "empty"), "");
      const progress: [number, number | undefined][] = [];
      await sftp.fastPut(join(local, "empty"), `${remote}/empty`, {
        onProgress: (n, t) => progress.push([n, t]),
      });
      expect(progress).toEqual([[0, 0]]);
      await sftp.fastGet(`${remote}/empty`, join(local, "empty.copy"));
      expect((await stat(join(local, "empty.copy"))).size).toBe(0);
    });

    it("abort mid-put rejects with AbortError, closes the handles and leaves the session usable", async () => {
      const controller = new AbortController();
      const error = await sftp
        .fastPut(bigFile, `${remote}/aborted.bin`, {
          signal: controller.signal,
          onProgress: (n) => {
            if (n >= 8 * MiB) controller.abort(new Error("user cancelled"));
          },
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ name: "AbortError", code: "ABORTED" });
      expect((error as Error).message).toMatch(/aborted/i);
      expect(sftp.openHandles).toBe(0);
      const partial = (await sftp.stat(`${remote}/aborted.bin`)).size;
      expect(partial).toBeLessThan(big.length);
      expect(await sftp.exists(`${remote}/big.bin`)).toBe(true);
    });

    it("abort mid-get into a stream, and an already aborted signal never opens a handle", async () => {
      const controller = new AbortController();
      const sink = new PassThrough();
      sink.resume();
      const error = await sftp
        .fastGet(`${remote}/big.bin`, sink, {
          signal: controller.signal,
          onProgress: (n) => n > 4 * MiB && controller.abort(),
        })
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "ABORTED" });
      expect(sftp.openHandles).toBe(0);
      const again = await sftp
        .fastPut(Buffer.from("x"), `${remote}/never`, { signal: AbortSignal.abort() })
        .catch((e: unknown) => e);
      expect(again).toMatchObject({ code: "ABORTED" });
      expect(sftp.openHandles).toBe(0);
    });

    it("a failing destination stops the transfer with its error", async () => {
      const broken = new Writable({
        write(_chunk, _encoding, callback) {
          callback(new Error("disk full"));
        },
      });
      broken.on("error", () => {});
      await expect(sftp.fastGet(`${remote}/big.bin`, broken)).rejects.toThrow("disk full");
      expect(sftp.openHandles).toBe(0);
    });
  });
});
