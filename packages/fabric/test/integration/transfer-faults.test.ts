// Transfers when things go wrong (connection killed mid-file) and sudo puts, against the real sshd.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { Connection } from "../../src/connection/connection.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

describeWithSshd("an interrupted put against real sshd", () => {
  let sshd: SshdHarness;
  let local: string;
  let remoteDir: string;

  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });
  beforeEach(async () => {
    local = await mkdtemp(join(tmpdir(), "fabric-fault-"));
    remoteDir = `/tmp/fabric-fault-${process.pid}-${Math.random().toString(36).slice(2)}`;
    await sshd.ssh("host1", `mkdir -p ${remoteDir} && echo old-content > ${remoteDir}/app.bin`);
    return async () => {
      await rm(local, { recursive: true, force: true });
      await sshd.ssh("host1", `rm -rf ${remoteDir}`);
    };
  });

  it("settles, keeps the old file and leaves no temporary file when the connection is killed mid-file", async () => {
    const src = join(local, "app.bin");
    await writeFile(src, Buffer.alloc(64 * 1024 * 1024, 9));
    const c = new Connection("host1", { config: harnessConfig(sshd) });
    let killed = false;
    let progressAtKill = 0;
    try {
      const outcome = await c
        .put(src, `${remoteDir}/app.bin`, {
          onProgress: (done) => {
            if (!killed && done >= 4 * 1024 * 1024) {
              killed = true;
              progressAtKill = done;
              void sshd.killSessions();
            }
          },
        })
        .then(
          () => "resolved",
          (error: unknown) => error,
        );
      expect(killed).toBe(true);
      expect(progressAtKill).toBeLessThan(64 * 1024 * 1024);
      expect(outcome).toBeInstanceOf(Error);
    } finally {
      await c.close();
    }
    const after = await sshd.ssh("host1", `cat ${remoteDir}/app.bin; ls -A ${remoteDir}`);
    expect(after.stdout).toBe("old-content\napp.bin\n");
  });

  it("a directory put killed midway leaves no temporary files and no half-written file", async () => {
    const src = join(local, "tree");
    const { mkdir } = await import("node:fs/promises");
    await mkdir(src);
    for (let i = 0; i < 8; i++) await writeFile(join(src, `f${i}.bin`), Buffer.alloc(4 * 1024 * 1024, i));
    const c = new Connection("host1", { config: harnessConfig(sshd) });
    let killed = false;
    try {
      const outcome = await c
        .put(src, `${remoteDir}/tree`, {
          method: "sftp",
          onProgress: (done) => {
            if (!killed && done >= 6 * 1024 * 1024) {
              killed = true;
              void sshd.killSessions();
            }
          },
        })
        .then(
          () => "resolved",
          (error: unknown) => error,
        );
      expect(outcome).toBeInstanceOf(Error);
    } finally {
      await c.close();
    }
    // Whatever arrived is complete (4 MiB); nothing else is there.
    const listing = await sshd.ssh(
      "host1",
      `cd ${remoteDir}/tree && ls -A | while read f; do echo "$f $(stat -c %s "$f")"; done`,
    );
    const lines = listing.stdout.split("\n").filter(Boolean);
    for (const line of lines) expect(line).toMatch(/^f\d\.bin 4194304$/);
  });
});

describeWithSshd(
  "sudo put against real sshd",
  () => {
    let sshd: SshdHarness;
    let local: string;
    const target = `/opt/fabric-sudo-put-${process.pid}`;

    beforeAll(async () => {
      sshd = await startSshd();
    });
    afterAll(async () => {
      await sshd?.stop();
    });
    beforeEach(async () => {
      local = await mkdtemp(join(tmpdir(), "fabric-sudo-"));
      const { execFileSync } = await import("node:child_process");
      // A root-owned directory the login user cannot write to (we are root locally, as in CI).
      execFileSync("sh", [
        "-c",
        `rm -rf ${target} && mkdir -p ${target} && chmod 755 ${target} && echo old > ${target}/app.conf`,
      ]);
      return async () => {
        await rm(local, { recursive: true, force: true });
        execFileSync("rm", ["-rf", target]);
      };
    });

    const connection = () => {
      if (!sshd.sudo.available) throw new Error(`sudo unavailable: ${sshd.sudo.reason}`);
      const config = harnessConfig(sshd);
      config.set("sudo.password", sshd.sudo.password);
      return new Connection("host1", { config });
    };

    it("places a file in a root-owned directory with owner, group and mode, leaving nothing behind", async () => {
      await using c = connection();
      const src = join(local, "app.conf");
      await writeFile(src, "new = true\n");
      const plain = await c.put(src, `${target}/app.conf`).then(
        () => null,
        (error: unknown) => error,
      );
      expect(plain).toBeInstanceOf(Error); // the login user may not write there
      const home = (await c.run("pwd", { hide: true })).stdout.trim();

      const result = await c.put(src, `${target}/app.conf`, {
        sudo: true,
        owner: sshd.user,
        group: "root",
        mode: 0o640,
      });
      expect(result.remote).toBe(`${target}/app.conf`);
      expect(result.bytes).toBe(11);
      const check = await c.sudo(
        `stat -c '%U %G %a' ${target}/app.conf; cat ${target}/app.conf; ls -A ${target}`,
        {
          hide: true,
        },
      );
      expect(check.stdout).toBe(`${sshd.user} root 640\nnew = true\napp.conf\n`);
      const leftovers = await c.run(`ls -A ${home} | grep fabric-ts || true`, { hide: true });
      expect(leftovers.stdout).toBe("");
    });

    it("defaults to root ownership and the local mode, into a directory target", async () => {
      await using c = connection();
      const src = join(local, "tool.sh");
      await writeFile(src, "#!/bin/sh\n", { mode: 0o755 });
      const result = await c.put(src, `${target}/`, { sudo: true });
      expect(result.remote).toBe(`${target}/tool.sh`);
      const check = await c.sudo(`stat -c '%U %G %a' ${target}/tool.sh`, { hide: true });
      expect(check.stdout).toBe("root root 755\n");
    });

    it("places a directory tree as root, chowning exactly the copied paths", async () => {
      await using c = connection();
      const { mkdir } = await import("node:fs/promises");
      const src = join(local, "conf.d");
      await mkdir(join(src, "sub"), { recursive: true });
      await writeFile(join(src, "a.conf"), "a", { mode: 0o640 });
      await writeFile(join(src, "sub", "b.conf"), "b", { mode: 0o644 });
      const home = (await c.run("pwd", { hide: true })).stdout.trim();
      const result = await c.put(src, `${target}/`, { sudo: true, owner: sshd.user, group: "root" });
      expect(result.remote).toBe(`${target}/conf.d`);
      expect(result.files).toEqual(["a.conf", "sub/b.conf"]);
      const check = await c.sudo(
        `cd ${target} && stat -c '%n %U %G %a' conf.d conf.d/a.conf conf.d/sub/b.conf app.conf; cat conf.d/sub/b.conf`,
        { hide: true },
      );
      expect(check.stdout).toBe(
        `conf.d ${sshd.user} root 755\nconf.d/a.conf ${sshd.user} root 640\nconf.d/sub/b.conf ${sshd.user} root 644\napp.conf root root 644\nb`,
      );
      const leftovers = await c.run(`ls -A ${home} | grep fabric-ts || true`, { hide: true });
      expect(leftovers.stdout).toBe("");
    });

    it("fails cleanly (old file kept, no staged or private copies) when install fails", async () => {
      await using c = connection();
      const src = join(local, "app.conf");
      await writeFile(src, "x");
      const home = (await c.run("pwd", { hide: true })).stdout.trim();
      await expect(
        c.put(src, `${target}/app.conf`, { sudo: true, owner: "no-such-user-fabts" }),
      ).rejects.toThrow(/sudo put to .* failed/);
      const check = await c.sudo(
        `cat ${target}/app.conf; ls -A ${target}; ls -A ${home} | grep -c fabric-ts || true`,
        {
          hide: true,
        },
      );
      expect(check.stdout).toBe("old\napp.conf\n0\n");
    });
  },
  { sudo: true },
);
