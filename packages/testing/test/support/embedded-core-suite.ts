import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client, SFTPWrapper, Stats } from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type CoreTarget,
  call,
  collect,
  connectClient,
  exec,
  freePort,
  openExec,
  openSftp,
  roundTripWhenReady,
  runProgram,
  ssh,
  sshArgs,
  startEchoServer,
} from "./embedded-helpers.js";

/**
 * Exec, SFTP and forwarding behaviour that the embedded server must share with a real sshd. The same
 * tests run against both (see embedded-core.test.ts), so a difference shows up as a failure on one side.
 */
export function defineCoreSuite(getTarget: () => CoreTarget): void {
  let target: CoreTarget;
  let client: Client;
  let local: string;
  let remote: string;

  beforeAll(async () => {
    target = getTarget();
    client = await connectClient(target);
    local = await mkdtemp(join(tmpdir(), "fabric-ts-core-"));
    remote = join(target.home, `core-${randomBytes(4).toString("hex")}`);
    await exec(client, `mkdir -p '${remote}'`);
  });
  afterAll(async () => {
    if (client) {
      await exec(client, `rm -rf '${remote}'`);
      client.end();
    }
    await rm(local, { recursive: true, force: true });
  });

  describe("exec", () => {
    it("OpenSSH client: stdout, stderr and the exit code come back separately", async () => {
      const result = await ssh(target, "echo out; echo err >&2; exit 3");
      expect(result.stdout).toBe("out\n");
      expect(result.stderr).toBe("err\n");
      expect(result.code).toBe(3);
    });

    it("OpenSSH client: stdin reaches the command and EOF ends it", async () => {
      const result = await ssh(target, "tr a-z A-Z; echo done", "hello\nworld\n");
      expect(result.stdout).toBe("HELLO\nWORLD\ndone\n");
      expect(result.code).toBe(0);
    });

    it("runs in the home directory with HOME and USER set", async () => {
      const result = await exec(client, 'pwd; echo "$HOME"; echo "$USER"');
      expect(result.stdout).toBe(`${target.home}\n${target.home}\n${target.user}\n`);
      expect(result.code).toBe(0);
    });

    it("ssh2 client: a command killed by a signal reports exit-signal, not a code", async () => {
      const result = await exec(client, "kill -TERM $$");
      expect(result.signal).toBe("SIGTERM");
      expect(result.code).toBeNull();
      const viaOpenSsh = await ssh(target, "kill -KILL $$");
      expect(viaOpenSsh.code).toBe(255);
    });

    it("ends a channel like sshd: data, then EOF and exit-status, then close", async () => {
      const seen: string[] = [];
      const debug = (message: string) => {
        const match = /Inbound: CHANNEL_(DATA|EOF|CLOSE|REQUEST \(r:\d+, exit-status)/.exec(message);
        if (match?.[1]) seen.push(match[1].startsWith("REQUEST") ? "exit-status" : match[1]);
      };
      const traced = await connectClient(target, { debug });
      try {
        expect((await exec(traced, "echo hi; exit 3")).code).toBe(3);
      } finally {
        traced.end();
      }
      // sshd usually sends EOF first, but the two can swap when the command exits before its output
      // pipe drains; clients must accept both. Data always comes first and close last.
      expect([seen[0], seen.at(-1)]).toEqual(["DATA", "CLOSE"]);
      expect(seen.slice(1, -1).sort()).toEqual(["EOF", "exit-status"]);
    });

    it("ssh2 client: env requests reach the command", async () => {
      const result = await exec(client, 'echo "$FABTS_GREETING"', { env: { FABTS_GREETING: "hi there" } });
      expect(result.stdout).toBe("hi there\n");
    });

    it("ssh2 client: a signal request reaches the running command", async () => {
      const channel = await openExec(client, "echo ready; exec sleep 30");
      const result = collect(channel);
      await new Promise<void>((resolve) => channel.once("data", () => resolve()));
      channel.signal("INT");
      const { signal, stdout } = await result;
      expect(stdout).toBe("ready\n");
      expect(signal).toBe("SIGINT");
    });

    it("ssh2 client: large output arrives complete (flow control)", async () => {
      const result = await exec(client, "head -c 5000000 /dev/zero | tr '\\0' x; echo; echo end >&2");
      expect(result.stdout.length).toBe(5_000_001);
      expect(result.stderr).toBe("end\n");
      expect(result.code).toBe(0);
      // 5 MB through an in-process JavaScript server and client on 2 shared cores: minutes under load.
    }, 120_000);
  });

  describe("sftp", () => {
    let sftp: SFTPWrapper;
    beforeAll(async () => {
      sftp = await openSftp(client);
    });
    afterAll(() => sftp?.end());

    it("sftp -b puts and gets a file byte-identically, then lists and renames", async () => {
      const data = randomBytes(300_000);
      await writeFile(join(local, "up.bin"), data);
      const batch = join(local, "batch");
      await writeFile(
        batch,
        [
          `cd ${remote}`,
          "mkdir batchdir",
          `put ${join(local, "up.bin")} batchdir/up.bin`,
          "rename batchdir/up.bin batchdir/moved.bin",
          "ls batchdir",
          `get batchdir/moved.bin ${join(local, "down.bin")}`,
          "",
        ].join("\n"),
      );
      const result = await runProgram("sftp", [...sshArgs(target), "-b", batch, target.alias]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("moved.bin");
      expect((await readFile(join(local, "down.bin"))).equals(data)).toBe(true);
    });

    it("sftp -b stops with an error on a missing file", async () => {
      const batch = join(local, "batch-missing");
      await writeFile(batch, `get ${remote}/nope.txt ${join(local, "nope.txt")}\n`);
      const result = await runProgram("sftp", [...sshArgs(target), "-b", batch, target.alias]);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/not found|No such file/);
    });

    it("write, read, stat and setstat through ssh2", async () => {
      const path = `${remote}/hello.txt`;
      await call((cb) => sftp.writeFile(path, "hello sftp", cb));
      expect((await call<Buffer>((cb) => sftp.readFile(path, cb))).toString()).toBe("hello sftp");
      await call((cb) => sftp.chmod(path, 0o640, cb));
      const stats = await call<Stats>((cb) => sftp.stat(path, cb));
      expect(stats.size).toBe(10);
      expect(stats.mode & 0o777).toBe(0o640);
      expect(stats.isFile()).toBe(true);
      expect(stats.mtime).toBeGreaterThan(0);
    });

    it("relative paths resolve against the home directory", async () => {
      const name = `${remote.slice(target.home.length + 1)}/relative.txt`;
      await call((cb) => sftp.writeFile(name, "rel", cb));
      expect(await readRemote(client, `${remote}/relative.txt`)).toBe("rel");
      expect(await call<string>((cb) => sftp.realpath(".", cb))).toBe(target.home);
    });

    it("mkdir, readdir, rename, remove and rmdir", async () => {
      const dir = `${remote}/tree`;
      await call((cb) => sftp.mkdir(dir, cb));
      await call((cb) => sftp.writeFile(`${dir}/a.txt`, "a", cb));
      await call((cb) => sftp.writeFile(`${dir}/b.txt`, "b", cb));
      await call((cb) => sftp.rename(`${dir}/b.txt`, `${dir}/c.txt`, cb));
      const names = (await call<{ filename: string; longname: string }[]>((cb) => sftp.readdir(dir, cb)))
        .map((entry) => entry.filename)
        .sort();
      expect(names).toEqual(["a.txt", "c.txt"]);
      await call((cb) => sftp.unlink(`${dir}/a.txt`, cb));
      await call((cb) => sftp.unlink(`${dir}/c.txt`, cb));
      await call((cb) => sftp.rmdir(dir, cb));
      await expect(call((cb) => sftp.stat(dir, cb))).rejects.toMatchObject({ code: 2 });
    });

    it("status codes: missing file, existing rename target, non-empty rmdir, existing mkdir", async () => {
      await expect(call((cb) => sftp.stat(`${remote}/missing`, cb))).rejects.toMatchObject({ code: 2 });
      await expect(call((cb) => sftp.open(`${remote}/missing`, "r", cb))).rejects.toMatchObject({ code: 2 });
      await call((cb) => sftp.writeFile(`${remote}/one`, "1", cb));
      await call((cb) => sftp.writeFile(`${remote}/two`, "2", cb));
      await expect(call((cb) => sftp.rename(`${remote}/one`, `${remote}/two`, cb))).rejects.toMatchObject({
        code: 4,
      });
      expect(await readRemote(client, `${remote}/two`)).toBe("2");
      await call((cb) => sftp.mkdir(`${remote}/full`, cb));
      await call((cb) => sftp.writeFile(`${remote}/full/x`, "x", cb));
      await expect(call((cb) => sftp.rmdir(`${remote}/full`, cb))).rejects.toMatchObject({ code: 4 });
      await expect(call((cb) => sftp.mkdir(`${remote}/full`, cb))).rejects.toMatchObject({ code: 4 });
    });

    it("symlink, readlink and realpath", async () => {
      await call((cb) => sftp.writeFile(`${remote}/target.txt`, "t", cb));
      await call((cb) => sftp.symlink("target.txt", `${remote}/link.txt`, cb));
      expect(await call<string>((cb) => sftp.readlink(`${remote}/link.txt`, cb))).toBe("target.txt");
      expect(await call<string>((cb) => sftp.realpath(`${remote}/link.txt`, cb))).toBe(
        `${remote}/target.txt`,
      );
      const lstats = await call<Stats>((cb) => sftp.lstat(`${remote}/link.txt`, cb));
      expect(lstats.isSymbolicLink()).toBe(true);
    });

    it("fastPut and fastGet move 8 MiB byte-identically", async () => {
      const data = randomBytes(8 * 1024 * 1024);
      await writeFile(join(local, "big.bin"), data);
      await call((cb) => sftp.fastPut(join(local, "big.bin"), `${remote}/big.bin`, cb));
      await call((cb) => sftp.fastGet(`${remote}/big.bin`, join(local, "big-back.bin"), cb));
      expect((await readFile(join(local, "big-back.bin"))).equals(data)).toBe(true);
    });
  });

  describe("forwarding", () => {
    let echo: Awaited<ReturnType<typeof startEchoServer>>;
    beforeAll(async () => {
      echo = await startEchoServer();
    });
    afterAll(() => echo?.close());

    /** `ssh -N -L|-R port:127.0.0.1:echo` to the target, then a round trip through the forwarded port. */
    async function throughOpenSshTunnel(flag: "-L" | "-R"): Promise<string> {
      const port = await freePort();
      const spec = `${port}:127.0.0.1:${echo.port}`;
      const args = sshArgs(target, ["-N", "-o", "ExitOnForwardFailure=yes", flag, spec]);
      const tunnel = spawn("ssh", [...args, target.alias], { stdio: "ignore" });
      try {
        return await roundTripWhenReady(port, `ping${flag}`);
      } finally {
        tunnel.kill();
      }
    }

    it("ssh -L carries TCP traffic both ways to a loopback service", async () => {
      expect(await throughOpenSshTunnel("-L")).toBe("echo:ping-L");
    });

    it("ssh -R carries TCP traffic both ways back to the client side", async () => {
      expect(await throughOpenSshTunnel("-R")).toBe("echo:ping-R");
    });

    it("ssh2 forwardOut (direct-tcpip) relays data both ways", async () => {
      const channel = await call<import("ssh2").ClientChannel>((cb) =>
        client.forwardOut("127.0.0.1", 0, "127.0.0.1", echo.port, cb),
      );
      const reply = new Promise<string>((resolve) =>
        channel.once("data", (chunk: Buffer) => resolve(chunk.toString())),
      );
      channel.write("ping-out");
      expect(await reply).toBe("echo:ping-out");
      channel.end();
    });

    it("ssh2 forwardIn (tcpip-forward) opens forwarded-tcpip channels back to the client", async () => {
      const onConnection = new Promise<string>((resolve) => {
        client.once("tcp connection", (_info, accept) => {
          const channel = accept();
          channel.on("data", (chunk: Buffer) => {
            channel.write(`back:${chunk}`);
            resolve(chunk.toString());
          });
        });
      });
      const port = await call<number>((cb) => client.forwardIn("127.0.0.1", 0, cb));
      expect(port).toBeGreaterThan(0);
      expect(await roundTripWhenReady(port, "ping-in")).toBe("back:ping-in");
      expect(await onConnection).toBe("ping-in");
      await call((cb) => client.unforwardIn("127.0.0.1", port, cb));
    });
  });
}

async function readRemote(client: Client, path: string): Promise<string> {
  return (await exec(client, `cat '${path}'`)).stdout;
}
