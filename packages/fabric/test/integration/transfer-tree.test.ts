// Directory put/get, remote globs, atomic writes and progress against the real sshd.
import { createHash } from "node:crypto";
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Connection } from "../../src/connection/connection.js";
import type { FileProgress } from "../../src/transfer/transfer.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

/** Every path below `root` with its type, permission bits and content hash (or link target). */
async function describeTree(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (dir: string, rel: string) => {
    for (const name of (await readdir(dir)).sort()) {
      const full = join(dir, name);
      const path = rel ? `${rel}/${name}` : name;
      const stats = await lstat(full);
      const mode = (stats.mode & 0o7777).toString(8);
      if (stats.isSymbolicLink()) out.set(path, `link -> ${await readlink(full)}`);
      else if (stats.isDirectory()) {
        out.set(path, `dir ${mode}`);
        await walk(full, path);
      } else {
        const hash = createHash("sha256")
          .update(await readFile(full))
          .digest("hex");
        out.set(path, `file ${mode} ${hash}`);
      }
    }
  };
  await walk(root, "");
  return out;
}

/** 2,000 small files in nested directories, varied modes, symlinks, and some `*.tmp` to exclude. */
async function buildTree(root: string): Promise<void> {
  for (let d = 0; d < 20; d++) {
    const dir = join(root, `d${d}`, `sub${d % 4}`);
    await mkdir(dir, { recursive: true });
    for (let f = 0; f < 100; f++) {
      const file = join(dir, `f${f}.txt`);
      await writeFile(file, `dir ${d} file ${f} `.repeat(1 + ((d * 7 + f) % 50)));
      if (f % 10 === 0) await chmod(file, 0o750);
      if (f % 25 === 0) await chmod(file, 0o600);
    }
    await writeFile(join(dir, "scratch.tmp"), "excluded");
  }
  await chmod(join(root, "d3"), 0o750);
  await mkdir(join(root, "empty"));
  await symlink("d0/sub0/f1.txt", join(root, "link-to-file"));
  await symlink("../d1", join(root, "d0", "link-to-dir"));
  await symlink("/nonexistent/target", join(root, "dangling"));
}

describeWithSshd("directory transfers against real sshd", () => {
  let sshd: SshdHarness;
  let c: Connection;
  let local: string;
  let remoteDir: string;

  beforeAll(async () => {
    sshd = await startSshd();
    c = new Connection("host1", { config: harnessConfig(sshd) });
  });
  afterAll(async () => {
    await c?.close();
    await sshd?.stop();
  });
  beforeEach(async () => {
    local = await mkdtemp(join(tmpdir(), "fabric-tree-"));
    remoteDir = `/tmp/fabric-tree-${process.pid}-${Math.random().toString(36).slice(2)}`;
    await c.run(`mkdir -p ${remoteDir}`, { hide: true });
    return async () => {
      await rm(local, { recursive: true, force: true });
      await c.run(`rm -rf ${remoteDir}`, { hide: true });
    };
  });

  it.each(["sftp", "tar"] as const)(
    "round-trips a 2,000-file tree with modes, symlinks and an exclude byte-identical (%s)",
    async (method) => {
      const src = join(local, "src");
      await buildTree(src);
      const put = await c.put(src, `${remoteDir}/copy`, { exclude: "*.tmp", method });
      expect(put.method).toBe(method);
      expect(put.remote).toBe(`${remoteDir}/copy`);
      expect(put.files).toHaveLength(2003);
      expect(put.skipped).toHaveLength(20);
      const back = await c.get(`${remoteDir}/copy`, join(local, "back"), { method });
      expect(back.files).toHaveLength(2003);

      const expected = await describeTree(src);
      for (const path of [...expected.keys()]) if (path.endsWith(".tmp")) expected.delete(path);
      const got = await describeTree(join(local, "back"));
      expect(got.size).toBe(expected.size);
      expect(got).toEqual(expected);
      // The remote side itself: modes and links as made.
      const remote = await c.run(
        `cd ${remoteDir}/copy && stat -c '%a %F' d3 d0/sub0/f10.txt d0/sub0/f25.txt && readlink link-to-file && ls d0/sub0 | grep -c tmp || true`,
        { hide: true },
      );
      expect(remote.stdout).toBe("750 directory\n750 regular file\n600 regular file\nd0/sub0/f1.txt\n0\n");
    },
  );

  it("auto picks tar for many small files into a new directory, SFTP when the target exists", async () => {
    const src = join(local, "src");
    await buildTree(src);
    const first = await c.put(src, `${remoteDir}/auto`);
    expect(first.method).toBe("tar");
    const again = await c.put(`${src}/`, `${remoteDir}/auto`);
    expect(again.method).toBe("sftp");
    const few = join(local, "few");
    await mkdir(few);
    for (const name of ["a", "b", "c"]) await writeFile(join(few, name), name);
    expect((await c.put(few, `${remoteDir}/few`)).method).toBe("sftp");
  });

  it("puts into an existing directory under the basename, or its contents with a trailing /", async () => {
    const src = join(local, "app");
    await mkdir(join(src, "lib"), { recursive: true });
    await writeFile(join(src, "lib", "a.js"), "a");
    await c.run(`mkdir -p ${remoteDir}/srv`, { hide: true });
    const into = await c.put(src, `${remoteDir}/srv`);
    expect(into.remote).toBe(`${remoteDir}/srv/app`);
    const contents = await c.put(`${src}/`, `${remoteDir}/srv`);
    expect(contents.remote).toBe(`${remoteDir}/srv`);
    const listing = await c.run(`cd ${remoteDir}/srv && find . -type f | sort`, { hide: true });
    expect(listing.stdout).toBe("./app/lib/a.js\n./lib/a.js\n");
  });

  it("copies only included files, creating only the directories they need", async () => {
    const src = join(local, "logs");
    await mkdir(join(src, "a", "deep"), { recursive: true });
    await mkdir(join(src, "b"), { recursive: true });
    await writeFile(join(src, "a", "deep", "x.log"), "x");
    await writeFile(join(src, "a", "y.txt"), "y");
    await writeFile(join(src, "b", "z.txt"), "z");
    const result = await c.put(src, `${remoteDir}/only-logs`, { include: "**/*.log" });
    expect(result.files).toEqual(["a/deep/x.log"]);
    const listing = await c.run(`cd ${remoteDir}/only-logs && find . | sort`, { hide: true });
    expect(listing.stdout).toBe(".\n./a\n./a/deep\n./a/deep/x.log\n");
  });

  it("follows or skips symlinks on request", async () => {
    const src = join(local, "links");
    await mkdir(src);
    await writeFile(join(src, "real.txt"), "real");
    await symlink("real.txt", join(src, "alias.txt"));
    await c.put(src, `${remoteDir}/followed`, { symlinks: "follow" });
    await c.put(src, `${remoteDir}/skipped`, { symlinks: "skip" });
    const out = await c.run(
      `stat -c %F ${remoteDir}/followed/alias.txt; cat ${remoteDir}/followed/alias.txt; echo; ls ${remoteDir}/skipped`,
      { hide: true },
    );
    expect(out.stdout).toBe("regular file\nreal\nreal.txt\n");
  });

  it("preserves mtimes on request, in both directions", async () => {
    const src = join(local, "timed");
    await mkdir(src);
    await writeFile(join(src, "old.txt"), "old");
    const { utimes } = await import("node:fs/promises");
    await utimes(join(src, "old.txt"), 1_000_000_000, 1_000_000_000);
    await c.put(src, `${remoteDir}/timed`, { preserveTimes: true, method: "sftp" });
    const remote = await c.run(`stat -c %Y ${remoteDir}/timed/old.txt`, { hide: true });
    expect(remote.stdout.trim()).toBe("1000000000");
    await c.get(`${remoteDir}/timed`, join(local, "timed-back"), { preserveTimes: true, method: "sftp" });
    expect(Math.floor((await stat(join(local, "timed-back", "old.txt"))).mtimeMs / 1000)).toBe(1_000_000_000);
    await c.put(src, `${remoteDir}/untimed`, { method: "sftp" });
    const fresh = await c.run(`stat -c %Y ${remoteDir}/untimed/old.txt`, { hide: true });
    expect(Number(fresh.stdout.trim())).toBeGreaterThan(1_000_000_000);
  });

  it("gets a remote glob into per-host directories, keeping paths below the fixed part", async () => {
    await c.run(
      `mkdir -p ${remoteDir}/var/log/app ${remoteDir}/var/log/db && echo a > ${remoteDir}/var/log/app/a.log && echo b > ${remoteDir}/var/log/db/b.log && echo c > ${remoteDir}/var/log/db/c.txt && echo top > ${remoteDir}/var/log/top.log`,
      { hide: true },
    );
    const flat = await c.get(`${remoteDir}/var/log/*.log`, join(local, "{host}/"));
    expect(flat.files).toEqual(["top.log"]);
    expect(flat.local).toBe(join(local, c.host));
    expect(await readFile(join(local, c.host, "top.log"), "utf8")).toBe("top\n");
    const deep = await c.get(`${remoteDir}/var/log/**/*.log`, join(local, "deep", "{host}"));
    expect(deep.files).toEqual(["app/a.log", "db/b.log", "top.log"]);
    expect(await readFile(join(local, "deep", c.host, "db", "b.log"), "utf8")).toBe("b\n");
    await expect(c.get(`${remoteDir}/var/log/*.nothing`, join(local, "none/"))).rejects.toThrow(
      /No remote files match/,
    );
  });

  it("reports per-file and total progress that add up to the file sizes", async () => {
    const src = join(local, "sizes");
    await mkdir(join(src, "n"), { recursive: true });
    const sizes = new Map([
      ["big.bin", 3 * 1024 * 1024 + 17],
      ["n/empty", 0],
      ["n/small", 5],
    ]);
    for (const [path, size] of sizes) await writeFile(join(src, path), Buffer.alloc(size, 1));
    for (const method of ["sftp", "tar"] as const) {
      const files: FileProgress[] = [];
      const totals: [number, number | undefined][] = [];
      const result = await c.put(src, `${remoteDir}/progress-${method}`, {
        method,
        onFileProgress: (file) => files.push(file),
        onProgress: (done, total) => totals.push([done, total]),
      });
      const finals = files.filter((f) => f.done);
      expect(new Map(finals.map((f) => [f.path, f.transferred]))).toEqual(sizes);
      for (const [path, size] of sizes) {
        const last = files.filter((f) => f.path === path && !f.done).at(-1);
        if (size > 0) expect(last?.transferred).toBe(size);
      }
      const total = 3 * 1024 * 1024 + 22;
      expect(totals.at(-1)).toEqual([total, total]);
      expect(totals.every(([, t]) => t === total)).toBe(true);
      expect(result.bytes).toBe(total);
    }
  });

  it("writes a single file through a temporary name and leaves no temporary behind", async () => {
    const target = `${remoteDir}/config.ini`;
    await c.run(`echo old > ${target}`, { hide: true });
    const inode = (await c.run(`stat -c %i ${target}`, { hide: true })).stdout;
    const src = join(local, "config.ini");
    await writeFile(src, "new\n");
    const seen: string[] = [];
    const sftp = await c.sftp();
    const original = sftp.rename.bind(sftp);
    sftp.rename = async (from: string, to: string) => {
      seen.push(from);
      return original(from, to);
    };
    try {
      await c.put(src, target);
    } finally {
      sftp.rename = original;
    }
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(new RegExp(`^${remoteDir}/\\.config\\.ini\\.fabric-ts-[0-9a-f]{12}\\.tmp$`));
    expect((await c.run(`cat ${target}; ls -A ${remoteDir}`, { hide: true })).stdout).toBe(
      "new\nconfig.ini\n",
    );
    expect((await c.run(`stat -c %i ${target}`, { hide: true })).stdout).not.toBe(inode);
    // atomic: false writes in place (same inode).
    const before = (await c.run(`stat -c %i ${target}`, { hide: true })).stdout;
    await c.put(src, target, { atomic: false });
    expect((await c.run(`stat -c %i ${target}`, { hide: true })).stdout).toBe(before);
  });

  it("an atomic replace without preserveMode keeps the replaced file's mode", async () => {
    const target = `${remoteDir}/kept-mode`;
    await c.run(`echo old > ${target} && chmod 640 ${target}`, { hide: true });
    const src = join(local, "kept-mode");
    await writeFile(src, "new\n", { mode: 0o755 });
    await c.put(src, target, { preserveMode: false });
    const out = await c.run(`stat -c %a ${target}; cat ${target}`, { hide: true });
    expect(out.stdout).toBe("640\nnew\n");
  });

  it("puts a directory without a remote path under its own name, merging into an existing one", async () => {
    const src = join(local, `fabric-noremote-${process.pid}`);
    await mkdir(src);
    await writeFile(join(src, "a"), "a");
    await c.cd(remoteDir, async (inDir) => {
      const first = await inDir.put(src);
      expect(first.remote).toBe(`${remoteDir}/fabric-noremote-${process.pid}`);
      const again = await inDir.put(src);
      expect(again.remote).toBe(first.remote);
    });
  });

  it("removes the temporary file when an upload fails or is aborted", async () => {
    const target = `${remoteDir}/aborted.bin`;
    await c.run(`echo keep > ${target}`, { hide: true });
    const src = join(local, "big.bin");
    await writeFile(src, Buffer.alloc(32 * 1024 * 1024, 3));
    const controller = new AbortController();
    await expect(
      c.put(src, target, {
        signal: controller.signal,
        onProgress: (done) => {
          if (done > 1024 * 1024) controller.abort();
        },
      }),
    ).rejects.toMatchObject({ code: "ABORTED" });
    expect((await c.run(`cat ${target}; ls -A ${remoteDir}`, { hide: true })).stdout).toBe(
      "keep\naborted.bin\n",
    );
  });
});

describe("describeTree helper", () => {
  it("sees content differences", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fabric-tree-helper-"));
    try {
      await writeFile(join(dir, "a"), "1");
      const first = await describeTree(dir);
      await writeFile(join(dir, "a"), "2");
      expect(await describeTree(dir)).not.toEqual(first);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
