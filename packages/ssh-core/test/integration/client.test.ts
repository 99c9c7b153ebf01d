import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { SshClientOptions } from "../../src/client/options.js";
import { SshClient } from "../../src/client/ssh-client.js";
import { HostKeyError } from "../../src/errors.js";
import {
  baseOptions,
  describeWithSshd,
  type SshdHarness,
  scratchKnownHosts,
  startSshd,
} from "../support/sshd.js";

describeWithSshd("SshClient host keys and connection lifecycle against real sshd", () => {
  let sshd: SshdHarness;
  let scratch: Awaited<ReturnType<typeof scratchKnownHosts>>;
  beforeAll(async () => {
    sshd = await startSshd();
    scratch = await scratchKnownHosts(sshd);
  });
  afterAll(async () => {
    await scratch?.cleanup();
    await sshd?.stop();
  });

  const hostName = () => `[${sshd.hosts[0]?.address}]:${sshd.port}`;
  const options = (knownHostsFile: string, extra: Partial<SshClientOptions> = {}) =>
    baseOptions(sshd, knownHostsFile, { identityFiles: [sshd.identityFile], ...extra });

  async function connectAndRun(opts: SshClientOptions): Promise<string> {
    const client = await SshClient.connect(opts);
    try {
      return (await client.run("echo ok")).stdout;
    } finally {
      await client.close();
    }
  }

  it("connects when known_hosts (plain or hashed) has the key", async () => {
    expect(await connectAndRun(options(scratch.file))).toBe("ok\n");
    expect(await connectAndRun(options(sshd.hashedKnownHostsPath))).toBe("ok\n");
  });

  it("StrictHostKeyChecking=yes refuses an unknown host with HOST_KEY_UNKNOWN", async () => {
    const empty = `${scratch.dir}/empty_known_hosts`;
    const error = await SshClient.connect(options(empty, { strictHostKeyChecking: "yes" })).catch((e) => e);
    expect(error).toBeInstanceOf(HostKeyError);
    expect(error.code).toBe("HOST_KEY_UNKNOWN");
    expect(error.message).toContain(hostName());
    // The two ways forward are named; the ssh-keyscan one, run as given, makes the host known.
    expect(error.message).toContain("`StrictHostKeyChecking accept-new` in ssh_config");
    const scan = /`(ssh-keyscan [^`]+)`/.exec(error.message)?.[1] ?? "";
    expect(scan).toBe(`ssh-keyscan -p ${sshd.port} ${sshd.hosts[0]?.address} >> ${empty}`);
    execFileSync("/bin/sh", ["-c", `${scan} 2>/dev/null`]);
    expect(await connectAndRun(options(empty, { strictHostKeyChecking: "yes" }))).toBe("ok\n");
  });

  it("accept-new records the key in OpenSSH's format, and the entry works for ssh too", async () => {
    const file = `${scratch.dir}/accept_new_known_hosts`;
    expect(await connectAndRun(options(file, { strictHostKeyChecking: "accept-new" }))).toBe("ok\n");
    const text = await readFile(file, "utf8");
    expect(text).toMatch(
      new RegExp(`^\\[${sshd.hosts[0]?.address.replaceAll(".", "\\.")}\\]:${sshd.port} ssh-ed25519 \\S+\\n$`),
    );
    // The recorded key is one of the server's real host keys.
    const hostKeyBlobs = sshd.hostKeys.map((k) => k.publicKey.split(/\s+/)[1]);
    expect(hostKeyBlobs).toContain(text.trim().split(" ")[2]);
    expect(await connectAndRun(options(file, { strictHostKeyChecking: "yes" }))).toBe("ok\n");
  });

  it("no: accepts and records an unknown key", async () => {
    const file = `${scratch.dir}/no_known_hosts`;
    expect(await connectAndRun(options(file, { strictHostKeyChecking: "no" }))).toBe("ok\n");
    expect(await readFile(file, "utf8")).toContain(hostName());
  });

  it("ask: consults the callback with the fingerprint", async () => {
    const file = `${scratch.dir}/ask_known_hosts`;
    const seen: string[] = [];
    const refused = await SshClient.connect(
      options(file, {
        strictHostKeyChecking: "ask",
        onUnknownHostKey: (info) => {
          seen.push(info.fingerprint);
          return false;
        },
      }),
    ).catch((e) => e);
    expect(refused.code).toBe("HOST_KEY_UNKNOWN");
    expect(seen[0]).toMatch(/^SHA256:/);
    expect(
      await connectAndRun(options(file, { strictHostKeyChecking: "ask", onUnknownHostKey: () => true })),
    ).toBe("ok\n");
  });

  it("a changed host key is a hard HOST_KEY_MISMATCH naming file:line, even with StrictHostKeyChecking=no", async () => {
    const file = `${scratch.dir}/changed_known_hosts`;
    const original = await readFile(sshd.knownHostsPath, "utf8");
    // Replace the ed25519 key for our host with a different ed25519 key (the client's own public key).
    const other = sshd.clientKeys.ed25519.publicKey.split(/\s+/)[1];
    const tampered = original
      .split("\n")
      .map((line) =>
        line.startsWith(hostName()) && line.includes("ssh-ed25519")
          ? `${hostName()} ssh-ed25519 ${other}`
          : line,
      )
      .join("\n");
    await writeFile(file, tampered);
    const lineNo = tampered.split("\n").findIndex((l) => l.includes(other as string)) + 1;
    for (const mode of ["yes", "no"] as const) {
      const error = await SshClient.connect(options(file, { strictHostKeyChecking: mode })).catch((e) => e);
      expect(error.code).toBe("HOST_KEY_MISMATCH");
      expect(error.message).toContain(`${file}:${lineNo}`);
      expect(error.details.fingerprint).toMatch(/^SHA256:/);
    }
  });

  it("HostKeyAlias looks the key up under the alias", async () => {
    const file = `${scratch.dir}/alias_known_hosts`;
    const ed = sshd.hostKeys.find((k) => k.publicKey.startsWith("ssh-ed25519"));
    await writeFile(file, `build-box ${ed?.publicKey.split(/\s+/).slice(0, 2).join(" ")}\n`);
    expect(await connectAndRun(options(file, { hostKeyAlias: "build-box" }))).toBe("ok\n");
  });

  it("CONNECT_REFUSED for a closed port, after ConnectionAttempts tries", async () => {
    const probe: Server = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const error = await SshClient.connect({
      ...options(scratch.file),
      port,
      connectionAttempts: 2,
      retryDelay: 10,
    }).catch((e) => e);
    expect(error.code).toBe("CONNECT_REFUSED");
    expect(error.port).toBe(port);
  });

  it("CONNECT_TIMEOUT when the server never speaks SSH", async () => {
    const silent: Server = createServer(() => {});
    await new Promise<void>((r) => silent.listen(0, "127.0.0.1", r));
    try {
      const port = (silent.address() as { port: number }).port;
      const error = await SshClient.connect({ ...options(scratch.file), port, connectTimeout: 300 }).catch(
        (e) => e,
      );
      expect(error.code).toBe("CONNECT_TIMEOUT");
    } finally {
      silent.close();
    }
  });

  it("reports CONNECTION_LOST (event, closed promise, running command) when sshd dies", async () => {
    const own = await startSshd();
    const file = `${scratch.dir}/own_known_hosts`;
    await writeFile(file, await readFile(own.knownHostsPath, "utf8"));
    try {
      const client = await SshClient.connect({
        ...baseOptions(own, file),
        identityFiles: [own.identityFile],
      });
      const events: Array<string | undefined> = [];
      client.on("close", ({ error }) => events.push(error?.code));
      const running = client.exec("sleep 30");
      await running.started;
      await own.kill();
      await expect(running.done).rejects.toMatchObject({ code: "CONNECTION_LOST" });
      expect((await client.closed).error?.code).toBe("CONNECTION_LOST");
      expect(events).toEqual(["CONNECTION_LOST"]);
      expect(client.isConnected).toBe(false);
      expect(() => client.exec("true")).toThrow(expect.objectContaining({ code: "NOT_CONNECTED" }));
    } finally {
      await own.stop();
    }
  });

  it("close() is clean and idempotent; await using disposes", async () => {
    let seen: SshClient | undefined;
    {
      await using client = await SshClient.connect(options(scratch.file));
      seen = client;
      expect(client.isConnected).toBe(true);
    }
    expect(seen?.isConnected).toBe(false);
    expect((await seen?.closed)?.error).toBeNull();
    await seen?.close();
  });

  it("keepalive (ServerAliveInterval) detects a frozen server", async () => {
    const own = await startSshd();
    const file = `${scratch.dir}/ka_known_hosts`;
    await writeFile(file, await readFile(own.knownHostsPath, "utf8"));
    try {
      const client = await SshClient.connect({
        ...baseOptions(own, file),
        identityFiles: [own.identityFile],
        keepaliveInterval: 100,
        keepaliveCountMax: 2,
      });
      expect((await client.run("echo alive")).stdout).toBe("alive\n");
      // Freeze the session processes: the TCP connection stays up but nothing answers.
      expect(own.killSessions("SIGSTOP")).toBeGreaterThan(0);
      const { error } = await client.closed;
      expect(error?.code).toBe("CONNECTION_LOST");
      expect(error?.message).toMatch(/keepalive/i);
      own.killSessions("SIGCONT");
    } finally {
      await own.stop();
    }
  });
});
