// A connection that drops (or freezes) mid-command with `hide: true`: the CONNECTION_LOST error
// carries what the command printed until then, as Fabric keeps it.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { Connection } from "../../../src/connection/connection.js";
import { partialResult } from "../../../src/runners/transport-error.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../../support/fabric-sshd.js";

const COMMAND = "echo out-before; echo err-before >&2; sleep 60";

describeWithSshd("partial output on a dropped connection (real sshd)", () => {
  let sshd: SshdHarness;
  let dir: string;
  let keepaliveConfig: string;
  beforeAll(async () => {
    sshd = await startSshd();
    dir = await mkdtemp(join(tmpdir(), "fabric-partial-"));
    // Keepalives declare a frozen server lost (ssh's ServerAliveInterval / ServerAliveCountMax).
    keepaliveConfig = join(dir, "ssh_config");
    await writeFile(
      keepaliveConfig,
      `Host *\n  ServerAliveInterval 1\n  ServerAliveCountMax 2\nInclude ${sshd.sshConfigPath}\n`,
    );
  });
  afterEach(async () => {
    if (!sshd.running) await sshd.restart();
  });
  afterAll(async () => {
    await sshd?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function runUntil(c: Connection, fault: () => Promise<void>): Promise<unknown> {
    const seen = new Set<string>();
    // hide stays true: the watcher only tells us both lines arrived.
    const running = c
      .run(COMMAND, {
        hide: true,
        inStream: false,
        watchers: [
          {
            submit: (text: string) => {
              for (const line of ["out-before", "err-before"]) if (text.includes(line)) seen.add(line);
              return [];
            },
          },
        ],
      })
      .catch((error: unknown) => error);
    while (seen.size < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    await fault();
    return running;
  }

  it("sshd killed: CONNECTION_LOST with the partial stdout and stderr, exited null", async () => {
    const c = new Connection("host1", { config: harnessConfig(sshd) });
    try {
      const error = await runUntil(c, () => sshd.kill("SIGKILL"));
      expect((error as { code?: string }).code).toBe("CONNECTION_LOST");
      const partial = partialResult(error);
      expect(partial?.stdout).toBe("out-before\n");
      expect(partial?.stderr).toBe("err-before\n");
      expect(partial?.exited).toBeNull();
      expect(partial?.command).toBe(COMMAND);
    } finally {
      await c.close();
    }
  }, 60_000);

  it("sshd frozen (SIGSTOP): the keepalive failure carries the partial output too", async () => {
    const c = new Connection("host1", { config: harnessConfig(sshd, keepaliveConfig) });
    try {
      const error = await runUntil(c, () => sshd.kill("SIGSTOP"));
      expect((error as { code?: string }).code).toBe("CONNECTION_LOST");
      expect(partialResult(error)?.stdout).toBe("out-before\n");
      expect(partialResult(error)?.stderr).toBe("err-before\n");
    } finally {
      await sshd.kill("SIGCONT");
      await c.close();
    }
  }, 60_000);

  it("two commands on one dropped connection each get their own output", async () => {
    const c = new Connection("host1", { config: harnessConfig(sshd) });
    try {
      let started = 0;
      const watcher = (name: string) => ({
        submit: (text: string) => {
          if (text.includes(name)) started += 1;
          return [];
        },
      });
      const first = c
        .run("echo first; sleep 60", { hide: true, inStream: false, watchers: [watcher("first")] })
        .catch((e: unknown) => e);
      const second = c
        .run("echo second; sleep 60", { hide: true, inStream: false, watchers: [watcher("second")] })
        .catch((e: unknown) => e);
      while (started < 2) await new Promise((resolve) => setTimeout(resolve, 20));
      await sshd.kill("SIGKILL");
      expect(partialResult(await first)?.stdout).toBe("first\n");
      expect(partialResult(await second)?.stdout).toBe("second\n");
    } finally {
      await c.close();
    }
  }, 60_000);
});
