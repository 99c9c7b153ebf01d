// Connection agent forwarding (forwardAgent option, ssh_config ForwardAgent, config) against real sshd
// and a real ssh-agent.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { startAgent } from "@fabric-ts/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { FabricConfig } from "../../src/config/fabric-config.js";
import { Connection, type ConnectionOptions } from "../../src/connection/connection.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

type Agent = Awaited<ReturnType<typeof startAgent>>;

describeWithSshd("Connection agent forwarding against real sshd", () => {
  let sshd: SshdHarness;
  let agent: Agent;
  let dir: string;
  const open: Connection[] = [];

  beforeAll(async () => {
    sshd = await startSshd({ hosts: 2 });
    agent = await startAgent();
    // The agent's key is authorized but never offered by the Connection itself (harness config: no agent).
    await agent.add(sshd.clientKeys.rsa.privateKeyPath);
    dir = await mkdtemp(join(tmpdir(), "fabric-agent-"));
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await agent?.stop();
    await sshd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function connect(options: ConnectionOptions = {}, host = "host1"): Connection {
    const c = new Connection(host, { config: harnessConfig(sshd), ...options });
    open.push(c);
    return c;
  }

  /** A -S file: one extra ssh_config line for host1, then the harness's own blocks. */
  async function configWith(line: string): Promise<FabricConfig> {
    const path = join(dir, `ssh_config_${open.length}`);
    await writeFile(path, `Host host1\n  ${line}\n\n${await readFile(sshd.sshConfigPath, "utf8")}`);
    return harnessConfig(sshd, path);
  }

  async function remoteAgentKeys(c: Connection): Promise<{ exited: number | null; stdout: string }> {
    const result = await c.run("ssh-add -l", { hide: true, warn: true });
    return { exited: result.exited, stdout: result.stdout };
  }

  it("forwards the agent socket given as forwardAgent", async () => {
    const c = connect({ forwardAgent: agent.socket });
    expect(c.forwardAgent).toBe(true);
    expect(c.forwardAgentSocket).toBe(agent.socket);
    const keys = await remoteAgentKeys(c);
    expect(keys.exited).toBe(0);
    expect(keys.stdout).toContain(sshd.clientKeys.rsa.fingerprint);
  });

  it("forwardAgent: true forwards the configured agent (connectKwargs.agent / IdentityAgent)", async () => {
    const c = connect({ forwardAgent: true, connectKwargs: { agent: agent.socket } });
    expect((await remoteAgentKeys(c)).stdout).toContain(sshd.clientKeys.rsa.fingerprint);
  });

  it("takes ssh_config ForwardAgent <socket path>", async () => {
    const c = connect({ config: await configWith(`ForwardAgent ${agent.socket}`) });
    expect(c.forwardAgentSocket).toBe(agent.socket);
    expect((await remoteAgentKeys(c)).stdout).toContain(sshd.clientKeys.rsa.fingerprint);
  });

  it("takes ssh_config ForwardAgent yes, and the option false beats it", async () => {
    const config = await configWith("ForwardAgent yes");
    config.set("connectKwargs", { agent: agent.socket });
    const on = connect({ config });
    expect(on.forwardAgent).toBe(true);
    expect((await remoteAgentKeys(on)).stdout).toContain(sshd.clientKeys.rsa.fingerprint);

    const off = connect({ config, forwardAgent: false });
    expect(off.forwardAgent).toBe(false);
    const keys = await remoteAgentKeys(off);
    expect(keys.exited).toBe(2); // "Could not open a connection to your authentication agent."
    expect(keys.stdout).not.toContain(sshd.clientKeys.rsa.fingerprint);
  });

  it("takes config forwardAgent (a socket path, like a fabric.yaml would)", async () => {
    const config = harnessConfig(sshd);
    config.set("forwardAgent", agent.socket);
    const c = connect({ config });
    expect((await remoteAgentKeys(c)).stdout).toContain(sshd.clientKeys.rsa.fingerprint);
  });

  it("does not forward by default, even with an agent available for auth", async () => {
    const c = connect({ connectKwargs: { agent: agent.socket } });
    expect(c.forwardAgent).toBe(false);
    const echoed = await c.run('echo "sock=[$SSH_AUTH_SOCK]"', { hide: true });
    expect(echoed.stdout.trim()).toBe("sock=[]");
    expect((await remoteAgentKeys(c)).exited).toBe(2);
  });

  it("is harmless when no agent runs: the connection works and nothing is forwarded", async () => {
    const c = connect({ forwardAgent: join(dir, "no-such-agent.sock") });
    expect((await c.run("echo up", { hide: true })).stdout.trim()).toBe("up");
    expect((await remoteAgentKeys(c)).exited).toBe(2);
  });

  it("hops host1 → host2 with only the forwarded agent", async () => {
    const quote = (arg: string) => `'${arg.replaceAll("'", "'\\''")}'`;
    const hop = ["ssh", ...sshd.sshArgs("host2", [], { identityFile: null }), "echo hop-$(id -un)"]
      .map(quote)
      .join(" ");
    const without = await connect({ connectKwargs: { agent: agent.socket } }).run(hop, {
      hide: true,
      warn: true,
    });
    expect(without.exited).not.toBe(0);
    const forwarded = await connect({ forwardAgent: agent.socket }).run(hop, { hide: true });
    expect(forwarded.stdout.trim()).toBe(`hop-${sshd.user}`);
  });

  it("forwards into an interactive shell()", async () => {
    const c = connect({ forwardAgent: agent.socket });
    const result = await c.shell({
      inStream: Readable.from(["ssh-add -l >/dev/null && echo agent-$((40+2))\n", "exit\n"]),
      hide: true,
    });
    expect(result.stdout).toContain("agent-42");
  });
});
