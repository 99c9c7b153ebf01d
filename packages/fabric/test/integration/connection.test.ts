// Connection against the real OpenSSH sshd harness: lifecycle, ssh_config, host keys, sudo, local, shell.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { AuthFailure } from "@fabric-ts/invoke";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FabricConfig } from "../../src/config/fabric-config.js";
import { Connection } from "../../src/connection/connection.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

describeWithSshd("Connection against real sshd", () => {
  let sshd: SshdHarness;
  let dir: string;
  let customConfigPath: string;

  beforeAll(async () => {
    sshd = await startSshd();
    dir = await mkdtemp(join(tmpdir(), "fabric-conn-"));
    const host = sshd.hosts[0]!;
    const emptyKnownHosts = join(dir, "empty_known_hosts");
    await writeFile(emptyKnownHosts, "");
    const strangerKey = join(dir, "stranger_key");
    execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", strangerKey]);
    const block = (alias: string, lines: string[]) =>
      [
        `Host ${alias}`,
        `  HostName ${host.address}`,
        `  Port ${host.port}`,
        `  User ${sshd.user}`,
        ...lines.map((l) => `  ${l}`),
      ].join("\n");
    customConfigPath = join(dir, "ssh_config");
    await writeFile(
      customConfigPath,
      [
        block("webalias", [`IdentityFile ${sshd.identityFile}`, `UserKnownHostsFile ${sshd.knownHostsPath}`]),
        block("unknownkey", [`IdentityFile ${sshd.identityFile}`, `UserKnownHostsFile ${emptyKnownHosts}`]),
        block("withenv", [
          `IdentityFile ${sshd.identityFile}`,
          `UserKnownHostsFile ${sshd.knownHostsPath}`,
          'SetEnv FABTS_SET="hello world"',
          "SendEnv FABTS_SEND_*",
        ]),
        block("stranger", [`IdentityFile ${strangerKey}`, `UserKnownHostsFile ${sshd.knownHostsPath}`]),
        "Host *\n  IdentitiesOnly yes\n  GlobalKnownHostsFile /dev/null\n",
      ].join("\n\n"),
    );
  });
  afterAll(async () => {
    await sshd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("opens lazily, reports isConnected, closes, and reopens on next use", async () => {
    const c = new Connection("host1", { config: harnessConfig(sshd) });
    expect(c.isConnected).toBe(false);
    expect(c.client).toBeNull();
    await c.run("true", { hide: true });
    expect(c.isConnected).toBe(true);
    const first = c.client;
    await c.open(); // no-op when open
    expect(c.client).toBe(first);
    await c.close();
    expect(c.isConnected).toBe(false);
    await c.close(); // idempotent
    expect((await c.run("echo again", { hide: true })).stdout).toBe("again\n");
    expect(c.client).not.toBe(first);
    await c.close();
  });

  it("closes on `await using`", async () => {
    let escaped: Connection | undefined;
    {
      await using c = new Connection("host1", { config: harnessConfig(sshd) });
      await c.open();
      expect(c.isConnected).toBe(true);
      escaped = c;
    }
    expect(escaped?.isConnected).toBe(false);
  });

  it("reaches a host through ssh_config Hostname/User/Port/IdentityFile (shorthand-free alias)", async () => {
    const config = harnessConfig(sshd, customConfigPath);
    await using c = new Connection("webalias", { config });
    expect(c.originalHost).toBe("webalias");
    expect(c.host).toBe(sshd.hosts[0]!.address);
    expect(c.port).toBe(sshd.hosts[0]!.port);
    expect(c.user).toBe(sshd.user);
    expect((await c.run("whoami", { hide: true })).stdout).toBe(`${sshd.user}\n`);
  });

  it("sends ssh_config SetEnv and SendEnv variables, and nothing else from here", async () => {
    process.env.FABTS_SEND_X = "sent";
    process.env.FABTS_NOT_SENT = "kept-local";
    try {
      await using c = new Connection("withenv", { config: harnessConfig(sshd, customConfigPath) });
      const result = await c.run('echo "[$FABTS_SET][$FABTS_SEND_X][$FABTS_NOT_SENT][$EXTRA]"', {
        hide: true,
        env: { EXTRA: "x" },
      });
      expect(result.stdout).toBe("[hello world][sent][][x]\n");
    } finally {
      delete process.env.FABTS_SEND_X;
      delete process.env.FABTS_NOT_SENT;
    }
  });

  it("connects with user@address:port shorthand", async () => {
    const host = sshd.hosts[0]!;
    // The harness ssh_config also matches the bare address (key and known_hosts come from it).
    await using c = new Connection(`${sshd.user}@${host.address}:${host.port}`, {
      config: harnessConfig(sshd),
    });
    expect([c.user, c.host, c.port]).toEqual([sshd.user, host.address, host.port]);
    expect((await c.run("echo $USER", { hide: true })).stdout).toBe(`${sshd.user}\n`);
  });

  it("offers only the IdentityFile ssh_config names (an unauthorized key fails)", async () => {
    const c = new Connection("stranger", { config: harnessConfig(sshd, customConfigPath) });
    await expect(c.run("true", { hide: true })).rejects.toMatchObject({ code: "AUTH_FAILED" });
    expect(c.isConnected).toBe(false);
  });

  it("verifies host keys by default: an unknown key is refused", async () => {
    const c = new Connection("unknownkey", { config: harnessConfig(sshd, customConfigPath) });
    await expect(c.open()).rejects.toMatchObject({ code: "HOST_KEY_UNKNOWN" });
  });

  it("runs locally with local(), without the remote cd/prefix", async () => {
    await using c = new Connection("host1", { config: harnessConfig(sshd) });
    const local = await c.cd("/definitely/remote/only").prefix("false").local("pwd", { hide: true });
    expect(local.stdout).toBe(`${process.cwd()}\n`);
    expect(c.isConnected).toBe(false);
  });

  it("opens an interactive shell on a pty and returns its transcript without throwing on exit codes", async () => {
    await using c = new Connection("host1", { config: harnessConfig(sshd) });
    const result = await c.shell({
      inStream: Readable.from(["echo in-shell-$((6*7)) $TERM\n", "exit 5\n"]),
      hide: true,
    });
    expect(result.stdout).toContain("in-shell-42 vt100");
    expect(result.exited).toBe(5);
    expect(result.pty).toBe(true);
    expect(result.connection).toBe(c);
  });

  it("writes shell output to outStream as it arrives", async () => {
    await using c = new Connection("host1", { config: harnessConfig(sshd) });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (chunk: Buffer) => chunks.push(chunk));
    await c.shell({ inStream: Readable.from(["echo streamed-$((1+1))\n", "exit\n"]), outStream: out });
    expect(Buffer.concat(chunks).toString()).toContain("streamed-2");
  });

  it("keeps a ConfigError for a missing -S file", () => {
    const config = new FabricConfig({ lazy: true, runtimeSshPath: join(dir, "missing"), env: {} });
    expect(() => new Connection("host1", { config })).toThrow(/ssh_config file not found/);
  });

  it("leaves the sshd log free of our secrets", async () => {
    const c = new Connection("host1", {
      config: harnessConfig(sshd),
      connectKwargs: { password: "pw-never-logged" },
    });
    await c.run("true", { hide: true });
    await c.close();
    expect(await readFile(sshd.logPath, "utf8")).not.toContain("pw-never-logged");
  });
});

describeWithSshd(
  "Connection.sudo against real sshd",
  () => {
    let sshd: SshdHarness;
    beforeAll(async () => {
      sshd = await startSshd();
    });
    afterAll(async () => {
      await sshd?.stop();
    });

    it("answers sudo's prompt with this connection's sudo.password", async () => {
      if (!sshd.sudo.available) throw new Error(`sudo unavailable: ${sshd.sudo.reason}`);
      const config = harnessConfig(sshd);
      await using c = new Connection("host1", { config });
      config.set("sudo.password", sshd.sudo.password);
      const result = await c.sudo("whoami", { hide: true });
      expect(result.stdout.trim()).toBe("root");
      expect(result.stdout).not.toContain(sshd.sudo.password);
      const inDir = await c.cd("/tmp").sudo("pwd", { hide: true });
      expect(inDir.stdout.trim()).toBe("/tmp");
    });

    it("raises AuthFailure for a wrong password, without echoing it", async () => {
      const config = harnessConfig(sshd);
      config.set("sudo.password", "definitely-wrong-pw");
      await using c = new Connection("host1", { config });
      const error = await c.sudo("whoami", { hide: true }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AuthFailure);
      expect(String(error)).toContain("was rejected");
      expect(String(error)).not.toContain("definitely-wrong-pw");
    });
  },
  { sudo: true },
);
