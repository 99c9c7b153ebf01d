// Faults seen through a Connection: timeouts and aborts reach the remote process, transfers cut
// mid-way fail clearly and can be retried, a dead or refusing bastion is named.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { CommandTimedOut } from "@fabric-ts/invoke";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Connection } from "../../../src/connection/connection.js";
import { configFor, type EmbeddedHosts, startEmbeddedHosts } from "../../support/embedded-hosts.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../../support/fabric-sshd.js";

const run = promisify(execFile);

/** PIDs of processes whose command line contains `marker` (the sshd runs on this machine). */
async function processesMatching(marker: string): Promise<string[]> {
  const { stdout } = await run("pgrep", ["-f", marker]).catch(() => ({ stdout: "" }));
  return stdout.split("\n").filter(Boolean);
}

describeWithSshd("remote processes are stopped by timeouts and aborts (real sshd)", () => {
  let sshd: SshdHarness;
  let c: Connection;
  beforeAll(async () => {
    sshd = await startSshd();
    c = new Connection("host1", { config: harnessConfig(sshd) });
  });
  afterAll(async () => {
    await c?.close();
    await sshd?.stop();
  });

  const marker = () => `${3000 + Math.floor(Math.random() * 1000)}.${Date.now() % 100000}`;

  it("a command that never ends: timeout raises CommandTimedOut and the remote process is gone", async () => {
    const seconds = marker();
    const error = await c.run(`sleep ${seconds}`, { hide: true, timeout: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandTimedOut);
    await expect.poll(() => processesMatching(`sleep ${seconds}`), { timeout: 15_000 }).toEqual([]);
    expect((await c.run("echo alive", { hide: true })).stdout).toBe("alive\n");
  });

  it("AbortSignal: the run rejects, the remote process is signalled, the connection stays usable", async () => {
    const seconds = marker();
    const controller = new AbortController();
    const running = c.run(`sleep ${seconds}`, { hide: true, signal: controller.signal });
    await expect.poll(() => processesMatching(`sleep ${seconds}`), { timeout: 15_000 }).not.toEqual([]);
    controller.abort();
    const error = await running.catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toMatch(/Abort/);
    await expect.poll(() => processesMatching(`sleep ${seconds}`), { timeout: 15_000 }).toEqual([]);
    expect((await c.run("echo alive", { hide: true })).stdout).toBe("alive\n");
  });

  it("a command that ignores TERM, INT and HUP: the timeout still returns (its channel is closed)", async () => {
    const seconds = marker();
    try {
      const error = await c
        .run(`trap '' TERM INT HUP; sleep ${seconds}; true`, { hide: true, timeout: 1 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CommandTimedOut);
      expect((await c.run("echo alive", { hide: true })).stdout).toBe("alive\n");
    } finally {
      // Nothing short of SIGKILL stops such a process; sshd cannot either once its session is gone.
      await run("pkill", ["-KILL", "-f", `sleep ${seconds}`]).catch(() => {});
    }
  });
});

describe("transfers cut mid-way and bastions that fail (embedded hosts)", () => {
  let hosts: EmbeddedHosts;
  let dir: string;
  let payload: Buffer;
  beforeAll(async () => {
    hosts = await startEmbeddedHosts({ hosts: ["web1", "bastion"] });
    dir = await mkdtemp(join(tmpdir(), "fabric-faults-"));
    payload = randomBytes(8 * 1024 * 1024);
    await writeFile(join(dir, "big.bin"), payload);
  });
  afterAll(async () => {
    await hosts?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("put: the connection drops mid-file, the error says so, and a retry completes the upload", async () => {
    const web1 = hosts.host("web1");
    const c = new Connection("web1", { config: configFor(hosts.sshConfigPath) });
    try {
      web1.faults = { dropAfterBytes: 2 * 1024 * 1024 };
      const error = await c.put(join(dir, "big.bin"), "upload.bin").catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as { code?: string }).code).toMatch(/CONNECTION_LOST|SFTP_FAILED/);
      expect((error as Error).message).toMatch(/lost|closed|connection/i);
      web1.faults = {};
      await c.put(join(dir, "big.bin"), "upload.bin");
      expect((await readFile(join(web1.dir, "upload.bin"))).equals(payload)).toBe(true);
    } finally {
      web1.faults = {};
      await c.close();
    }
  });

  it("get: the connection drops mid-file, the error says so, and a retry gets the whole file", async () => {
    const web1 = hosts.host("web1");
    await writeFile(join(web1.dir, "remote.bin"), payload);
    const c = new Connection("web1", { config: configFor(hosts.sshConfigPath) });
    const local = join(dir, "fetched.bin");
    try {
      web1.faults = { dropAfterBytes: 2 * 1024 * 1024 };
      const error = await c.get("remote.bin", local).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as { code?: string }).code).toMatch(/CONNECTION_LOST|SFTP_FAILED/);
      web1.faults = {};
      await c.get("remote.bin", local);
      expect((await readFile(local)).equals(payload)).toBe(true);
    } finally {
      web1.faults = {};
      await c.close();
    }
  });

  it("a bastion that is down: the error names the bastion", async () => {
    const config = configFor(hosts.sshConfigPath);
    const bastion = new Connection("127.0.0.1", { config, port: 1, user: "nobody" });
    const c = new Connection("web1", { config, gateway: bastion });
    try {
      const error = await c.run("true", { hide: true }).catch((e: Error) => e);
      expect(error).toMatchObject({ code: "JUMP_HOST_FAILED", cause: { code: "CONNECT_REFUSED" } });
      expect((error as Error).message).toContain("Gateway nobody@127.0.0.1:1 is unreachable");
    } finally {
      await c.close();
    }
  });

  it("a bastion that refuses to forward: the error names the bastion and the target", async () => {
    const bastionHost = hosts.host("bastion");
    const config = configFor(hosts.sshConfigPath);
    const bastion = new Connection("bastion", { config });
    const c = new Connection("web1", { config, gateway: bastion });
    try {
      bastionHost.faults = { refuseChannels: true };
      const error = await c.run("true", { hide: true }).catch((e: Error) => e);
      expect(error).toMatchObject({ code: "JUMP_HOST_FAILED", hop: { name: "bastion" } });
      const web1 = hosts.host("web1");
      expect((error as Error).message).toMatch(
        new RegExp(`^Gateway bastion \\(.*\\) could not open a tunnel to ${web1.address}:${web1.port}: `),
      );
    } finally {
      bastionHost.faults = {};
      await c.close();
      await bastion.close();
    }
  });
});
