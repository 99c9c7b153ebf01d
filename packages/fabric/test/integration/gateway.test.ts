// Gateways against the real sshd: ProxyJump (2 hops, OpenSSH order), ProxyCommand, gateway Connections.
import { readFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "../../src/connection/connection.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

/** "Connection from … on <address> port <port>" lines of the sshd log, in order: which host was dialled. */
async function dialled(sshd: SshdHarness, since: number): Promise<string[]> {
  const log = (await readFile(sshd.logPath, "utf8")).slice(since);
  return [...log.matchAll(/Connection from \S+ port \d+ on (\S+) port \d+/g)].map((m) => m[1]!);
}

/** Tunnel targets sshd opened for direct-tcpip requests, in order. */
async function tunnelled(sshd: SshdHarness, since: number): Promise<string[]> {
  const log = (await readFile(sshd.logPath, "utf8")).slice(since);
  return [
    ...log.matchAll(/server_request_direct_tcpip: originator \S+ port \d+, target (\S+) port \d+/g),
  ].map((m) => m[1]!);
}

async function logSize(sshd: SshdHarness): Promise<number> {
  return (await readFile(sshd.logPath, "utf8")).length;
}

describeWithSshd("gateways against real sshd", () => {
  let sshd: SshdHarness;
  let configPath: string;

  beforeAll(async () => {
    sshd = await startSshd({ hosts: ["127.0.0.2", "127.0.0.3", "127.0.0.4"], logLevel: "DEBUG1" });
    const target = sshd.host("host3");
    configPath = join(sshd.dir, "gateway_ssh_config");
    const harness = await readFile(sshd.sshConfigPath, "utf8");
    await writeFile(
      configPath,
      [
        `Host jumptarget\n  HostName ${target.address}\n  Port ${target.port}\n  ProxyJump host1,host2`,
        `Host pctarget\n  HostName ${target.address}\n  Port ${target.port}\n  ProxyCommand ssh -F ${sshd.sshConfigPath} -W %h:%p host1`,
        `Host plaintarget\n  HostName ${target.address}\n  Port ${target.port}`,
        harness,
        `Host *\n  User ${sshd.user}\n  IdentityFile ${sshd.identityFile}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${sshd.knownHostsPath}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes`,
      ].join("\n\n"),
    );
  });
  afterAll(async () => {
    await sshd?.stop();
    if (configPath) await rm(configPath, { force: true });
  });

  it("follows a 2-hop ProxyJump in OpenSSH order (first hop dialled first)", async () => {
    const since = await logSize(sshd);
    const c = new Connection("jumptarget", { config: harnessConfig(sshd, configPath) });
    const second = c.gateway as Connection;
    const first = second.gateway as Connection;
    expect([first.originalHost, second.originalHost]).toEqual(["host1", "host2"]);
    expect((await c.run("echo via-jump", { hide: true })).stdout).toBe("via-jump\n");
    expect(first.isConnected && second.isConnected).toBe(true);
    expect(await dialled(sshd, since)).toEqual(["127.0.0.2", "127.0.0.3", "127.0.0.4"]);
    expect(await tunnelled(sshd, since)).toEqual(["127.0.0.3", "127.0.0.4"]);
    // Closing the target releases the hops it alone was using.
    await c.close();
    await expect.poll(() => first.isConnected || second.isConnected).toBe(false);
  });

  it("tunnels through a ProxyCommand from ssh_config, with %h:%p expanded", async () => {
    const since = await logSize(sshd);
    await using c = new Connection("pctarget", { config: harnessConfig(sshd, configPath) });
    expect(c.gateway).toBe(`ssh -F ${sshd.sshConfigPath} -W %h:%p host1`);
    expect((await c.run("echo via-proxycommand", { hide: true })).stdout).toBe("via-proxycommand\n");
    expect(await tunnelled(sshd, since)).toEqual(["127.0.0.4"]);
    expect(await dialled(sshd, since)).toEqual(["127.0.0.2", "127.0.0.4"]);
  });

  it("tunnels through a gateway Connection shared by several targets; one closing keeps the others working", async () => {
    const config = harnessConfig(sshd, configPath);
    const bastion = new Connection("host1", { config });
    const a = new Connection("plaintarget", { config, gateway: bastion });
    const b = new Connection("host2", { config, gateway: bastion });
    const since = await logSize(sshd);
    const [ra, rb] = await Promise.all([
      a.run("hostname -I 2>/dev/null; echo a", { hide: true }),
      b.run("echo b", { hide: true }),
    ]);
    expect(ra.stdout.trim().endsWith("a")).toBe(true);
    expect(rb.stdout).toBe("b\n");
    // One transport to the bastion for both targets.
    expect((await dialled(sshd, since)).filter((address) => address === "127.0.0.2")).toHaveLength(1);
    await a.close();
    expect(bastion.isConnected).toBe(true);
    expect((await b.run("echo still", { hide: true })).stdout).toBe("still\n");
    await b.close();
    await expect.poll(() => bastion.isConnected).toBe(false);
  });

  it("keeps a gateway the caller opened itself after its targets close", async () => {
    const config = harnessConfig(sshd, configPath);
    await using bastion = new Connection("host1", { config });
    await bastion.open();
    const target = new Connection("plaintarget", { config, gateway: bastion });
    await target.run("true", { hide: true });
    await target.close();
    expect(bastion.isConnected).toBe(true);
  });

  it("takes a ProxyCommand string given in code and openGateway() returns its stream", async () => {
    const config = harnessConfig(sshd, configPath);
    await using c = new Connection("plaintarget", {
      config,
      gateway: `ssh -F ${sshd.sshConfigPath} -W %h:%p host2`,
    });
    const stream = await c.openGateway();
    const banner = await new Promise<string>((resolve) =>
      stream.once("data", (chunk: Buffer) => resolve(chunk.toString())),
    );
    expect(banner).toMatch(/^SSH-2\.0-OpenSSH/);
    stream.destroy();
    expect((await c.run("echo ok", { hide: true })).stdout).toBe("ok\n");
  });

  it("nests gateway Connections given in code", async () => {
    const config = harnessConfig(sshd, configPath);
    const hop1 = new Connection("host1", { config });
    const hop2 = new Connection("host2", { config, gateway: hop1 });
    const since = await logSize(sshd);
    await using c = new Connection("plaintarget", { config, gateway: hop2 });
    expect((await c.run("echo nested", { hide: true })).stdout).toBe("nested\n");
    expect(await dialled(sshd, since)).toEqual(["127.0.0.2", "127.0.0.3", "127.0.0.4"]);
  });
});
