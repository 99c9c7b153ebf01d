// Group sudo / put / get / close against real sshd hosts (all hosts share one machine and login, so
// every host sees the same home directory).
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuthFailure } from "@fabric-ts/invoke";
import { afterAll, beforeAll, expect, it } from "vitest";
import { GroupException, SerialGroup, ThreadingGroup } from "../../src/index.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

const ALIASES = ["host1", "host2", "host3"];
const ADDRESSES = ["127.0.0.1", "127.0.0.2", "127.0.0.3"];

describeWithSshd(
  "group sudo/put/get/close against real sshd",
  () => {
    let sshd: SshdHarness;
    let dir: string;
    let sudoPassword: string;

    beforeAll(async () => {
      sshd = await startSshd({ hosts: ALIASES.length });
      if (!sshd.sudo.available) throw new Error(`sudo unavailable: ${sshd.sudo.reason}`);
      sudoPassword = sshd.sudo.password;
      dir = await mkdtemp(join(tmpdir(), "fabric-group-ops-"));
    });
    afterAll(async () => {
      await sshd?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    /** The harness config plus the sudo password, as a fabric.yaml `sudo: {password: …}` would give. */
    function sudoConfig(password = sudoPassword) {
      const config = harnessConfig(sshd);
      config.set("sudo.password", password);
      return config;
    }

    it("sudo runs as root on every host with the password from config, which never shows", async () => {
      await using group = new ThreadingGroup(...ALIASES, { config: sudoConfig(), output: "plain" });
      const result = await group.sudo("id -un; echo via-$SUDO_USER", { hide: true });
      expect(result.ok).toBe(true);
      const seen = [...result].map(([c, r]) => {
        if (r instanceof Error) throw r;
        expect(r.stdout).not.toContain(sudoPassword);
        expect(r.stderr).not.toContain(sudoPassword);
        return [c.host, r.stdout];
      });
      expect(seen).toEqual(ADDRESSES.map((address) => [address, `root\nvia-${sshd.user}\n`]));
    });

    it("sudo with user= runs as that user", async () => {
      await using group = new SerialGroup(...ALIASES, { config: sudoConfig(), output: "plain" });
      const target = sshd.nopasswdUser ?? "nobody";
      const result = await group.sudo("id -un", { user: target, hide: true });
      expect([...result.succeeded.values()].map((r) => r.stdout.trim())).toEqual(ALIASES.map(() => target));
    });

    it("a wrong sudo password fails every host with AuthFailure inside a GroupException", async () => {
      await using group = new ThreadingGroup(...ALIASES, {
        config: sudoConfig("not-the-password"),
        output: "plain",
      });
      const error = await group.sudo("true", { hide: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GroupException);
      const failed = (error as GroupException).result.failed;
      expect(failed.size).toBe(ALIASES.length);
      for (const cause of failed.values()) expect(cause).toBeInstanceOf(AuthFailure);
      expect(String((error as Error).message)).not.toContain("not-the-password");
    });

    it("put uploads to every host and reports each absolute remote path", async () => {
      const local = join(dir, "release.txt");
      await writeFile(local, "release 42\n", { mode: 0o640 });
      await using group = new SerialGroup(...ALIASES, { config: harnessConfig(sshd), output: "plain" });
      const result = await group.put(local, "group-put.txt");
      expect(result.ok).toBe(true);
      for (const r of result.succeeded.values()) {
        expect(r.remote).toMatch(/^\/.+\/group-put\.txt$/);
        expect(r.local).toBe(local);
      }
      const check = await group.run("cat group-put.txt; stat -c %a group-put.txt", { hide: true });
      expect([...check.succeeded.values()].map((r) => r.stdout)).toEqual(
        ALIASES.map(() => "release 42\n640\n"),
      );
    });

    it("get writes each host's copy into its own directory under an explicit {host}/ template", async () => {
      await using group = new ThreadingGroup(...ALIASES, { config: harnessConfig(sshd), output: "plain" });
      await group.run("echo 'log line' > group-app.log", { hide: true });
      const target = join(dir, "explicit");
      const result = await group.get("group-app.log", join(target, "{host}/"));
      expect(result.ok).toBe(true);
      expect((await readdir(target)).sort()).toEqual(ADDRESSES);
      for (const address of ADDRESSES) {
        expect(await readFile(join(target, address, "group-app.log"), "utf8")).toBe("log line\n");
      }
      const locals = [...result.succeeded.values()].map((r) => r.local);
      expect(locals).toEqual(ADDRESSES.map((a) => join(target, a, "group-app.log")));
    });

    it("get without a local path uses {host}/ in the current directory, so hosts never collide", async () => {
      await using group = new SerialGroup(...ALIASES, { config: harnessConfig(sshd), output: "plain" });
      await group.run("echo fetched > group-default.log", { hide: true });
      const cwd = await mkdtemp(join(dir, "cwd-"));
      const previous = process.cwd();
      process.chdir(cwd);
      try {
        await group.get("group-default.log");
      } finally {
        process.chdir(previous);
      }
      for (const address of ADDRESSES) {
        expect(await readFile(join(cwd, address, "group-default.log"), "utf8")).toBe("fetched\n");
      }
    });

    it("close() closes every connection, and they reopen on the next call", async () => {
      const group = new ThreadingGroup(...ALIASES, { config: harnessConfig(sshd), output: "plain" });
      await group.run("true", { hide: true });
      expect(group.connections.every((c) => c.isConnected)).toBe(true);
      await group.close();
      expect(group.connections.some((c) => c.isConnected)).toBe(false);
      await group.run("true", { hide: true });
      expect(group.connections.every((c) => c.isConnected)).toBe(true);
      await group[Symbol.asyncDispose]();
      expect(group.connections.some((c) => c.isConnected)).toBe(false);
    });

    it("put of a missing local file fails every host without touching the others' results", async () => {
      await using group = new SerialGroup(...ALIASES, { config: harnessConfig(sshd), output: "plain" });
      const error = await group.put(join(dir, "missing.txt"), "never.txt").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GroupException);
      expect((error as GroupException).result.failed.size).toBe(ALIASES.length);
      await expect(stat(join(dir, "missing.txt"))).rejects.toThrow();
    });
  },
  { sudo: true },
);
