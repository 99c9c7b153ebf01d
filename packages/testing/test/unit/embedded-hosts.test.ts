import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ClientChannel } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedExecEvent, type EmbeddedHosts, startEmbeddedHosts } from "../../src/embedded/index.js";
import {
  collect,
  connectClient,
  embeddedTarget,
  eventually,
  exec,
  openExec,
  runProgram,
  ssh,
  sshArgs,
} from "../support/embedded-helpers.js";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("embedded hosts: several hosts at once", () => {
  let group: EmbeddedHosts;
  beforeAll(async () => {
    group = await startEmbeddedHosts();
  });
  afterAll(() => group?.stop());

  it("starts web1..web3, each with its own port, sandbox and host key", () => {
    expect(group.hosts.map((host) => host.name)).toEqual(["web1", "web2", "web3"]);
    expect(new Set(group.hosts.map((host) => host.port)).size).toBe(3);
    expect(new Set(group.hosts.map((host) => host.dir)).size).toBe(3);
    expect(new Set(group.hosts.map((host) => host.hostPublicKey)).size).toBe(3);
    for (const host of group.hosts) {
      expect(host.address).toBe("127.0.0.1");
      expect(host.dir.startsWith(group.rootDir)).toBe(true);
      expect(host.knownHostsLine()).toBe(`[127.0.0.1]:${host.port} ${host.hostPublicKey}`);
      expect(host.hostPublicKey).toMatch(/^ssh-ed25519 AAAA[\w+/=]+$/);
    }
  });

  it("writes an ssh config and known_hosts that the OpenSSH client uses with strict checking", async () => {
    const config = await readFile(group.sshConfigPath, "utf8");
    const web2 = group.host("web2");
    expect(config).toContain(
      `Host web2\n  HostName 127.0.0.1\n  Port ${web2.port}\n  User ${web2.user}\n  IdentityFile ${group.clientKey.privateKeyPath}\n`,
    );
    const knownHosts = await readFile(group.knownHostsPath, "utf8");
    expect(knownHosts.trim().split("\n")).toEqual(group.hosts.map((host) => host.knownHostsLine()));
    const results = await Promise.all(
      group.hosts.map((host) => ssh(embeddedTarget(group, host.name), "echo $HOME")),
    );
    expect(results.map((result) => result.stdout.trim())).toEqual(group.hosts.map((host) => host.dir));
  });

  it("keeps the sandboxes apart: a file written on web1 is not on web2", async () => {
    await ssh(embeddedTarget(group, "web1"), "echo only-web1 > marker.txt");
    expect(await readFile(join(group.host("web1").dir, "marker.txt"), "utf8")).toBe("only-web1\n");
    const onWeb2 = await ssh(embeddedTarget(group, "web2"), "cat marker.txt");
    expect(onWeb2.code).not.toBe(0);
  });

  it("logs every command and emits exec/exit events with the client's env", async () => {
    const host = group.host("web3");
    const seen: string[] = [];
    const onExec = (event: EmbeddedExecEvent) => seen.push(`exec:${event.entry.command}`);
    const onExit = (event: EmbeddedExecEvent) => seen.push(`exit:${event.entry.exitCode}`);
    host.on("exec", onExec).on("exit", onExit);
    const client = await connectClient(embeddedTarget(group, "web3"));
    try {
      await exec(client, "exit 7", { env: { FABTS_STAGE: "test" } });
    } finally {
      client.end();
      host.off("exec", onExec).off("exit", onExit);
    }
    expect(seen).toEqual(["exec:exit 7", "exit:7"]);
    const entry = host.log.at(-1);
    expect(entry).toMatchObject({ command: "exit 7", env: { FABTS_STAGE: "test" }, exitCode: 7, pty: false });
    expect(entry?.user).toBe(host.user);
  });

  it("counts open connections", async () => {
    const host = group.host("web1");
    const before = host.totalConnections;
    const client = await connectClient(embeddedTarget(group, "web1"));
    expect(host.connections).toBe(1);
    expect(host.totalConnections).toBe(before + 1);
    client.end();
    await eventually(() => host.connections === 0);
  });
});

describe("embedded hosts: sessions", () => {
  let group: EmbeddedHosts;
  beforeAll(async () => {
    group = await startEmbeddedHosts({ hosts: ["app"] });
  });
  afterAll(() => group?.stop());

  it("allocates a real pty for `ssh -tt` and for ssh2 pty requests", async () => {
    const viaOpenSsh = await ssh(embeddedTarget(group, "app"), "tty");
    expect(viaOpenSsh.stdout).toBe("not a tty\n");
    const withTty = await runProgram("ssh", [
      "-F",
      group.sshConfigPath,
      "-o",
      "BatchMode=yes",
      "-tt",
      "app",
      "tty; echo TERM=$TERM",
    ]);
    expect(withTty.stdout).toMatch(/^\/dev\/pts\/\d+\r\nTERM=\S+\r\n$/);
    const client = await connectClient(embeddedTarget(group, "app"));
    try {
      const result = await exec(client, "stty size; [ -t 0 ] && echo interactive", {
        pty: { rows: 33, cols: 101, term: "xterm-256color" },
      });
      expect(result.stdout).toBe("33 101\r\ninteractive\r\n");
      expect(result.code).toBe(0);
      expect(group.host("app").log.at(-1)?.pty).toBe(true);
    } finally {
      client.end();
    }
  });

  it("honours window-change on a pty", async () => {
    const client = await connectClient(embeddedTarget(group, "app"));
    try {
      const channel: ClientChannel = await openExec(client, "read line; stty size", {
        pty: { rows: 24, cols: 80 },
      });
      const result = collect(channel);
      channel.setWindow(40, 120, 0, 0);
      channel.write("go\n");
      expect((await result).stdout).toContain("40 120");
    } finally {
      client.end();
    }
  });

  it("runs an interactive shell for a shell request", async () => {
    const client = await connectClient(embeddedTarget(group, "app"));
    try {
      const channel = await new Promise<ClientChannel>((resolve, reject) =>
        client.shell(false, (error, stream) => (error ? reject(error) : resolve(stream))),
      );
      const result = collect(channel);
      channel.end("echo from-shell; pwd; exit 4\n");
      const { stdout, code } = await result;
      expect(stdout).toBe(`from-shell\n${group.host("app").dir}\n`);
      expect(code).toBe(4);
      expect(group.host("app").log.at(-1)?.kind).toBe("shell");
    } finally {
      client.end();
    }
  });

  it("closing the channel hangs up the whole process group", async () => {
    const client = await connectClient(embeddedTarget(group, "app"));
    try {
      const channel = await openExec(client, "sleep 300 & echo $!; wait");
      const pid = await new Promise<number>((resolve) =>
        channel.once("data", (chunk: Buffer) => resolve(Number(chunk.toString().trim()))),
      );
      expect(isAlive(pid)).toBe(true);
      channel.close();
      await eventually(() => !isAlive(pid));
    } finally {
      client.end();
    }
  });
});

describe("embedded hosts: lifecycle and options", () => {
  it("removes its temp root on stop, and `await using` stops it", async () => {
    let root = "";
    {
      await using group = await startEmbeddedHosts({ hosts: 1 });
      root = group.rootDir;
      expect(existsSync(join(root, "web1"))).toBe(true);
    }
    expect(existsSync(root)).toBe(false);
  });

  it("keeps a caller-given rootDir and serves hosts on distinct loopback addresses", async () => {
    const root = await mkdtemp(join(tmpdir(), "fabric-ts-embedded-root-"));
    try {
      const group = await startEmbeddedHosts({
        hosts: ["a", "b"],
        rootDir: root,
        address: ["127.0.0.2", "127.0.0.3"],
      });
      try {
        expect(group.hosts.map((host) => host.address)).toEqual(["127.0.0.2", "127.0.0.3"]);
        const result = await ssh(embeddedTarget(group, "b"), "echo $SSH_CONNECTION");
        expect(result.stdout.trim().split(" ").slice(2)).toEqual(["127.0.0.3", String(group.host("b").port)]);
        await writeFile(join(group.host("a").dir, "kept.txt"), "x");
      } finally {
        await group.stop();
      }
      expect(existsSync(join(root, "a", "kept.txt"))).toBe(true);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });

  it("refuses non-loopback addresses and bad host lists", async () => {
    await expect(startEmbeddedHosts({ hosts: 1, address: "10.0.0.1" })).rejects.toThrow(/loopback/);
    await expect(startEmbeddedHosts({ hosts: ["x", "x"] })).rejects.toThrow(/duplicate/);
    await expect(startEmbeddedHosts({ hosts: ["../evil"] })).rejects.toThrow(/invalid host name/);
  });

  it("reports a shell that cannot start as exit 127 with a message, on pipes and on a pty", async () => {
    await using group = await startEmbeddedHosts({ hosts: 1, shell: "/nonexistent/shell" });
    const client = await connectClient(embeddedTarget(group, "web1"));
    try {
      const piped = await exec(client, "true");
      expect(piped.code).toBe(127);
      expect(piped.stderr).toContain("/nonexistent/shell");
      const onPty = await exec(client, "true", { pty: true });
      expect(onPty.code).not.toBe(0);
    } finally {
      client.end();
    }
  });

  it("pty: false refuses pty requests (fatal for an explicit ssh -tt, an error for ssh2)", async () => {
    await using group = await startEmbeddedHosts({ hosts: 1, pty: false });
    const viaOpenSsh = await runProgram("ssh", [
      ...sshArgs(embeddedTarget(group, "web1"), ["-tt"]),
      "web1",
      "tty",
    ]);
    expect(viaOpenSsh.stderr).toContain("PTY allocation request failed");
    expect(viaOpenSsh.code).toBe(255);
    const client = await connectClient(embeddedTarget(group, "web1"));
    try {
      await expect(openExec(client, "tty", { pty: true })).rejects.toThrow(/pseudo-terminal|pty/i);
    } finally {
      client.end();
    }
  });

  it("passes extra env to commands and uses the configured users", async () => {
    await using group = await startEmbeddedHosts({
      hosts: 1,
      users: [{ name: "deploy" }],
      env: { FABTS_ROLE: "web" },
    });
    const result = await ssh(embeddedTarget(group, "web1"), 'echo "$USER $FABTS_ROLE $LANG"');
    expect(result.stdout).toBe("deploy web C.UTF-8\n");
  });
});
