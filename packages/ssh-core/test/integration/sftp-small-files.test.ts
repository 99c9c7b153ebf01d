// SftpSession's pipelined small-file capability (putSmallFile / getSmallFile) against a real sshd:
// contents, exact modes and times, empty files, request-size boundaries, and files whose size
// changed since they were listed.
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, expect, it } from "vitest";
import { SftpError } from "../../src/errors.js";
import type { SftpSession } from "../../src/sftp/sftp-session.js";
import { describeWithSshd, sftpAgainstSshd } from "../support/sshd.js";

const KiB = 1024;

describeWithSshd("SftpSession small files against real sshd", () => {
  const scratch = sftpAgainstSshd("ssh-core-small-");
  let sftp: SftpSession;
  let remote: string;
  let local: string;
  beforeAll(() => {
    ({ sftp, remote, local } = scratch);
  });

  it("names its size limit: 256 KiB", () => {
    expect(sftp.smallFileBytes).toBe(256 * KiB);
  });

  it("puts a file in several requests, with the mode set exactly (no umask) and the times", async () => {
    const data = randomBytes(100 * KiB + 7);
    const from = join(local, "put.bin");
    await writeFile(from, data);
    const seen: [number, number | undefined][] = [];
    const bytes = await sftp.putSmallFile(from, `${remote}/put.bin`, {
      mode: 0o666,
      times: { atime: 1_600_000_000, mtime: 1_500_000_000 },
      onProgress: (transferred, total) => seen.push([transferred, total]),
    });
    expect(bytes).toBe(data.length);
    expect(seen.at(-1)).toEqual([data.length, data.length]);
    expect(Buffer.compare(await sftp.readFile(`${remote}/put.bin`), data)).toBe(0);
    const stats = await sftp.stat(`${remote}/put.bin`);
    expect(stats.mode & 0o777).toBe(0o666);
    expect(stats.mtime).toBe(1_500_000_000);
  });

  it("truncates an existing remote file and handles an empty one", async () => {
    await sftp.writeFile(`${remote}/empty.bin`, "old contents");
    const from = join(local, "empty.bin");
    await writeFile(from, "");
    const seen: [number, number | undefined][] = [];
    const bytes = await sftp.putSmallFile(from, `${remote}/empty.bin`, {
      onProgress: (transferred, total) => seen.push([transferred, total]),
    });
    expect(bytes).toBe(0);
    expect(seen).toEqual([[0, 0]]);
    expect((await sftp.stat(`${remote}/empty.bin`)).size).toBe(0);
  });

  it("gets a file whose size is exactly a multiple of the request size", async () => {
    const data = randomBytes(64 * KiB);
    await sftp.writeFile(`${remote}/exact.bin`, data);
    const to = join(local, "exact.bin");
    expect(await sftp.getSmallFile(`${remote}/exact.bin`, to, data.length)).toBe(data.length);
    expect(Buffer.compare(await readFile(to), data)).toBe(0);
  });

  it("reads on to the end of a file that grew or shrank since it was listed", async () => {
    const data = randomBytes(150 * KiB + 3);
    await sftp.writeFile(`${remote}/changed.bin`, data);
    const grown = join(local, "grown.bin");
    const seen: [number, number | undefined][] = [];
    const bytes = await sftp.getSmallFile(`${remote}/changed.bin`, grown, 40 * KiB, (transferred, total) =>
      seen.push([transferred, total]),
    );
    expect(bytes).toBe(data.length);
    expect(Buffer.compare(await readFile(grown), data)).toBe(0);
    expect(seen.at(-1)).toEqual([data.length, data.length]);
    const shrunk = join(local, "shrunk.bin");
    expect(await sftp.getSmallFile(`${remote}/changed.bin`, shrunk, 200 * KiB)).toBe(data.length);
    expect(Buffer.compare(await readFile(shrunk), data)).toBe(0);
  });

  it("fails with the SFTP error of a missing remote file", async () => {
    await expect(
      sftp.getSmallFile(`${remote}/missing.bin`, join(local, "missing.bin"), 10),
    ).rejects.toBeInstanceOf(SftpError);
  });
});
