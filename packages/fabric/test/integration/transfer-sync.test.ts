// Connection.sync against the real sshd: only changed files move, deletes on request, dry runs, checksums.
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { Connection } from "../../src/connection/connection.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

describeWithSshd("sync against real sshd", () => {
  let sshd: SshdHarness;
  let c: Connection;
  let src: string;
  let remote: string;

  const remoteState = async () =>
    (
      await c.run(
        `cd ${remote} && find . -mindepth 1 | sort | while read -r p; do if [ -L "$p" ]; then echo "$p -> $(readlink "$p")"; elif [ -d "$p" ]; then echo "$p/"; else echo "$p $(cat "$p")"; fi; done`,
        { hide: true },
      )
    ).stdout;

  beforeAll(async () => {
    sshd = await startSshd();
    c = new Connection("host1", { config: harnessConfig(sshd) });
  });
  afterAll(async () => {
    await c?.close();
    await sshd?.stop();
  });
  beforeEach(async () => {
    src = await mkdtemp(join(tmpdir(), "fabric-sync-"));
    remote = `/tmp/fabric-sync-${process.pid}-${Math.random().toString(36).slice(2)}`;
    await mkdir(join(src, "conf", "d"), { recursive: true });
    await writeFile(join(src, "a.txt"), "a1");
    await writeFile(join(src, "conf", "b.txt"), "b1");
    await writeFile(join(src, "conf", "d", "c.txt"), "c1");
    await writeFile(join(src, "skip.log"), "never");
    await symlink("a.txt", join(src, "link"));
    return async () => {
      await rm(src, { recursive: true, force: true });
      await c.run(`rm -rf ${remote}`, { hide: true });
    };
  });

  it("copies everything the first time, nothing the second, then only what changed", async () => {
    const first = await c.sync(src, remote, { exclude: "*.log" });
    expect(first.sent.sort()).toEqual(["a.txt", "conf/b.txt", "conf/d/c.txt", "link"]);
    expect(first.created.sort()).toEqual(["conf", "conf/d"]);
    expect(first.bytes).toBe(6);
    expect(await remoteState()).toBe(
      "./a.txt a1\n./conf/\n./conf/b.txt b1\n./conf/d/\n./conf/d/c.txt c1\n./link -> a.txt\n",
    );

    const second = await c.sync(src, remote, { exclude: "*.log" });
    expect(second.sent).toEqual([]);
    expect(second.created).toEqual([]);
    expect(second.bytes).toBe(0);
    expect(second.unchanged).toBe(6);

    await writeFile(join(src, "conf", "b.txt"), "b2 longer");
    await writeFile(join(src, "new.txt"), "n");
    const sent: string[] = [];
    const third = await c.sync(src, remote, {
      exclude: "*.log",
      onFileProgress: (file) => {
        if (file.done) sent.push(file.path);
      },
    });
    expect(third.sent.sort()).toEqual(["conf/b.txt", "new.txt"]);
    expect(sent.sort()).toEqual(["conf/b.txt", "new.txt"]);
    expect(third.bytes).toBe(10);
    expect(await remoteState()).toContain("./conf/b.txt b2 longer\n");
  });

  it("reports extraneous remote files, deletes them only with delete, and never excluded ones", async () => {
    await c.sync(src, remote, { exclude: "*.log" });
    await c.run(
      `mkdir -p ${remote}/old/deeper && echo x > ${remote}/old/deeper/x && echo y > ${remote}/stale.txt && echo keep > ${remote}/remote.log`,
      { hide: true },
    );
    const kept = await c.sync(src, remote, { exclude: "*.log" });
    expect(kept.extraneous.sort()).toEqual(["old", "stale.txt"]);
    expect(kept.deleted).toEqual([]);
    expect(await remoteState()).toContain("./stale.txt y\n");

    const dry = await c.sync(src, remote, { exclude: "*.log", delete: true, dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.deleted.sort()).toEqual(["old", "stale.txt"]);
    expect(await remoteState()).toContain("./old/deeper/x x\n");

    const removed = await c.sync(src, remote, { exclude: "*.log", delete: true });
    expect(removed.deleted.sort()).toEqual(["old", "stale.txt"]);
    expect(await remoteState()).toBe(
      "./a.txt a1\n./conf/\n./conf/b.txt b1\n./conf/d/\n./conf/d/c.txt c1\n./link -> a.txt\n./remote.log keep\n",
    );
  });

  it("a dry run changes nothing and reports what would move", async () => {
    const dry = await c.sync(src, remote, { dryRun: true });
    expect(dry.sent.sort()).toEqual(["a.txt", "conf/b.txt", "conf/d/c.txt", "link", "skip.log"]);
    expect(dry.bytes).toBe(11);
    const exists = await c.run(`test -e ${remote}`, { hide: true, warn: true });
    expect(exists.exited).not.toBe(0);
  });

  it("with checksum, finds same-size same-mtime edits and skips touched-but-equal files", async () => {
    await c.sync(src, remote);
    // Same size, same mtime, different content: only a checksum sees it.
    await writeFile(join(src, "a.txt"), "A1");
    await utimes(join(src, "a.txt"), 1_500_000_000, 1_500_000_000);
    await c.run(`touch -d @1500000000 ${remote}/a.txt`, { hide: true });
    const quick = await c.sync(src, remote);
    expect(quick.sent).toEqual([]);
    // Same content, different mtime: the quick check resends, a checksum does not.
    await utimes(join(src, "conf", "b.txt"), 1_600_000_000, 1_600_000_000);
    const summed = await c.sync(src, remote, { checksum: true });
    expect(summed.sent).toEqual(["a.txt"]);
    expect(await remoteState()).toContain("./a.txt A1\n");
  });

  it("replaces a remote entry of another type", async () => {
    await c.run(`mkdir -p ${remote}/a.txt/inner && echo z > ${remote}/conf`, { hide: true });
    const report = await c.sync(src, remote, { exclude: "*.log" });
    expect(report.deleted.sort()).toEqual(["a.txt", "conf"]);
    expect(await remoteState()).toBe(
      "./a.txt a1\n./conf/\n./conf/b.txt b1\n./conf/d/\n./conf/d/c.txt c1\n./link -> a.txt\n",
    );
  });
});
