import { execFileSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { type AddressInfo, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SshClient } from "../../src/client/ssh-client.js";
import { JumpHostError } from "../../src/errors.js";
import { connectVia, jumpHostsOf } from "../../src/jump/connect-via.js";
import { connectWithSshConfig, expandProxyCommand } from "../../src/jump/connect-with-ssh-config.js";
import { resolveSshConfigSync } from "../../src/ssh-config/resolve.js";
import { describeWithSshd, type SshdHarness, startSshd } from "../support/sshd.js";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `SSH_CONNECTION` as seen by the target: client address/port, server address/port. */
async function sshConnection(client: SshClient): Promise<{ from: string; fromPort: number; to: string }> {
  const [from = "", fromPort = "0", to = ""] = (await client.run("echo $SSH_CONNECTION")).stdout
    .trim()
    .split(" ");
  return { from, fromPort: Number(fromPort), to };
}

/** PID of the local process owning the TCP socket bound to address:port (we run as root). */
function ownerOfSocket(address: string, port: number): string | undefined {
  const lines = execFileSync("ss", ["-tnpH"], { encoding: "utf8" }).split("\n");
  const line = lines.find((l) => l.split(/\s+/)[3] === `${address}:${port}`);
  return line?.match(/pid=(\d+)/)?.[1];
}

function socketsOf(pid: string): string[] {
  return execFileSync("ss", ["-tnpH"], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l.includes(`pid=${pid},`))
    .map((l) => l.split(/\s+/)[3] ?? "");
}

describeWithSshd("Jump hosts (ProxyJump, ProxyCommand) against real sshd", () => {
  let sshd: SshdHarness;
  let dir: string;
  let configFile: string;
  let secondUser: string;
  let deadPort: number;
  const shared = { agent: false } as const;

  beforeAll(async () => {
    sshd = await startSshd({ hosts: 3 });
    dir = await mkdtemp(join(tmpdir(), "ssh-core-jump-"));
    configFile = join(dir, "ssh_config");
    secondUser = sshd.nopasswdUser ?? sshd.user;
    deadPort = await freePort();
    const keys = sshd.clientKeys;
    await writeFile(
      configFile,
      [
        "Host host1",
        "  HostName 127.0.0.1",
        `  IdentityFile ${keys.ed25519.privateKeyPath}`,
        "Host host2",
        "  HostName 127.0.0.2",
        `  User ${secondUser}`,
        `  IdentityFile ${keys.rsa.privateKeyPath}`,
        "Host host3",
        "  HostName 127.0.0.3",
        `  IdentityFile ${keys.ecdsa.privateKeyPath}`,
        "  ProxyJump host1,host2",
        "Host via-ssh",
        "  HostName 127.0.0.3",
        `  IdentityFile ${keys.ecdsa.privateKeyPath}`,
        `  ProxyCommand ssh -F ${configFile} -W %h:%p host1`,
        "Host via-bash",
        "  HostName 127.0.0.2",
        `  IdentityFile ${keys.ed25519.privateKeyPath}`,
        "  ProxyCommand bash -c 'exec 3<>/dev/tcp/%h/%p; cat <&3 & exec cat >&3'",
        "Host via-broken",
        "  HostName 127.0.0.2",
        `  ProxyCommand sh -c "echo 'proxy says no' >&2; exit 3"`,
        "Host direct",
        "  HostName 127.0.0.3",
        `  IdentityFile ${keys.ed25519.privateKeyPath}`,
        "  ProxyJump none",
        "Host none-then-command",
        "  HostName 127.0.0.3",
        `  IdentityFile ${keys.ed25519.privateKeyPath}`,
        "  ProxyJump none",
        `  ProxyCommand sh -c "echo 'command after none' >&2; exit 3"`,
        "Host dead-middle",
        "  HostName 127.0.0.3",
        `  IdentityFile ${keys.ed25519.privateKeyPath}`,
        "  ProxyJump host1,dead,host2",
        "Host dead",
        "  HostName 127.0.0.2",
        `  Port ${deadPort}`,
        "Host *",
        `  Port ${sshd.port}`,
        `  User ${sshd.user}`,
        "  IdentitiesOnly yes",
        `  UserKnownHostsFile ${sshd.knownHostsPath}`,
        "  GlobalKnownHostsFile /dev/null",
        "  StrictHostKeyChecking yes",
        "  BatchMode yes",
        "",
      ].join("\n"),
    );
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    await sshd?.stop();
  });

  it("ProxyJump host1,host2: dials host1, then host2 through it, then the target through host2", async () => {
    const client = await connectWithSshConfig("host3", { configFile, shared });
    const hops = jumpHostsOf(client);
    expect(hops.map((h) => [h.host, h.username])).toEqual([
      ["127.0.0.1", sshd.user],
      ["127.0.0.2", secondUser],
    ]);
    const seen = await sshConnection(client);
    expect(seen.to).toBe("127.0.0.3");
    // The target's TCP peer is a socket of host2's sshd session (the one serving our 127.0.0.2 login).
    const owner = ownerOfSocket(seen.from, seen.fromPort);
    expect(owner).toBeDefined();
    expect(socketsOf(owner ?? "")).toContain(`127.0.0.2:${sshd.port}`);
    // Each hop authenticated with its own key from ssh_config.
    const log = await sshd.readLog();
    for (const key of [sshd.clientKeys.ed25519, sshd.clientKeys.rsa, sshd.clientKeys.ecdsa]) {
      expect(log).toContain(key.fingerprint);
    }
    expect(log).toContain(`Accepted publickey for ${secondUser}`);
    await client.close();
    await expect.poll(() => hops.every((h) => !h.isConnected)).toBe(true);
  });

  it("ProxyCommand with the OpenSSH client (ssh -W %h:%p host1)", async () => {
    await using client = await connectWithSshConfig("via-ssh", { configFile, shared });
    expect((await sshConnection(client)).to).toBe("127.0.0.3");
    expect((await client.run("echo ok")).stdout).toBe("ok\n");
  });

  it("ProxyCommand as a plain byte pipe (bash /dev/tcp)", async () => {
    await using client = await connectWithSshConfig("via-bash", { configFile, shared });
    expect((await sshConnection(client)).to).toBe("127.0.0.2");
  });

  it("a failing ProxyCommand is a JumpHostError with its exit status and stderr", async () => {
    const error = await connectWithSshConfig("via-broken", { configFile, shared }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JumpHostError);
    expect((error as JumpHostError).hop.name).toContain("ProxyCommand");
    expect((error as Error).message).toContain("exit status 3");
    expect((error as Error).message).toContain("proxy says no");
  });

  it("ProxyJump none disables jumping", async () => {
    await using client = await connectWithSshConfig("direct", { configFile, shared });
    expect(jumpHostsOf(client)).toEqual([]);
    expect((await sshConnection(client)).to).toBe("127.0.0.3");
  });

  it("ProxyJump none keeps a ProxyCommand that follows it, as ssh -G does", async () => {
    const error = await connectWithSshConfig("none-then-command", { configFile, shared }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain("command after none");
  });

  it("a dead middle hop fails with an error naming that hop", async () => {
    const error = await connectWithSshConfig("dead-middle", { configFile, shared }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JumpHostError);
    expect(error).toMatchObject({
      code: "JUMP_HOST_FAILED",
      hop: { index: 1, name: "dead", port: deadPort },
    });
    expect((error as Error).message).toContain(
      `Jump host dead (${sshd.user}@127.0.0.2:${deadPort}) is unreachable`,
    );
  });

  it("connectVia with explicit options reuses an existing first hop and leaves it open", async () => {
    const base = {
      port: sshd.port,
      username: sshd.user,
      agent: false as const,
      identityFiles: [sshd.identityFile],
      userKnownHostsFiles: [sshd.knownHostsPath],
      globalKnownHostsFiles: [],
      strictHostKeyChecking: "yes" as const,
    };
    await using bastion = await SshClient.connect({ ...base, host: "127.0.0.1" });
    const target = await connectVia({
      jumps: [bastion, { ...base, host: "127.0.0.2", name: "middle" }],
      target: { ...base, host: "127.0.0.3" },
    });
    expect((await sshConnection(target)).to).toBe("127.0.0.3");
    const [, middle] = jumpHostsOf(target);
    await target.close();
    await expect.poll(() => middle?.isConnected).toBe(false);
    expect(bastion.isConnected).toBe(true);

    const unreachable = await connectVia({
      jumps: [bastion],
      target: { ...base, host: "127.0.0.3", port: deadPort },
    }).catch((e: unknown) => e);
    expect(unreachable).toMatchObject({ code: "JUMP_HOST_FAILED", hop: { index: 0, host: "127.0.0.1" } });
    expect((unreachable as Error).message).toContain(`127.0.0.3:${deadPort}`);
  });
});

describe("ProxyCommand token expansion", () => {
  it("expands %h %p %r %n and %% like OpenSSH", async () => {
    const dir = await mkdtemp(join(tmpdir(), "ssh-core-tokens-"));
    try {
      const file = join(dir, "config");
      await writeFile(file, "Host alias\n  HostName real.example\n  Port 2200\n  User deploy\n");
      const resolved = resolveSshConfigSync({ host: "alias", configFile: file });
      expect(expandProxyCommand("nc %h %p # %r@%n 100%%", "alias", resolved)).toBe(
        "nc real.example 2200 # deploy@alias 100%",
      );
      expect(() => expandProxyCommand("nc %Z", "alias", resolved)).toThrow(/unknown key %Z/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
