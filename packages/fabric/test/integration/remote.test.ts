import { PassThrough } from "node:stream";
import { CommandTimedOut, UnexpectedExit } from "@fabric-ts/invoke";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "../../src/connection/connection.js";
import { Result } from "../../src/result.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

describeWithSshd("Remote runner against real sshd", () => {
  let sshd: SshdHarness;
  let c: Connection;
  beforeAll(async () => {
    sshd = await startSshd();
    c = new Connection("host1", { config: harnessConfig(sshd) });
  });
  afterAll(async () => {
    await c?.close();
    await sshd?.stop();
  });

  it("runs a command remotely and returns a Result carrying the connection", async () => {
    const result = await c.run("echo hi; echo err >&2; whoami", { hide: true });
    expect(result).toBeInstanceOf(Result);
    expect(result.stdout).toBe(`hi\n${sshd.user}\n`);
    expect(result.stderr).toBe("err\n");
    expect(result.exited).toBe(0);
    expect(result.connection).toBe(c);
    expect(result.hide).toEqual(["stdout", "stderr"]);
  });

  it("never sends the local environment; `env` reaches the command, quoted", async () => {
    process.env.FABTS_LOCAL_SECRET = "do-not-leak";
    try {
      const result = await c.run('echo "[$FABTS_LOCAL_SECRET][$GREETING]"', {
        hide: true,
        env: { GREETING: "hello 'world' $HOME" },
      });
      expect(result.stdout).toBe("[][hello 'world' $HOME]\n");
      expect(result.env).toEqual({ GREETING: "hello 'world' $HOME" });
      const plain = await c.run('echo "[$FABTS_LOCAL_SECRET]"', { hide: true, replaceEnv: false });
      expect(plain.stdout).toBe("[]\n");
      expect(plain.env).toEqual({});
    } finally {
      delete process.env.FABTS_LOCAL_SECRET;
    }
  });

  it("sends env as SSH env requests when inlineSshEnv is off (AcceptEnv decides)", async () => {
    const setenv = new Connection("host1", { config: harnessConfig(sshd), inlineSshEnv: false });
    try {
      const result = await setenv.run('echo "[$FABTS_ACCEPTED][$NOT_ACCEPTED]"', {
        hide: true,
        env: { FABTS_ACCEPTED: "yes", NOT_ACCEPTED: "dropped" },
      });
      expect(result.stdout).toBe("[yes][]\n");
    } finally {
      await setenv.close();
    }
  });

  it("composes cd and prefix remotely, and concurrent derived contexts stay independent", async () => {
    const tmp = c.cd("/tmp");
    const [inTmp, inEtc, prefixed] = await Promise.all([
      tmp.run("pwd", { hide: true }),
      c.cd("/etc", (etc) => etc.run("pwd", { hide: true })),
      tmp.prefix("export STAGE=blue").run('echo "$STAGE $(pwd)"', { hide: true }),
    ]);
    expect(inTmp.stdout).toBe("/tmp\n");
    expect(inEtc.stdout).toBe("/etc\n");
    expect(prefixed.stdout).toBe("blue /tmp\n");
    expect(prefixed.command).toBe('cd /tmp && export STAGE=blue && echo "$STAGE $(pwd)"');
    expect((await c.run("pwd", { hide: true })).stdout).not.toBe("/tmp\n");
    // A derived context shares the connection.
    expect(tmp.client).toBe(c.client);
  });

  it("inline env goes before cd (export … && cd … && cmd)", async () => {
    const result = await c.cd("/tmp").run('echo "$A $B $(pwd)"', { hide: true, env: { B: "2", A: "1" } });
    expect(result.stdout).toBe("1 2 /tmp\n");
  });

  it("raises UnexpectedExit on failure, returns the failed Result with warn", async () => {
    await expect(c.run("exit 3", { hide: true })).rejects.toBeInstanceOf(UnexpectedExit);
    const result = await c.run("echo out; exit 3", { hide: true, warn: true });
    expect(result.exited).toBe(3);
    expect(result.ok).toBe(false);
    expect(result.stdout).toBe("out\n");
  });

  it("mirrors output unless hidden", async () => {
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (chunk: Buffer) => chunks.push(chunk));
    const result = await c.run("echo mirrored", { outStream: out });
    expect(Buffer.concat(chunks).toString()).toBe("mirrored\n");
    expect(result.stdout).toBe("mirrored\n");
    const hidden = new PassThrough();
    const seen: Buffer[] = [];
    hidden.on("data", (chunk: Buffer) => seen.push(chunk));
    await c.run("echo secret-ish", { hide: "stdout", errStream: hidden });
    expect(seen).toEqual([]);
  });

  it("runs in a remote pty when asked (streams merge, TERM is set)", async () => {
    const result = await c.run('echo out; echo err >&2; tty >/dev/null && echo "tty:$TERM"', {
      hide: true,
      pty: true,
    });
    expect(result.pty).toBe(true);
    expect(result.stdout).toBe("out\r\nerr\r\ntty:vt100\r\n");
    expect(result.stderr).toBe("");
  });

  it("sizes the remote pty like the local terminal (80x24 without one)", async () => {
    const result = await c.run("stty size", { hide: true, pty: true });
    const columns = process.stdout.isTTY ? process.stdout.columns : 80;
    const rows = process.stdout.isTTY ? process.stdout.rows : 24;
    expect(result.stdout.trim()).toBe(`${rows} ${columns}`);
  });

  it("feeds stdin from inStream and closes it at its end", async () => {
    const input = new PassThrough();
    input.end("line one\nline two\n");
    const result = await c.run("wc -l", { hide: true, inStream: input });
    expect(result.stdout.trim()).toBe("2");
  });

  it("a timeout kills the remote command and raises CommandTimedOut", async () => {
    const marker = `/tmp/fabts-timeout-${process.pid}-${Date.now()}`;
    const error = await c.run(`sleep 3 && touch ${marker}`, { hide: true, timeout: 0.5 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CommandTimedOut);
    // Had the remote sleep survived, it would create the marker after 3 s.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const check = await c.run(`test -e ${marker} && echo present || echo absent`, { hide: true });
    expect(check.stdout).toBe("absent\n");
  });

  it("an abort signal stops the remote command", async () => {
    const controller = new AbortController();
    const running = c.run("sleep 20", { hide: true, signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    await expect(running).rejects.toMatchObject({ name: "CommandAborted" });
  });

  it.each([false, true])("forwards Ctrl-C to the remote command (pty: %s)", async (pty) => {
    // The shared SIGINT listener outlives the previous command by one event-loop turn.
    await new Promise((resolve) => setImmediate(resolve));
    const before = new Set(process.listeners("SIGINT"));
    const running = c.run("trap 'echo got-int; exit 7' INT; for i in $(seq 100); do sleep 0.1; done", {
      hide: true,
      warn: true,
      pty,
    });
    // Call only the handler the runner installed (process.emit would also reach the test runner's own).
    const added = () => process.listeners("SIGINT").filter((listener) => !before.has(listener));
    await expect.poll(() => added().length).toBe(1);
    // Let the remote trap be installed before interrupting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const listener of added()) (listener as () => void)();
    const result = await running;
    expect(result.stdout).toContain("got-int");
    expect(result.exited).toBe(7);
  });

  it("dry runs print the command and do not connect", async () => {
    const fresh = new Connection("host1", { config: harnessConfig(sshd) });
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on("data", (chunk: Buffer) => chunks.push(chunk));
    const result = await fresh.run("rm -rf /nothing", { dry: true, outStream: out });
    expect(result.exited).toBe(0);
    expect(fresh.isConnected).toBe(false);
    expect(Buffer.concat(chunks).toString()).toContain("rm -rf /nothing");
  });

  it("asynchronous runs return a handle joined later", async () => {
    const handle = await c.run("sleep 0.2; echo later", { asynchronous: true });
    const result = await handle.join();
    expect(result.stdout).toBe("later\n");
  });
});
