import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Config } from "../../src/config/config.js";
import { Context } from "../../src/context.js";
import {
  CommandAborted,
  CommandTimedOut,
  Failure,
  ResponseNotAccepted,
  SpawnError,
  UnexpectedExit,
} from "../../src/errors.js";
import { RunHandle } from "../../src/runners/handle.js";
import { FailingResponder, Responder } from "../../src/watchers.js";
import { StringSink } from "../support/streams.js";

const c = new Context();
/** Quiet, stdin-less options for tests that only look at the Result. */
const quiet = { hide: true, inStream: false } as const;

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(check: () => boolean | Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "runner-"));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe("Result of a real command", () => {
  it("captures both streams and reports how it ran (C3 1)", async () => {
    const result = await c.run("echo hi; echo err >&2", quiet);
    expect(result.stdout).toBe("hi\n");
    expect(result.stderr).toBe("err\n");
    expect(result.exited).toBe(0);
    expect(result.ok).toBe(true);
    expect(result.hide).toEqual(["stdout", "stderr"]);
    expect(result.shell).toBe("/bin/bash");
    expect(result.pty).toBe(false);
    expect(result.repr()).toBe("<Result cmd='echo hi; echo err >&2' exited=0>");
    expect(result.pid).toBeGreaterThan(0);
  });

  it("mirrors output to the given streams and still captures it", async () => {
    const out = new StringSink();
    const err = new StringSink();
    const result = await c.run("echo out; echo err >&2", { outStream: out, errStream: err, inStream: false });
    expect(out.text).toBe("out\n");
    expect(err.text).toBe("err\n");
    expect(result.stdout).toBe("out\n");
    expect(result.hide).toEqual([]);
  });

  it("a given outStream is never hidden (C3 8)", async () => {
    const out = new StringSink();
    const result = await c.run("echo shown", { outStream: out, hide: true, inStream: false });
    expect(out.text).toBe("shown\n");
    expect(result.hide).toEqual(["stderr"]);
  });

  it("writes output while the command is still running", async () => {
    const out = new StringSink();
    const marker = join(scratch, "continue");
    const running = c.run(`echo early; while [ ! -e ${marker} ]; do sleep 0.02; done; echo late`, {
      outStream: out,
      inStream: false,
    });
    await waitUntil(() => out.text === "early\n");
    await import("node:fs/promises").then((fs) => fs.writeFile(marker, ""));
    expect((await running).stdout).toBe("early\nlate\n");
  });
});

describe("exit codes and warn", () => {
  it("throws UnexpectedExit with the tail of hidden output (C3 3)", async () => {
    const error = await c.run("seq 1 20; exit 3", quiet).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedExit);
    const failure = error as UnexpectedExit;
    expect(failure.result.exited).toBe(3);
    expect(failure.message).toContain(
      "Exit code: 3\n\nStdout:\n\n11\n12\n13\n14\n15\n16\n17\n18\n19\n20\n\nStderr:\n\n\n\n",
    );
  });

  it("says 'already printed' for shown output", async () => {
    const error = (await c
      .run("echo visible; exit 2", {
        outStream: new StringSink(),
        errStream: new StringSink(),
        inStream: false,
      })
      .catch((e: unknown) => e)) as UnexpectedExit;
    expect(error.message).toContain("Stdout: already printed\n\nStderr: already printed");
  });

  it("warn returns the failed Result instead (C3 4)", async () => {
    const result = await c.run("exit 4", { ...quiet, warn: true });
    expect(result.exited).toBe(4);
    expect(result.failed).toBe(true);
  });

  it("reports a signal as a negative exit code (C3 11)", async () => {
    const result = await c.run("kill -TERM $$", { ...quiet, warn: true });
    expect(result.exited).toBe(-15);
  });

  it("warn honours the config", async () => {
    const config = new Config();
    config.set("run.warn", true);
    expect((await new Context(config).run("exit 1", quiet)).exited).toBe(1);
  });
});

describe("timeout", () => {
  it("kills the command and throws CommandTimedOut even with warn (C3 5)", async () => {
    const error = (await c
      .run("sleep 5", { ...quiet, timeout: 0.3, warn: true })
      .catch((e: unknown) => e)) as CommandTimedOut;
    expect(error).toBeInstanceOf(CommandTimedOut);
    expect(
      error.message.startsWith("Command did not complete within 0.3 seconds!\n\nCommand: 'sleep 5'"),
    ).toBe(true);
    expect(error.result.exited).toBe(-9);
    expect(error.timeout).toBe(0.3);
  });

  it("kills grandchildren too", async () => {
    const pidFile = join(scratch, "grandchild.pid");
    const error = await c
      .run(`bash -c 'sleep 30 & echo $! > ${pidFile}; wait'`, { ...quiet, timeout: 0.5 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandTimedOut);
    const grandchild = Number((await readFile(pidFile, "utf8")).trim());
    expect(grandchild).toBeGreaterThan(0);
    await waitUntil(() => !isAlive(grandchild));
    expect(isAlive(grandchild)).toBe(false);
  });

  it("uses timeouts.command from the config, and null disables it", async () => {
    const config = new Config();
    config.set("timeouts.command", 0.2);
    await expect(new Context(config).run("sleep 3", quiet)).rejects.toBeInstanceOf(CommandTimedOut);
    await expect(new Context(config).run("sleep 0.4", { ...quiet, timeout: null })).resolves.toMatchObject({
      exited: 0,
    });
  });
});

describe("abort signal", () => {
  it("kills the command and rejects with CommandAborted", async () => {
    const controller = new AbortController();
    const running = c.run("sleep 10", { ...quiet, signal: controller.signal });
    setTimeout(() => controller.abort(new Error("user cancelled")), 100);
    const error = (await running.catch((e: unknown) => e)) as CommandAborted;
    expect(error).toBeInstanceOf(CommandAborted);
    expect(error.code).toBe("COMMAND_ABORTED");
    expect((error.cause as Error).message).toBe("user cancelled");
    expect(error.result.exited).toBe(-9);
  });

  it("does not start a command when already aborted", async () => {
    const marker = join(scratch, "never");
    await expect(c.run(`touch ${marker}`, { ...quiet, signal: AbortSignal.abort() })).rejects.toBeInstanceOf(
      CommandAborted,
    );
    await expect(readFile(marker)).rejects.toThrow();
  });
});

describe("echo and dry", () => {
  it("dry echoes the command and runs nothing (C3 6)", async () => {
    const out = new StringSink();
    const marker = join(scratch, "dry");
    const result = await c.run(`touch ${marker}`, { dry: true, outStream: out });
    // Not a terminal: the default format's bold is dropped.
    expect(out.text).toBe(`touch ${marker}\n`);
    expect(result).toMatchObject({ stdout: "", stderr: "", exited: 0 });
    await expect(readFile(marker)).rejects.toThrow();
  });

  it("keeps the echo styling on a terminal, and drops it with NO_COLOR", async () => {
    const tty = Object.assign(new StringSink(), { isTTY: true });
    await c.run("true", { dry: true, outStream: tty });
    expect(tty.text).toBe("\u001b[1;37mtrue\u001b[0m\n");
    const saved = process.env.NO_COLOR;
    process.env.NO_COLOR = "1";
    try {
      const plain = Object.assign(new StringSink(), { isTTY: true });
      await c.run("true", { dry: true, outStream: plain });
      expect(plain.text).toBe("true\n");
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = saved;
    }
  });

  it("echoFormat shapes the echo, which goes to outStream (C3 7, quirk 2 fixed)", async () => {
    const out = new StringSink();
    await c.run("echo x", { echo: true, echoFormat: "$ {command}", outStream: out, inStream: false });
    expect(out.text).toBe("$ echo x\nx\n");
  });

  it("echo includes cd and prefix", async () => {
    const out = new StringSink();
    await c
      .cd("/tmp")
      .prefix("true")
      .run("echo x", { echo: true, echoFormat: "{command}", outStream: out, inStream: false });
    expect(out.text.split("\n")[0]).toBe("cd /tmp && true && echo x");
  });
});

describe("environment (C3 9)", () => {
  it("adds env to this process's environment", async () => {
    const result = await c.run("echo $FOO:$HOME", { ...quiet, env: { FOO: "bar" } });
    expect(result.stdout).toBe(`bar:${process.env.HOME}\n`);
    expect(result.env.FOO).toBe("bar");
  });

  it("replaceEnv gives exactly env", async () => {
    const result = await c.run('echo "[$HOME][$FOO]"', { ...quiet, env: { FOO: "bar" }, replaceEnv: true });
    expect(result.stdout).toBe("[][bar]\n");
    expect(result.env).toEqual({ FOO: "bar" });
  });
});

describe("shell and encoding", () => {
  it("runs through the given shell", async () => {
    const result = await c.run("echo $0", { ...quiet, shell: "/bin/sh" });
    expect(result.stdout).toBe("/bin/sh\n");
    expect(result.shell).toBe("/bin/sh");
  });

  it("throws SpawnError when the shell does not exist", async () => {
    await expect(c.run("true", { ...quiet, shell: "/nonexistent/shell" })).rejects.toBeInstanceOf(SpawnError);
  });

  it("decodes with the given encoding", async () => {
    const result = await c.run("printf '\\xe9t\\xe9'", { ...quiet, encoding: "latin1" });
    expect(result.stdout).toBe("été");
    expect(result.encoding).toBe("latin1");
  });

  it("never splits a multibyte character across chunks", async () => {
    // 3-byte characters written one byte at a time.
    const result = await c.run(
      "for i in 1 2 3; do printf '\\xe2'; sleep 0.01; printf '\\x82'; sleep 0.01; printf '\\xac'; done",
      quiet,
    );
    expect(result.stdout).toBe("€€€");
  });
});

describe("big output", () => {
  it("reads 50 MB on stdout and stderr at once, losing nothing", async () => {
    const result = await c.run("(yes | head -c 50000000) & (yes | head -c 50000000 >&2); wait", {
      ...quiet,
      captureLimit: null,
    });
    expect(result.stdout.length).toBe(50_000_000);
    expect(result.stderr.length).toBe(50_000_000);
    expect(result.stdout.startsWith("y\ny\n")).toBe(true);
    expect(result.stderr.endsWith("y\n")).toBe(true);
  });

  it("watches 50 MB of output and still answers a prompt at the end", async () => {
    const result = await c.run("yes | head -c 50000000; printf 'Proceed? '; read answer; echo got=$answer", {
      hide: true,
      inStream: false,
      watchers: [new Responder("Proceed\\? ", "sure\n")],
    });
    expect(result.stdout.endsWith("Proceed? got=sure\n")).toBe(true);
  });
});

describe("stdin", () => {
  it("copies inStream to the command and closes its stdin at the end", async () => {
    const result = await c.run("cat; echo done", {
      hide: true,
      inStream: Readable.from(["line one\n", "line two\n"]),
    });
    expect(result.stdout).toBe("line one\nline two\ndone\n");
  });

  it("echoStdin copies what was read to the out stream", async () => {
    const out = new StringSink();
    await c.run("cat > /dev/null", { outStream: out, inStream: Readable.from(["typed\n"]), echoStdin: true });
    expect(out.text).toBe("typed\n");
  });
});

describe("watchers (C3 12)", () => {
  it("a Responder answers an interactive prompt", async () => {
    const result = await c.run('printf "Continue? [y/n] "; read answer; echo "answer=$answer"', {
      ...quiet,
      watchers: [new Responder(/Continue\? \[y\/n\] /, "y\n")],
    });
    expect(result.stdout).toContain("answer=y");
  });

  it("watchers from the config are used", async () => {
    const config = new Config();
    config.set("run.watchers", [new Responder("name\\? ", "bob\n")]);
    const result = await new Context(config).run('printf "name? "; read n; echo "hi $n"', quiet);
    expect(result.stdout).toBe("name? hi bob\n");
  });

  it("a FailingResponder whose answer is rejected fails the run with exited null, even with warn", async () => {
    const script =
      'while true; do printf "Password: "; read pw; if [ "$pw" = right ]; then echo in; exit 0; fi; echo "Sorry, try again."; done';
    const error = (await c
      .run(script, {
        ...quiet,
        warn: true,
        watchers: [new FailingResponder("Password: ", "wrong\n", "Sorry, try again.")],
      })
      .catch((e: unknown) => e)) as Failure;
    expect(error).toBeInstanceOf(Failure);
    expect(error.reason).toBeInstanceOf(ResponseNotAccepted);
    expect(error.result.exited).toBeNull();
    expect(error.message).toContain("Command was not fully executed due to watcher error.");
  });
});

describe("asynchronous (C3 10)", () => {
  it("resolves to a handle (not a thenable) whose join() gives the Result", async () => {
    const handle = await c.run("sleep 0.1; echo async", { asynchronous: true });
    expect(handle).toBeInstanceOf(RunHandle);
    expect("then" in handle).toBe(false);
    expect(handle.hide).toEqual(["stdout", "stderr"]);
    expect(handle.pid).toBeGreaterThan(0);
    const result = await handle.join();
    expect(result.stdout).toBe("async\n");
  });

  it("join() throws what a plain run would", async () => {
    const handle = await c.run("exit 5", { asynchronous: true });
    await expect(handle.join()).rejects.toBeInstanceOf(UnexpectedExit);
  });

  it("exposes live output and can be killed", async () => {
    const handle = await c.run("echo ready; sleep 30", { asynchronous: true });
    let seen = "";
    handle.stdout.on("data", (text: string) => {
      seen += text;
    });
    await waitUntil(() => seen === "ready\n");
    handle.kill("SIGTERM");
    await expect(handle.join()).rejects.toMatchObject({ result: { exited: -15 } });
  });

  it("works with await using", async () => {
    let handle: RunHandle | undefined;
    {
      await using running = await c.run("echo scoped", { asynchronous: true });
      handle = running;
    }
    expect((await handle.join()).stdout).toBe("scoped\n");
  });

  it("refuses asynchronous with disown", async () => {
    await expect(c.run("true", { asynchronous: true, disown: true } as never)).rejects.toThrow(
      "Cannot give both 'asynchronous' and 'disown' at the same time!",
    );
  });
});

describe("disown", () => {
  it("starts the command and returns at once with its pid", async () => {
    const marker = join(scratch, "disowned");
    const result = await c.run(`sleep 0.2; echo $$ > ${marker}`, { disown: true });
    expect(result.disowned).toBe(true);
    expect(result.exited).toBeNull();
    expect(result.stdout).toBe("");
    await waitUntil(async () => (await readFile(marker, "utf8").catch(() => "")).trim() !== "");
    expect(Number((await readFile(marker, "utf8")).trim())).toBe(result.pid);
  });
});

describe("pty (C3 11)", () => {
  it("merges both streams into stdout with CRLF", async () => {
    const result = await c.run("echo pty; echo perr >&2", { ...quiet, pty: true });
    expect(result.stdout).toBe("pty\r\nperr\r\n");
    expect(result.stderr).toBe("");
    expect(result.pty).toBe(true);
  });

  it("really is a terminal, sized like ours (80x24 without one)", async () => {
    const result = await c.run("test -t 0 && test -t 1 && stty size", { ...quiet, pty: true });
    expect(result.stdout).toBe("24 80\r\n");
  });

  it("reports a signal as a negative exit code", async () => {
    const result = await c.run("kill -TERM $$", { ...quiet, pty: true, warn: true });
    expect(result.exited).toBe(-15);
  });

  it("shows n/a for stderr in UnexpectedExit", async () => {
    const error = (await c
      .run("echo ptyfail; exit 1", { ...quiet, pty: true })
      .catch((e: unknown) => e)) as UnexpectedExit;
    expect(error.message).toContain("Stdout:\n\nptyfail\n\nStderr: n/a (PTYs have no stderr)");
  });

  it("answers prompts through the terminal", async () => {
    const result = await c.run('read -p "Name: " n; echo "hello $n"', {
      ...quiet,
      pty: true,
      watchers: [new Responder("Name: ", "pty\n")],
    });
    expect(result.stdout).toContain("hello pty");
  });

  it("times out and kills the terminal's process group", async () => {
    const error = (await c
      .run("sleep 10", { ...quiet, pty: true, timeout: 0.3 })
      .catch((e: unknown) => e)) as CommandTimedOut;
    expect(error).toBeInstanceOf(CommandTimedOut);
    expect(error.result.exited).toBe(-9);
  });
});
