// Faults against a real sshd and the embedded hosts: every one ends in a typed error (or a clean
// result), never a hang. The vitest timeout is the hang detector; nothing here asserts durations.
import { randomBytes } from "node:crypto";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { type EmbeddedHosts, startEmbeddedHosts } from "@fabric-ts/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshClient } from "../../../src/client/ssh-client.js";
import type { SshClientOptions } from "../../../src/index.js";
import { baseOptions, describeWithSshd, type SshdHarness, startSshd } from "../../support/sshd.js";

describeWithSshd("sshd faults while connected", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    sshd = await startSshd({ maxSessions: 2, password: true });
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  const options = (extra: Partial<SshClientOptions> = {}): SshClientOptions =>
    baseOptions(sshd, sshd.knownHostsPath, { identityFiles: [sshd.identityFile], ...extra });

  it("sshd killed mid-command: the command rejects with CONNECTION_LOST", async () => {
    const client = await SshClient.connect(options());
    // Observe the rejection at once: it may arrive while we are still waiting for the kill.
    const running = client.run("echo started; sleep 60").catch((e: Error & { code?: string }) => e);
    await client.run("true");
    await sshd.kill();
    const error = await running;
    expect((error as { code?: string }).code).toBe("CONNECTION_LOST");
    expect((await client.closed).error?.code).toBe("CONNECTION_LOST");
    expect(client.isConnected).toBe(false);
    expect(() => client.exec("true")).toThrow(/not connected/);
    await sshd.restart();
  });

  it("sshd frozen (no FIN, no RST): keepalive declares the connection lost instead of hanging", async () => {
    const client = await SshClient.connect(options({ keepaliveInterval: 300, keepaliveCountMax: 2 }));
    const running = client.run("sleep 60").catch((e: Error & { code?: string }) => e);
    await sshd.kill("SIGSTOP");
    try {
      const error = await running;
      expect((error as { code?: string }).code).toBe("CONNECTION_LOST");
      expect((error as Error).message).toMatch(/keepalive|lost/i);
    } finally {
      await sshd.kill("SIGCONT");
    }
  });

  it("MaxSessions exhausted: extra commands wait for a free session instead of failing", async () => {
    const client = await SshClient.connect(options());
    try {
      const results = await Promise.all(
        Array.from({ length: 6 }, (_, i) => client.run(`sleep 0.2; echo ${i}`)),
      );
      expect(results.map((r) => r.stdout)).toEqual(["0\n", "1\n", "2\n", "3\n", "4\n", "5\n"]);
      expect(results.every((r) => r.exitCode === 0)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it("auth failure lists every method tried, and never the password", async () => {
    const error = await SshClient.connect(
      options({
        identityFiles: [sshd.clientKeys.rsa.privateKeyPath.replace(/rsa/, "nonexistent"), sshd.identityFile],
        privateKeys: [],
        authMethods: { publickey: false, keyboardInteractive: false, password: true },
        password: "wrong-Secret-42",
        promptAttempts: 1,
      }),
    ).catch((e: Error) => e);
    expect((error as { code?: string }).code).toBe("AUTH_FAILED");
    const message = (error as Error).message;
    expect(message).toContain(`Authentication failed for ${sshd.user}@`);
    expect(message).toMatch(/\(tried: .*password\)/);
    expect(message).not.toContain("wrong-Secret-42");

    const withKeys = await SshClient.connect(
      options({
        identityFiles: [sshd.clientKeys.rsa.publicKeyPath.replace(/\.pub$/, ".missing"), sshd.identityFile],
        username: "nobody-here",
        authMethods: { keyboardInteractive: false, password: false },
      }),
    ).catch((e: Error) => e);
    expect((withKeys as { code?: string }).code).toBe("AUTH_FAILED");
    expect((withKeys as Error).message).toContain(`publickey ${sshd.identityFile}`);
  });

  it("AbortSignal: the remote command gets TERM, its channel closes, the connection stays usable", async () => {
    const client = await SshClient.connect(options());
    const marker = `/tmp/fabts-abort-${process.pid}-${Date.now()}`;
    try {
      const controller = new AbortController();
      const handle = client.exec(
        `trap 'echo got-term > ${marker}; exit 3' TERM; echo ready; sleep 60 & wait`,
        {
          signal: controller.signal,
        },
      );
      await new Promise<void>((resolve) => handle.stdout.once("data", () => resolve()));
      controller.abort();
      const error = await handle.done.catch((e: Error & { code?: string }) => e);
      expect((error as { code?: string }).code).toBe("ABORTED");
      await expect
        .poll(() => readFile(marker, "utf8").catch(() => ""), { timeout: 10_000 })
        .toBe("got-term\n");
      expect((await client.run("echo still-here")).stdout).toBe("still-here\n");
    } finally {
      await rm(marker, { force: true });
      await client.close();
    }
  });
});

describe("embedded host faults", () => {
  let hosts: EmbeddedHosts;
  beforeAll(async () => {
    hosts = await startEmbeddedHosts({ hosts: 1 });
  });
  afterAll(() => hosts?.stop());

  const options = (extra: Partial<SshClientOptions> = {}): SshClientOptions => {
    const web1 = hosts.host("web1");
    return {
      host: web1.address,
      port: web1.port,
      username: web1.user,
      agent: false,
      identityFiles: [hosts.clientKey.privateKeyPath],
      userKnownHostsFiles: [hosts.knownHostsPath],
      globalKnownHostsFiles: [],
      strictHostKeyChecking: "yes",
      ...extra,
    };
  };

  it("a channel closed abruptly (no exit status) ends the command with a null exit code, output kept", async () => {
    const web1 = hosts.host("web1");
    const client = await SshClient.connect(options());
    try {
      web1.faults = { closeChannelAbruptly: true };
      const result = await client.run("echo partial");
      expect(result.stdout).toBe("partial\n");
      expect(result.exitCode).toBeNull();
      expect(result.signal).toBeNull();
      web1.faults = {};
      expect((await client.run("echo next")).stdout).toBe("next\n");
    } finally {
      web1.faults = {};
      await client.close();
    }
  });

  it("every channel refused: a typed CHANNEL_OPEN_FAILED, not a hang", async () => {
    const web1 = hosts.host("web1");
    const client = await SshClient.connect(options());
    try {
      web1.faults = { refuseChannels: true };
      const error = await client.run("true").catch((e: Error) => e);
      expect((error as { code?: string }).code).toBe("CHANNEL_OPEN_FAILED");
    } finally {
      web1.faults = {};
      await client.close();
    }
  });

  it("connection cut the moment a command is sent: CONNECTION_LOST", async () => {
    const web1 = hosts.host("web1");
    const client = await SshClient.connect(options());
    web1.faults = { dropOnExec: "deploy" };
    try {
      const error = await client.run("deploy now").catch((e: Error) => e);
      expect((error as { code?: string }).code).toBe("CONNECTION_LOST");
      expect(web1.log.some((entry) => entry.command === "deploy now" && entry.exitCode !== undefined)).toBe(
        false,
      );
    } finally {
      web1.faults = {};
      await client.close();
    }
  });

  it("SFTP put and get cut by a dropped connection reject with CONNECTION_LOST instead of hanging", async () => {
    const web1 = hosts.host("web1");
    const payload = randomBytes(8 * 1024 * 1024);
    for (const direction of ["put", "get"] as const) {
      const client = await SshClient.connect(options());
      try {
        const sftp = await client.sftp();
        if (direction === "get") await sftp.fastPut(payload, "source.bin");
        web1.faults = { dropAfterBytes: 2 * 1024 * 1024 };
        const error = await (direction === "put"
          ? sftp.fastPut(payload, "upload.bin")
          : sftp.fastGet("source.bin", new PassThrough().resume())
        ).catch((e: Error) => e);
        expect(error).toMatchObject({
          code: "SFTP_FAILED",
          statusName: "CONNECTION_LOST",
          operation: direction,
        });
        expect(client.isConnected).toBe(false);
      } finally {
        web1.faults = {};
        await client.close();
      }
    }
    // After the fault, a new connection completes the upload.
    const client = await SshClient.connect(options());
    try {
      await (await client.sftp()).fastPut(payload, "upload.bin");
      expect((await readFile(join(web1.dir, "upload.bin"))).equals(payload)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it("a slow banner beyond ConnectTimeout: CONNECT_TIMEOUT", async () => {
    const web1 = hosts.host("web1");
    web1.faults = { bannerDelayMs: 5_000 };
    try {
      const error = await SshClient.connect(options({ connectTimeout: 300 })).catch((e: Error) => e);
      expect((error as { code?: string }).code).toBe("CONNECT_TIMEOUT");
    } finally {
      web1.faults = {};
    }
  });
});
