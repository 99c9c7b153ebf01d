import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SshConnectError, SshError, type SshErrorCode } from "@fabric-ts/ssh-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Connection } from "../../../src/connection/connection.js";
import {
  connectWithRetries,
  DEFAULT_RECONNECT,
  isTransientConnectError,
  reconnectPolicy,
} from "../../../src/connection/reconnect.js";
import {
  configFor,
  connectionEnded,
  type EmbeddedHosts,
  startEmbeddedHosts,
} from "../../support/embedded-hosts.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../../support/fabric-sshd.js";

describe("reconnect policy", () => {
  it("is off unless asked for; true gives the defaults; fields override them", () => {
    expect(reconnectPolicy(undefined)).toBeNull();
    expect(reconnectPolicy(false)).toBeNull();
    expect(reconnectPolicy(true)).toEqual(DEFAULT_RECONNECT);
    expect(reconnectPolicy({ attempts: 0, baseDelayMs: 5 })).toMatchObject({ attempts: 1, baseDelayMs: 5 });
  });

  it("retries transient failures with growing delays, and stops at once on auth or host key errors", async () => {
    const waits: number[] = [];
    let calls = 0;
    const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000, jitter: 0 };
    const value = await connectWithRetries(
      policy,
      async () => {
        calls++;
        if (calls < 3) throw new SshConnectError("CONNECT_REFUSED", "127.0.0.9", 22, "refused");
        return "up";
      },
      {
        wait: async (ms) => {
          waits.push(ms);
        },
      },
    );
    expect(value).toBe("up");
    expect(waits).toEqual([100, 200]);

    for (const code of ["AUTH_FAILED", "HOST_KEY_MISMATCH", "HOST_KEY_UNKNOWN"] as SshErrorCode[]) {
      let tries = 0;
      const error = await connectWithRetries(
        policy,
        async () => {
          tries++;
          throw new SshError(code, code);
        },
        { wait: async () => {} },
      ).catch((e: Error) => e);
      expect((error as { code?: string }).code).toBe(code);
      expect(tries).toBe(1);
      expect(isTransientConnectError(error)).toBe(false);
    }
  });

  it("gives up after `attempts` with the last error", async () => {
    let tries = 0;
    const error = await connectWithRetries(
      { attempts: 3, baseDelayMs: 1, maxDelayMs: 1, jitter: 0 },
      async () => {
        tries++;
        throw new SshError("CONNECTION_LOST", `try ${tries}`);
      },
      { wait: async () => {} },
    ).catch((e: Error) => e);
    expect(error.message).toBe("try 3");
    expect(tries).toBe(3);
  });

  it("an abort during the back-off ends it at once with the last error, and no further connect starts", async () => {
    let tries = 0;
    const stop = new AbortController();
    const outcome = connectWithRetries(
      { attempts: 5, baseDelayMs: 600_000, maxDelayMs: 600_000, jitter: 0 },
      async () => {
        tries++;
        throw new SshConnectError("CONNECT_REFUSED", "127.0.0.9", 22, `refused ${tries}`);
      },
      { signal: stop.signal },
    ).catch((e: Error) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    stop.abort();
    const error = await outcome;
    expect(error.message).toContain("refused 1");
    expect(tries).toBe(1);
  });
});

describeWithSshd("reconnect after the server went away between commands (real sshd)", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(() => sshd?.stop());

  /** Kill sshd under `c`; it comes back after `downMs` (the returned `back` settles then). */
  async function loseServerFor(c: Connection, downMs: number): Promise<{ back: Promise<void> }> {
    const ended = connectionEnded(c);
    await sshd.kill();
    expect(await ended).toBe("CONNECTION_LOST");
    const back = new Promise<void>((resolve, reject) => {
      setTimeout(() => sshd.restart().then(resolve, reject), downMs);
    });
    return { back };
  }

  it("with reconnect, the next command waits for the server to come back and runs once", async () => {
    const c = new Connection("host1", {
      config: harnessConfig(sshd),
      reconnect: { attempts: 30, baseDelayMs: 100, maxDelayMs: 400 },
    });
    try {
      expect((await c.run("echo one", { hide: true })).stdout).toBe("one\n");
      const { back } = await loseServerFor(c, 1500);
      expect(sshd.running).toBe(false);
      const result = await c.run("echo two", { hide: true });
      await back;
      expect(result.stdout).toBe("two\n");
      expect(c.isConnected).toBe(true);
    } finally {
      await c.close();
    }
  });

  it("close() during a reconnect's back-off stops it: the waiting command fails with the last error", async () => {
    const c = new Connection("host1", {
      config: harnessConfig(sshd),
      reconnect: { attempts: 5, baseDelayMs: 600_000, maxDelayMs: 600_000, jitter: 0 },
    });
    await c.run("true", { hide: true });
    const { back } = await loseServerFor(c, 1500);
    const running = c.run("true", { hide: true }).catch((e: Error) => e);
    // The first try is refused at once; the ten-minute back-off starts.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await c.close();
    const error = await running;
    expect((error as { code?: string }).code).toBe("CONNECT_REFUSED");
    await back;
    expect(c.isConnected).toBe(false);
  });

  it("without reconnect, the same situation fails at once with CONNECT_REFUSED", async () => {
    const c = new Connection("host1", { config: harnessConfig(sshd) });
    try {
      await c.run("true", { hide: true });
      const { back } = await loseServerFor(c, 1500);
      const error = await c.run("true", { hide: true }).catch((e: Error) => e);
      await back;
      expect((error as { code?: string }).code).toBe("CONNECT_REFUSED");
      // Once the server is back, the next command opens a new connection (Fabric's lazy re-open).
      expect((await c.run("echo back", { hide: true })).stdout).toBe("back\n");
    } finally {
      await c.close();
    }
  });
});

describe("a command running when the connection drops is never re-run (embedded host)", () => {
  let hosts: EmbeddedHosts;
  beforeAll(async () => {
    hosts = await startEmbeddedHosts({ hosts: 1 });
  });
  afterAll(() => hosts?.stop());

  it("fails with CONNECTION_LOST, ran exactly once, and the next command reconnects", async () => {
    const web1 = hosts.host("web1");
    const c = new Connection("web1", {
      config: configFor(hosts.sshConfigPath),
      reconnect: { attempts: 3, baseDelayMs: 50 },
    });
    try {
      const running = c.run("echo ran >> runs.txt; echo started; sleep 30", { hide: true });
      await waitFor(async () => (await readRuns(web1.dir)).length > 0);
      web1.dropAll();
      const error = await running.catch((e: Error) => e);
      expect((error as { code?: string }).code).toBe("CONNECTION_LOST");
      expect((await c.run("echo after", { hide: true })).stdout).toBe("after\n");
      expect(await readRuns(web1.dir)).toEqual(["ran"]);
      expect(web1.totalConnections).toBe(2);
    } finally {
      await c.close();
    }
  });
});

async function readRuns(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, "runs.txt"), "utf8").catch(() => "");
  return text.split("\n").filter(Boolean);
}

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((resolve) => setTimeout(resolve, 20));
}
