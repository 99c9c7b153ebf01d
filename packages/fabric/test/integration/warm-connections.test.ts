/**
 * Warm connections (`fab --persist`, config `persist`, ssh_config ControlMaster auto + ControlPersist):
 * a background master per destination holds the SSH connection; later runs speak SSH to it over a
 * unix socket in a 0700 directory. Against real sshd, through the built CLI and the built master
 * entry (`pnpm build` first). A run tells which connection it used by `$SSH_CONNECTION` (its source
 * port is that of the master's TCP connection).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { listMasters, stopMasters } from "../../../ssh-core/src/mux/index.js";
import { FabricConfig } from "../../src/config/fabric-config.js";
import { Connection } from "../../src/connection/connection.js";
import { persistSeconds, warmSettings } from "../../src/connection/warm.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(packageDir, "bin", "fab.js");

describe("persist settings", () => {
  it("reads true, seconds and OpenSSH durations; false is off; anything else is an error", () => {
    expect(persistSeconds(true)).toBe(600);
    expect(persistSeconds(90)).toBe(90);
    expect(persistSeconds("1h30m")).toBe(5400);
    expect(persistSeconds("45")).toBe(45);
    expect(persistSeconds(0)).toBe(0);
    expect(persistSeconds(false)).toBeNull();
    expect(() => persistSeconds("deploy")).toThrow(/duration/);
  });

  it("follows ssh_config ControlMaster auto + ControlPersist unless config `persist` says otherwise", async () => {
    const dir = await mkdtemp(join(tmpdir(), "warm-settings-"));
    const file = join(dir, "ssh_config");
    await writeFile(
      file,
      [
        "Host kept\n  ControlMaster auto\n  ControlPersist 5m",
        "Host forever\n  ControlMaster auto\n  ControlPersist yes",
        "Host noreuse\n  ControlMaster no\n  ControlPersist 5m",
        "Host plain\n  HostName 127.0.0.1",
      ].join("\n"),
    );
    const config = new FabricConfig({ lazy: true, runtimeSshPath: file, env: {} });
    const settings = (host: string) => warmSettings(new Connection(host, { config }).sshConfig, config);
    expect(settings("kept")).toEqual({ idleMs: 300_000, dir: undefined });
    expect(settings("forever")).toEqual({ idleMs: 0, dir: undefined });
    expect(settings("noreuse")).toBeNull();
    expect(settings("plain")).toBeNull();
    config.set("persist", false);
    expect(settings("kept")).toBeNull();
    config.set("persist", "2m");
    config.set("persistDir", "/run/x");
    expect(settings("plain")).toEqual({ idleMs: 120_000, dir: "/run/x" });
    await rm(dir, { recursive: true, force: true });
  });
});

interface FabRun {
  stdout: string;
  stderr: string;
  code: number | null;
}

describeWithSshd("warm connections against real sshd (built CLI)", () => {
  let sshd: SshdHarness;
  let dir: string;
  let controlDir: string;
  let configPath: string;
  let env: NodeJS.ProcessEnv;

  const fab = (args: readonly string[], input?: string): Promise<FabRun> =>
    new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [BIN, "-S", configPath, ...args],
        { env, timeout: 90_000 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
          resolve({ stdout, stderr, code });
        },
      );
      child.stdin?.end(input ?? "");
    });
  const sshConnection = async (args: readonly string[] = []) => {
    const run = await fab([...args, "-H", "host1", "--", "echo $SSH_CONNECTION"]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    return run.stdout.trim();
  };
  const masters = () => listMasters(controlDir);

  beforeAll(async () => {
    sshd = await startSshd({ hosts: 1 });
    dir = await mkdtemp(join(tmpdir(), "fab-warm-"));
    controlDir = join(dir, "run", "fabric-ts");
    configPath = join(dir, "ssh_config");
    await writeFile(
      configPath,
      [
        "Host kept\n  ControlMaster auto\n  ControlPersist 1m",
        (await readFile(sshd.sshConfigPath, "utf8")).replace(/^Host host1 /m, "Host host1 kept "),
        `Host *\n  User ${sshd.user}\n  IdentityFile ${sshd.identityFile}\n  IdentitiesOnly yes\n  UserKnownHostsFile ${sshd.knownHostsPath}\n  GlobalKnownHostsFile /dev/null\n  StrictHostKeyChecking yes\n  BatchMode yes`,
      ].join("\n\n"),
    );
    env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, XDG_RUNTIME_DIR: join(dir, "run") };
  });
  afterEach(async () => {
    await stopMasters({ dir: controlDir });
  });
  afterAll(async () => {
    await stopMasters({ dir: controlDir }).catch(() => {});
    await sshd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("reuses one upstream connection across runs; without --persist each run connects anew", async () => {
    expect(existsSync(join(packageDir, "dist", "bundle", "bin", "fab.js")), "run `pnpm build` first").toBe(
      true,
    );
    const first = await sshConnection(["--persist"]);
    const second = await sshConnection(["--persist"]);
    expect(first).not.toBe("");
    expect(second).toBe(first);
    expect(masters()).toHaveLength(1);
    // The socket directory is private to this user.
    expect(statSync(controlDir).mode & 0o777).toBe(0o700);
    const direct = await sshConnection();
    expect(direct).not.toBe(first);
  });

  it("is switched on by ssh_config ControlMaster auto + ControlPersist, with its idle time", async () => {
    const first = await fab(["-H", "kept", "--", "echo $SSH_CONNECTION"]);
    const second = await fab(["-H", "kept", "--", "echo $SSH_CONNECTION"]);
    expect(first).toMatchObject({ stderr: "", code: 0 });
    expect(second.stdout).toBe(first.stdout);
    expect(masters().map((m) => m.idleMs)).toEqual([60_000]);
    // Our own socket, never OpenSSH's ControlPath.
    expect(readdirSync(controlDir).some((name) => /^[0-9a-f]{40}$/.test(name))).toBe(true);
  });

  it("carries stdin, stdout, stderr and the exit status", async () => {
    const run = await fab(
      ["--persist", "-H", "host1", "--", "cat; echo to-stderr >&2; exit 3"],
      "line one\nline two\n",
    );
    expect(run.stdout).toBe("line one\nline two\n");
    expect(run.stderr).toContain("to-stderr");
    expect(run.code).toBe(3);
  });

  it("lists and stops masters (fab --masters, fab --stop-masters)", async () => {
    await sshConnection(["--persist"]);
    const listed = await fab(["--masters"]);
    expect(listed.stdout).toContain(`${sshd.user}@${sshd.host("host1").address}:${sshd.host("host1").port}`);
    const [master] = masters();
    const stopped = await fab(["--stop-masters"]);
    expect(stopped.stdout).toContain(`stopped ${sshd.user}@`);
    expect(masters()).toEqual([]);
    expect(() => process.kill(master!.pid, 0)).toThrow();
    expect((await fab(["--masters"])).stdout).toBe("No warm connections.\n");
  });

  it("shares one master between two concurrent runs", async () => {
    const warm = await sshConnection(["--persist"]);
    const [a, b] = await Promise.all([
      fab(["--persist", "-H", "host1", "--", "sleep 1; echo $SSH_CONNECTION"]),
      fab(["--persist", "-H", "host1", "--", "sleep 1; echo $SSH_CONNECTION"]),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect(a.stdout.trim()).toBe(warm);
    expect(b.stdout.trim()).toBe(warm);
    expect(masters()).toHaveLength(1);
  });

  it("fails a run clearly when its master is killed mid-command, and the next run works", async () => {
    await sshConnection(["--persist"]);
    const [master] = masters();
    const child = spawn(
      process.execPath,
      [BIN, "-S", configPath, "--persist", "-H", "host1", "--", "echo started; sleep 60"],
      {
        env,
      },
    );
    const output = collect(child);
    await waitFor(() => output.stdout.includes("started"), "the command to start");
    process.kill(master!.pid, "SIGKILL");
    const code = await exited(child, 30_000);
    expect(code).not.toBe(0);
    expect(output.stderr).toMatch(/closed|lost/i);
    const next = await sshConnection(["--persist"]);
    expect(next).not.toBe("");
    expect(masters().map((m) => m.pid)).not.toContain(master!.pid);
  });

  it("stops the remote command of a run that is killed, and the master serves the next run", async () => {
    await sshConnection(["--persist"]);
    const [master] = masters();
    const marker = `warm-orphan-${process.pid}`;
    const child = spawn(
      process.execPath,
      // On a pty: sshd hangs the command up when its channel closes (without one it would run on
      // after a direct connection dropped too).
      [
        ...[BIN, "-S", configPath, "--persist", "--set", "run.pty=true", "-H", "host1", "--"],
        `echo started; exec sh -c 'sleep 300; true ${marker}'`,
      ],
      { env },
    );
    const output = collect(child);
    await waitFor(() => output.stdout.includes("started"), "the command to start");
    const running = await fab(["-H", "host1", "--", `pgrep -f 'sleep 300; [t]rue ${marker}' || true`]);
    expect(running.stdout.trim()).not.toBe("");
    child.kill("SIGKILL");
    await exited(child, 30_000);
    // Without the relay closing the killed run's channel, the remote sleep would run on for 300 s.
    let left = "x";
    const deadline = Date.now() + 20_000;
    while (left !== "" && Date.now() < deadline) {
      left = (
        await fab(["-H", "host1", "--", `pgrep -f 'sleep 300; [t]rue ${marker}' || true`])
      ).stdout.trim();
    }
    expect(left).toBe("");
    expect(await sshConnection(["--persist"])).not.toBe("");
    expect(masters().map((m) => m.pid)).toEqual([master!.pid]);
  });

  it("replaces a stale socket left by a dead master", async () => {
    await sshConnection(["--persist"]);
    const [master] = masters();
    process.kill(master!.pid, "SIGKILL");
    await waitFor(() => !isRunning(master!.pid), "the master to die");
    expect(existsSync(master!.socketPath)).toBe(true); // left behind, nobody listening
    const run = await fab(["--persist", "-H", "host1", "--", "echo fresh"]);
    expect(run).toMatchObject({ stdout: "fresh\n", code: 0 });
    expect(masters()).toHaveLength(1);
    expect(masters()[0]!.pid).not.toBe(master!.pid);
  });

  it("does not hang on a frozen master: the run times out on its socket and replaces it", async () => {
    await sshConnection(["--persist"]);
    const [frozen] = masters();
    process.kill(frozen!.pid, "SIGSTOP");
    try {
      const started = Date.now();
      const run = await fab(["--persist", "-H", "host1", "--", "echo thawed"]);
      expect(run).toMatchObject({ stdout: "thawed\n", code: 0 });
      expect(Date.now() - started).toBeLessThan(60_000);
      expect(masters().map((m) => m.pid)).not.toContain(frozen!.pid);
    } finally {
      process.kill(frozen!.pid, "SIGCONT");
      process.kill(frozen!.pid, "SIGTERM");
    }
  });

  it("never uses a control directory open to others: it connects directly and says why", async () => {
    mkdirSync(controlDir, { recursive: true });
    chmodSync(controlDir, 0o755);
    try {
      const run = await fab(["--persist", "-H", "host1", "--", "echo direct"]);
      expect(run.stdout).toBe("direct\n");
      expect(run.code).toBe(0);
      expect(run.stderr).toMatch(/Warm connections disabled: .*must be 0700/);
      expect(masters()).toEqual([]);
    } finally {
      chmodSync(controlDir, 0o700);
    }
  });

  it("lets an idle master expire", async () => {
    await sshConnection(["--persist=2s"]);
    const [master] = masters();
    expect(master!.idleMs).toBe(2000);
    await waitFor(() => !isRunning(master!.pid), "the idle master to exit", 30_000);
    expect(existsSync(master!.socketPath)).toBe(false);
  });

  describe("Connection through a master", () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createServer((socket) => socket.end("hello from local\n"));
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => server?.close());

    const warmConfig = () => {
      const config = harnessConfig(sshd);
      config.set("persist", "1m");
      config.set("persistDir", controlDir);
      return config;
    };

    it("runs with a pty, window changes and signals; sudo as usual", async () => {
      await using c = new Connection("host1", { config: warmConfig() });
      const tty = await c.run("tty; stty size", { pty: true, hide: true });
      expect(tty.stdout).toMatch(/\/dev\/pts\//);
      expect(masters()).toHaveLength(1);
      const client = c.client!;
      // A window change reaches the remote pty.
      let seen = "";
      const resized = client.exec("trap 'stty size; exit 0' WINCH; echo ready; while :; do sleep 0.1; done", {
        pty: { cols: 80, rows: 24 },
        onStdout: (chunk) => {
          seen += chunk.toString();
        },
      });
      await waitFor(() => seen.includes("ready"), "the WINCH trap");
      resized.resize(132, 43);
      await expect(resized.done).resolves.toMatchObject({ exitCode: 0 });
      expect(seen).toContain("43 132");
      // A signal reaches the remote process, and its death by signal comes back.
      let out = "";
      const trapped = client.exec(
        "trap 'echo got-term; exit 7' TERM; echo ready; while :; do sleep 0.1; done",
        {
          onStdout: (chunk) => {
            out += chunk.toString();
          },
        },
      );
      await waitFor(() => out.includes("ready"), "the TERM trap");
      trapped.signal("TERM");
      await expect(trapped.done).resolves.toMatchObject({ exitCode: 7 });
      expect(out).toContain("got-term");
      const killed = client.exec("echo ready; exec sleep 30", {
        onStdout: (chunk) => {
          if (chunk.toString().includes("ready")) killed.signal("KILL");
        },
      });
      await expect(killed.done).resolves.toMatchObject({ exitCode: null, signal: "SIGKILL" });
      if (!sshd.sudo.available) throw new Error(`sudo unavailable: ${sshd.sudo.reason}`);
      c.config.set("sudo.password", sshd.sudo.password);
      const root = await c.sudo("whoami", { hide: true });
      expect(root.stdout.trim()).toBe("root");
      expect(masters()).toHaveLength(1);
    });

    it("delivers every exit status, however fast the command ends", async () => {
      // A short command's whole answer (data, exit status, EOF, close) can arrive in one read, before
      // the relay has joined the channels; its exit status must not be lost on the way.
      await using c = new Connection("host1", { config: warmConfig() });
      await c.open();
      const client = c.client!;
      const exits = await Promise.all(
        Array.from({ length: 60 }, (_, i) => client.run(`echo ${i}; exit ${i % 7}`).then((r) => r.exitCode)),
      );
      expect(exits).toEqual(Array.from({ length: 60 }, (_, i) => i % 7));
    });

    it("puts, gets and syncs through the held connection", async () => {
      const local = join(dir, "payload.txt");
      await writeFile(local, "payload\n");
      await using c = new Connection("host1", { config: warmConfig() });
      await c.run("mkdir -p warm-test", { hide: true });
      await c.put(local, "warm-test/payload.txt");
      const back = join(dir, "back.txt");
      await c.get("warm-test/payload.txt", back);
      expect(await readFile(back, "utf8")).toBe("payload\n");
      const tree = join(dir, "tree");
      mkdirSync(join(tree, "sub"), { recursive: true });
      await writeFile(join(tree, "sub", "a.txt"), "a\n");
      await c.sync(tree, "warm-test/tree");
      const listed = await c.run("cat warm-test/tree/sub/a.txt", { hide: true });
      expect(listed.stdout).toBe("a\n");
      expect(masters()).toHaveLength(1);
    });

    it("forwards local and remote ports through the master", async () => {
      await using c = new Connection("host1", { config: warmConfig() });
      const viaLocal = await c.forwardLocal({ localPort: 0, remotePort: port }, async (tunnel) => {
        const { connect } = await import("node:net");
        return readAll(connect(tunnel.localPort!, "127.0.0.1"));
      });
      expect(viaLocal).toBe("hello from local\n");
      const viaRemote = await c.forwardRemote({ remotePort: 0, localPort: port }, async (tunnel) => {
        const r = await c.run(`bash -c 'exec 3<>/dev/tcp/127.0.0.1/${tunnel.remotePort}; cat <&3'`, {
          hide: true,
        });
        return r.stdout;
      });
      expect(viaRemote).toBe("hello from local\n");
    });
  });
});

function collect(child: ChildProcess): { stdout: string; stderr: string } {
  const out = { stdout: "", stderr: "" };
  child.stdout?.on("data", (chunk: Buffer) => {
    out.stdout += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    out.stderr += chunk.toString();
  });
  return out;
}

function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`fab did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function readAll(socket: import("node:net").Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    socket.once("end", () => resolve(text));
    socket.once("error", reject);
  });
}
