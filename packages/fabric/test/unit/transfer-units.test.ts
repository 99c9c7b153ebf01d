// Unit tests of the transfer building blocks: globs, the sync planner, the tar stream watcher,
// progress totals and the progress bar. No network.
import { execFileSync } from "node:child_process";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { describe, expect, it } from "vitest";
import { formatBytes, formatEta, ProgressBar } from "../../src/output/progress.js";
import { runPool as forEachLimited } from "../../src/pool.js";
import { compileGlob, PathFilter } from "../../src/transfer/glob.js";
import { walkLocal } from "../../src/transfer/local-tree.js";
import { ProgressTracker } from "../../src/transfer/progress.js";
import { splitRemoteGlob } from "../../src/transfer/remote-glob.js";
import { checksumCandidates, planSync } from "../../src/transfer/sync-plan.js";
import { TarWatcher } from "../../src/transfer/tar-progress.js";
import type { TreeEntry } from "../../src/transfer/tree.js";

describe("compileGlob", () => {
  it.each([
    ["*.log", "a.log", true],
    ["*.log", "deep/dir/a.log", true],
    ["*.log", "a.logx", false],
    ["/*.log", "deep/a.log", false],
    ["/*.log", "a.log", true],
    ["src/*.ts", "src/a.ts", true],
    ["src/*.ts", "src/x/a.ts", false],
    ["src/**/*.ts", "src/a.ts", true],
    ["src/**/*.ts", "src/x/y/a.ts", true],
    ["**/node_modules", "a/b/node_modules", true],
    ["a/**", "a/b/c", true],
    ["f?.txt", "f1.txt", true],
    ["f?.txt", "f10.txt", false],
    ["f[0-4].txt", "f3.txt", true],
    ["f[!0-4].txt", "f7.txt", true],
    ["f[!0-4].txt", "f3.txt", false],
    ["*.{js,ts}", "x.ts", true],
    ["*.{js,ts}", "x.rs", false],
    ["a+b(1).txt", "a+b(1).txt", true],
  ])("%s matches %s: %s", (pattern, path, expected) => {
    expect(compileGlob(pattern).matches(path, false)).toBe(expected);
  });

  it("matches directories only with a trailing slash", () => {
    const glob = compileGlob("cache/");
    expect(glob.matches("x/cache", true)).toBe(true);
    expect(glob.matches("x/cache", false)).toBe(false);
  });

  it("filters: exclusion wins, include selects files only", () => {
    const filter = new PathFilter({ include: "*.conf", exclude: ["secret*"] });
    expect(filter.visits("etc", true)).toBe(true);
    expect(filter.keeps("etc/app.conf")).toBe(true);
    expect(filter.keeps("etc/app.txt")).toBe(false);
    expect(filter.visits("etc/secret.conf", false)).toBe(false);
  });
});

describe("walkLocal", () => {
  it("lists parents first, skips excluded subtrees and applies the symlink policy", async () => {
    const root = await mkdtemp(join(tmpdir(), "fabric-walk-"));
    try {
      await mkdir(join(root, "a", "b"), { recursive: true });
      await mkdir(join(root, "node_modules", "x"), { recursive: true });
      await writeFile(join(root, "a", "b", "f.txt"), "f");
      await writeFile(join(root, "node_modules", "x", "big"), "x");
      await symlink("a", join(root, "to-a"));
      const preserve = await walkLocal(root, new PathFilter({ exclude: "node_modules" }), "preserve");
      expect(preserve.entries.map((e) => `${e.type}:${e.path}`)).toEqual([
        "directory:a",
        "directory:a/b",
        "file:a/b/f.txt",
        "symlink:to-a",
      ]);
      expect(preserve.skipped).toEqual(["node_modules"]);
      const follow = await walkLocal(root, new PathFilter({ exclude: "node_modules" }), "follow");
      expect(follow.entries.map((e) => e.path)).toContain("to-a/b/f.txt");
      await symlink("..", join(root, "a", "loop"));
      await expect(walkLocal(root, new PathFilter(), "follow")).rejects.toThrow(/Symlink cycle/);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

const file = (path: string, size: number, mtime: number, mode = 0o644): TreeEntry => ({
  path,
  type: "file",
  mode,
  size,
  mtime,
  atime: mtime,
});
const dir = (path: string, mode = 0o755): TreeEntry => ({
  path,
  type: "directory",
  mode,
  size: 0,
  mtime: 1,
  atime: 1,
});

describe("planSync", () => {
  it("sends new and changed files, keeps equal ones, lists only top-most extraneous entries", () => {
    const local = [
      dir("d"),
      file("d/same", 3, 100),
      file("d/newer", 3, 200),
      file("d/grown", 4, 100),
      file("new", 1, 1),
    ];
    const remote = [
      dir("d"),
      file("d/same", 3, 100),
      file("d/newer", 3, 100),
      file("d/grown", 3, 100),
      dir("gone"),
      file("gone/inner", 1, 1),
      file("stale", 1, 1),
    ];
    const plan = planSync(local, remote, { preserveMode: true });
    expect(plan.send.map((e) => e.path)).toEqual(["d/newer", "d/grown", "new"]);
    expect(plan.extraneous.map((e) => e.path)).toEqual(["gone", "stale"]);
    expect(plan.unchanged).toBe(2);
    expect(plan.mkdir).toEqual([]);
  });

  it("fixes modes alone, replaces entries of another type, compares checksums when given", () => {
    const local = [file("m", 1, 1, 0o600), dir("was-file"), file("c", 2, 5)];
    const remote = [file("m", 1, 1, 0o644), file("was-file", 1, 1), file("c", 2, 9)];
    const plan = planSync(local, remote, {
      preserveMode: true,
      checksums: {
        local: new Map([
          ["c", "aa"],
          ["m", "bb"],
        ]),
        remote: new Map([
          ["c", "aa"],
          ["m", "bb"],
        ]),
      },
    });
    expect(plan.chmod.map((e) => e.path)).toEqual(["m"]);
    expect(plan.replace.map((e) => e.path)).toEqual(["was-file"]);
    expect(plan.mkdir.map((e) => e.path)).toEqual(["was-file"]);
    expect(plan.send).toEqual([]);
    expect(checksumCandidates(local, remote)).toEqual(["m", "c"]);
  });
});

describe("TarWatcher", () => {
  it("reports every file of a real tar stream with its exact size, long names included", async () => {
    const root = await mkdtemp(join(tmpdir(), "fabric-tarw-"));
    try {
      const long = `${"n".repeat(120)}/${"m".repeat(120)}.bin`;
      await mkdir(join(root, "n".repeat(120)), { recursive: true });
      await writeFile(join(root, long), Buffer.alloc(70_000, 1));
      await writeFile(join(root, "empty"), "");
      await writeFile(join(root, "small"), "abc");
      await symlink("small", join(root, "link"));
      const archive = execFileSync("tar", ["-C", root, "-cf", "-", "."], { maxBuffer: 1 << 24 });
      const seen = new Map<string, number>();
      const ends: string[] = [];
      const watcher = new TarWatcher({
        data: (path, _size, bytes) => seen.set(path, (seen.get(path) ?? 0) + bytes),
        end: (path, size, type) => ends.push(`${type}:${path}:${size}`),
      });
      const out: Buffer[] = [];
      // Odd-sized chunks: headers and data split across writes.
      const chunks = [];
      for (let i = 0; i < archive.length; i += 333) chunks.push(archive.subarray(i, i + 333));
      await pipeline(
        Readable.from(chunks),
        watcher,
        new Writable({
          write(chunk: Buffer, _e, cb) {
            out.push(chunk);
            cb();
          },
        }),
      );
      expect(Buffer.concat(out).equals(archive)).toBe(true);
      expect(seen.get(long)).toBe(70_000);
      expect(seen.get("small")).toBe(3);
      expect(ends).toEqual(
        expect.arrayContaining([`file:${long}:70000`, "file:empty:0", "file:small:3", "symlink:link:0"]),
      );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

describe("ProgressTracker", () => {
  it("adds per-file progress into totals and ends with one done report per file", () => {
    const totals: [number, number | undefined][] = [];
    const files: string[] = [];
    const tracker = new ProgressTracker(
      30,
      (d, t) => totals.push([d, t]),
      (f) => files.push(`${f.path}:${f.transferred}:${f.done}`),
    );
    const a = tracker.file("a", 10);
    const b = tracker.file("b", 20);
    a(5, 10);
    b(20, 20);
    a(10, 10);
    tracker.fileDone("a", 10);
    tracker.fileDone("b", 20);
    tracker.finish();
    expect(totals.map(([d]) => d)).toEqual([5, 25, 30, 30]);
    expect(totals.every(([, t]) => t === 30)).toBe(true);
    expect(files.filter((f) => f.endsWith("true"))).toEqual(["a:10:true", "b:20:true"]);
  });
});

describe("ProgressBar", () => {
  const sink = () => {
    const writes: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _e, cb) {
        writes.push(chunk.toString());
        cb();
      },
    });
    return { stream, writes };
  };

  it("draws rows and a total in place on a TTY", () => {
    const { stream, writes } = sink();
    let now = 0;
    const bar = new ProgressBar({ stream, enabled: true, columns: 80, interval: 100, now: () => now });
    const web1 = bar.row("web1");
    const web2 = bar.row("web2");
    web1.onProgress(512, 1024);
    now = 50;
    web2.onProgress(10, 1024); // throttled
    expect(writes).toHaveLength(1);
    now = 1000;
    web1.end(true);
    web2.end(false);
    const lines = bar.lines();
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^web1 .*\[#+\] +done 512 B\/1\.0 KiB/);
    expect(lines[1]).toMatch(/failed/);
    expect(lines[2]).toMatch(/^total 2\/2 .*failed 522 B\/2\.0 KiB/);
    expect(writes.at(-1)).toContain("\x1b[3A"); // redrawn over the previous three lines
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("shows the time left while a transfer of known size runs", () => {
    const { stream } = sink();
    let now = 0;
    const bar = new ProgressBar({ stream, enabled: true, columns: 100, now: () => now });
    const row = bar.row("eco: app.tar");
    now = 2000;
    row.onProgress(1024 * 1024, 6 * 1024 * 1024); // 0.5 MiB/s, 5 MiB to go
    expect(bar.lines()[0]).toMatch(/^eco: app\.tar .* 16% 1\.0 MiB\/6\.0 MiB 512\.0 KiB\/s ETA 10s$/);
    row.end(true);
    expect(bar.lines()[0]).not.toContain("ETA");
    expect([formatEta(5), formatEta(125), formatEta(3720)]).toEqual(["5s", "2m05s", "1h02m"]);
  });

  it("writes nothing when the stream is not a TTY", () => {
    const { stream, writes } = sink();
    const bar = new ProgressBar({ stream });
    const row = bar.row("h");
    row.onProgress(1, 2);
    row.end(true);
    bar.finish();
    expect(bar.enabled).toBe(false);
    expect(writes).toEqual([]);
  });

  it("formats sizes", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(3 * 1024 * 1024)).toBe("3.0 MiB");
  });
});

describe("helpers", () => {
  it("splits a remote glob at its first pattern segment", () => {
    expect(splitRemoteGlob("/var/log/**/*.gz")).toEqual({ base: "/var/log", segments: ["**", "*.gz"] });
    expect(splitRemoteGlob("/*.conf")).toEqual({ base: "/", segments: ["*.conf"] });
  });

  it("forEachLimited bounds concurrency and rethrows the first failure after the running ones settle", async () => {
    let running = 0;
    let peak = 0;
    const finished: number[] = [];
    await expect(
      forEachLimited([1, 2, 3, 4, 5, 6], 2, async (n) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setImmediate(r));
        running--;
        if (n === 3) throw new Error("three");
        finished.push(n);
      }),
    ).rejects.toThrow("three");
    expect(peak).toBe(2);
    expect(running).toBe(0);
    expect(finished).not.toContain(6);
  });
});
