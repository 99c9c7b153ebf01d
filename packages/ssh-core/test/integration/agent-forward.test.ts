import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planAgentForward } from "../../src/client/agent-forward.js";
import { clientOptionsFromSshConfig } from "../../src/client/from-ssh-config.js";
import type { SshClientOptions } from "../../src/client/options.js";
import { SshClient } from "../../src/client/ssh-client.js";
import { resolveSshConfig } from "../../src/ssh-config/index.js";
import {
  baseOptions,
  describeWithSshd,
  type SshdHarness,
  scratchKnownHosts,
  startAgent,
  startSshd,
} from "../support/sshd.js";

type Agent = Awaited<ReturnType<typeof startAgent>>;

describe("planAgentForward", () => {
  let dir: string;
  let agent: Agent;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "agent-plan-"));
    agent = await startAgent();
  });
  afterAll(async () => {
    await agent?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("forwards $SSH_AUTH_SOCK for agentForward: true", async () => {
    const plan = await planAgentForward({ agentForward: true, env: { SSH_AUTH_SOCK: agent.socket } });
    expect(plan).toEqual({ socket: agent.socket, byDefault: true });
  });

  it("a socket named by agentForward wins over the auth agent", async () => {
    const plan = await planAgentForward({ agent: "/nonexistent.sock", agentForward: agent.socket, env: {} });
    expect(plan).toEqual({ socket: agent.socket, byDefault: true });
  });

  it("keeps the auth agent available for per-command forwarding when off by default", async () => {
    expect(await planAgentForward({ agent: agent.socket, env: {} })).toEqual({
      socket: agent.socket,
      byDefault: false,
    });
  });

  it("takes ForwardAgent yes/no/path from ssh_config", async () => {
    const file = join(dir, "config");
    await writeFile(
      file,
      ["Host yes", "  ForwardAgent yes", "Host path", `  ForwardAgent ${agent.socket}`, ""].join("\n"),
    );
    const options = async (host: string) =>
      clientOptionsFromSshConfig(await resolveSshConfig({ host, configFile: file })).agentForward;
    expect(await options("yes")).toBe(true);
    expect(await options("path")).toBe(agent.socket);
    expect(await options("other")).toBeUndefined();
  });

  it("forwards nothing when the socket is missing, not a socket, or the agent is disabled", async () => {
    const file = join(dir, "not-a-socket");
    await writeFile(file, "");
    for (const input of [
      { agentForward: true, env: { SSH_AUTH_SOCK: join(dir, "missing.sock") } },
      { agentForward: file, env: {} },
      { agent: false as const, agentForward: true, env: { SSH_AUTH_SOCK: agent.socket } },
      { agent: "none", agentForward: true, env: {} },
    ]) {
      expect(await planAgentForward(input)).toEqual({ socket: null, byDefault: false });
    }
  });
});

describeWithSshd("agent forwarding against real sshd and ssh-agent", () => {
  let sshd: SshdHarness;
  let agent: Agent;
  let knownHosts: Awaited<ReturnType<typeof scratchKnownHosts>>;
  const clients: SshClient[] = [];

  beforeAll(async () => {
    sshd = await startSshd({ hosts: 2 });
    knownHosts = await scratchKnownHosts(sshd);
    agent = await startAgent();
    // The agent holds a key the harness authorizes; the client itself logs in with the ed25519 file.
    await agent.add(sshd.clientKeys.rsa.privateKeyPath);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await agent?.stop();
    await knownHosts?.cleanup();
    await sshd?.stop();
  });

  async function connect(extra: Partial<SshClientOptions>): Promise<SshClient> {
    const client = await SshClient.connect(
      baseOptions(sshd, knownHosts.file, {
        identityFiles: [sshd.clientKeys.ed25519.privateKeyPath],
        ...extra,
      }),
    );
    clients.push(client);
    return client;
  }

  it("lets the remote side list the local agent's keys when forwarding is on", async () => {
    const client = await connect({ agentForward: agent.socket });
    expect(client.forwardedAgent).toBe(agent.socket);
    const listed = await client.run("ssh-add -l");
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toContain(sshd.clientKeys.rsa.fingerprint);
    // Every later command on the connection sees it too.
    expect((await client.run('test -S "$SSH_AUTH_SOCK" && echo socket')).stdout.trim()).toBe("socket");
  });

  it("gives the remote side no agent when forwarding is off", async () => {
    // The agent is reachable for auth, but not forwarded.
    const client = await connect({ agent: agent.socket });
    expect(client.forwardedAgent).toBeNull();
    const listed = await client.run('ssh-add -l; echo "sock=[$SSH_AUTH_SOCK]"');
    expect(listed.stdout).toContain("sock=[]");
    expect(listed.stdout).not.toContain(sshd.clientKeys.rsa.fingerprint);
    const status = await client.run("ssh-add -l");
    expect(status.exitCode).toBe(2); // "Could not open a connection to your authentication agent."
  });

  it("forwards for a single command when the exec asks for it", async () => {
    const client = await connect({ agent: agent.socket });
    const listed = await client.run("ssh-add -l", { agentForward: true });
    expect(listed.exitCode).toBe(0);
    expect(listed.stdout).toContain(sshd.clientKeys.rsa.fingerprint);
  });

  it("connects normally and forwards nothing when agentForward names a missing socket", async () => {
    const client = await connect({ agentForward: join(knownHosts.dir, "no-agent.sock") });
    expect(client.forwardedAgent).toBeNull();
    expect((await client.run("ssh-add -l")).exitCode).toBe(2);
  });

  it("hops from host1 to host2 using only the forwarded agent", async () => {
    // On host1, OpenSSH's client with no key file at all: only the forwarded agent can authenticate.
    const hop = ["ssh", ...sshd.sshArgs("host2", [], { identityFile: null }), "echo hopped-$(id -un)"]
      .map((arg) => `'${arg.replaceAll("'", "'\\''")}'`)
      .join(" ");
    const without = await (await connect({ agent: agent.socket })).run(hop);
    expect(without.exitCode).not.toBe(0);
    const forwarded = await (await connect({ agentForward: agent.socket })).run(hop);
    expect(forwarded.stderr).toBe("");
    expect(forwarded.exitCode).toBe(0);
    expect(forwarded.stdout.trim()).toBe(`hopped-${sshd.user}`);
  });
});
