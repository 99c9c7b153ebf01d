import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SshClient } from "../../src/client/ssh-client.js";
import {
  baseOptions,
  describeWithSshd,
  type SshdHarness,
  scratchKnownHosts,
  startSshd,
} from "../support/sshd.js";

describeWithSshd("SshClient exec channels against real sshd", () => {
  let sshd: SshdHarness;
  let scratch: Awaited<ReturnType<typeof scratchKnownHosts>>;
  let client: SshClient;
  beforeAll(async () => {
    sshd = await startSshd({ maxSessions: 10 });
    scratch = await scratchKnownHosts(sshd);
    client = await SshClient.connect(baseOptions(sshd, scratch.file, { identityFiles: [sshd.identityFile] }));
  });
  afterAll(async () => {
    await client?.close();
    await scratch?.cleanup();
    await sshd?.stop();
  });

  it("streams stdout and stderr separately and reports the exit code", async () => {
    const result = await client.run("printf out; printf err >&2; exit 7");
    expect(result).toEqual({ stdout: "out", stderr: "err", exitCode: 7, signal: null });
  });

  it("delivers output as it arrives, before the command ends", async () => {
    const handle = client.exec("echo first; sleep 2; echo second");
    const first = await new Promise<string>((resolve) =>
      handle.stdout.once("data", (c: Buffer) => resolve(c.toString())),
    );
    expect(first).toBe("first\n");
    let exited = false;
    void handle.done.then(() => {
      exited = true;
    });
    await delay(50);
    expect(exited).toBe(false);
    handle.stdout.resume();
    expect((await handle.done).exitCode).toBe(0);
  });

  it("runs 100 concurrent commands on a server with MaxSessions 10", async () => {
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => client.run(`sleep 0.05; echo ${i}`)),
    );
    expect(results.map((r) => r.stdout.trim())).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
    expect(results.every((r) => r.exitCode === 0)).toBe(true);
    // The queue learned that the server refuses beyond some limit (sshd frees slots lazily, so the
    // learned value can be below MaxSessions; it is never above it).
    expect(client.queue.limit).toBeLessThanOrEqual(10);
    expect(client.queue.active).toBe(0);
  });

  it("moves 200 MB on stdout and stderr at once with exact byte counts", async () => {
    const size = 200 * 1024 * 1024;
    const handle = client.exec(`head -c ${size} /dev/zero & head -c ${size} /dev/zero >&2; wait`);
    let out = 0;
    let err = 0;
    // A consumer that is slower on stdout than on stderr, to exercise backpressure on one side.
    const readOut = (async () => {
      let n = 0;
      for await (const chunk of handle.stdout) {
        out += (chunk as Buffer).length;
        if (++n % 500 === 0) await delay(1);
      }
    })();
    const readErr = (async () => {
      for await (const chunk of handle.stderr) err += (chunk as Buffer).length;
    })();
    const [exit] = await Promise.all([handle.done, readOut, readErr]);
    expect(exit.exitCode).toBe(0);
    expect(out).toBe(size);
    expect(err).toBe(size);
  }, 180_000);

  it("sends stdin and EOF", async () => {
    const result = await client.run("wc -c; cat >/dev/null", { stdin: "hello world" });
    expect(result.stdout.trim()).toBe("11");
    const handle = client.exec("tr a-z A-Z");
    let text = "";
    handle.stdout.on("data", (c: Buffer) => {
      text += c.toString();
    });
    handle.stdin.write("abc");
    handle.stdin.end("def\n");
    await handle.done;
    expect(text).toBe("ABCDEF\n");
  });

  it("passes env inline with POSIX quoting by default", async () => {
    const env = { FABTS_A: "it's $HOME `x`", OTHER_NAME: "two words" };
    const result = await client.run('printf "%s|%s" "$FABTS_A" "$OTHER_NAME"', { env });
    expect(result.stdout).toBe("it's $HOME `x`|two words");
  });

  it("passes env through setenv requests (subject to AcceptEnv)", async () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a JS template
    const result = await client.run('printf "%s|%s" "$FABTS_SET" "${NOT_ACCEPTED-unset}"', {
      env: { FABTS_SET: "via setenv", NOT_ACCEPTED: "dropped" },
      envMode: "setenv",
    });
    // FABTS_* is in the harness's AcceptEnv; other names are silently dropped by sshd.
    expect(result.stdout).toBe("via setenv|unset");
  });

  it("allocates a pty with the requested size and term, and resizes it", async () => {
    const sized = await client.run('stty size; echo "$TERM"; test -t 0 && echo tty', {
      pty: { cols: 132, rows: 43, term: "xterm-256color" },
    });
    expect(sized.stdout.replaceAll("\r", "")).toBe("43 132\nxterm-256color\ntty\n");

    const handle = client.exec("trap 'stty size; exit 0' WINCH; echo ready; while :; do sleep 0.05; done", {
      pty: { cols: 80, rows: 24 },
    });
    let text = "";
    await new Promise<void>((resolve) =>
      handle.stdout.on("data", (c: Buffer) => {
        text += c.toString();
        if (text.includes("ready")) resolve();
      }),
    );
    handle.resize(100, 30);
    await handle.done;
    expect(text.replaceAll("\r", "")).toContain("30 100");
  });

  it("reports the exit signal", async () => {
    const result = await client.run("kill -KILL $$");
    expect(result.exitCode).toBeNull();
    expect(result.signal).toBe("SIGKILL");
  });

  it("abort sends TERM, closes the channel, rejects with AbortError, and the remote process is gone", async () => {
    const pidfile = `/tmp/fabts-abort-${process.pid}-${Date.now()}`;
    const controller = new AbortController();
    const handle = client.exec(`sleep 300 & echo $! > ${pidfile}; echo started; wait`, {
      signal: controller.signal,
      stdin: null,
    });
    await new Promise<void>((resolve) => handle.stdout.once("data", () => resolve()));
    const pid = (await client.run(`cat ${pidfile}`)).stdout.trim();
    expect(pid).toMatch(/^\d+$/);
    expect((await client.run(`kill -0 ${pid} && echo alive`)).stdout).toBe("alive\n");
    controller.abort();
    await expect(handle.done).rejects.toMatchObject({ name: "AbortError", code: "ABORTED" });
    let gone = false;
    for (let i = 0; i < 100 && !gone; i++) {
      gone = (await client.run(`kill -0 ${pid} 2>/dev/null || echo gone`)).stdout === "gone\n";
      if (!gone) await delay(20);
    }
    expect(gone).toBe(true);
    await client.run(`rm -f ${pidfile}`);
    // The aborted channel gave its slot back.
    expect(client.queue.active).toBe(0);
  });

  it("an AbortSignal aborted while queued never opens a channel", async () => {
    const controller = new AbortController();
    controller.abort();
    const handle = client.exec("echo never", { signal: controller.signal });
    await expect(handle.done).rejects.toMatchObject({ code: "ABORTED" });
    await expect(handle.started).rejects.toMatchObject({ code: "ABORTED" });
  });
});
