import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backoffDelay } from "../../../src/client/retry.js";
import { SshClient } from "../../../src/client/ssh-client.js";
import type { SshClientOptions } from "../../../src/index.js";
import { baseOptions, describeWithSshd, type SshdHarness, startSshd } from "../../support/sshd.js";

describe("backoffDelay", () => {
  const policy = { baseDelayMs: 100, maxDelayMs: 1000, jitter: 0 };

  it("doubles from the base delay and stops at the cap", () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, policy))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it("jitter makes the given fraction of each delay random", () => {
    const half = { ...policy, jitter: 0.5 };
    expect(backoffDelay(2, half, () => 0)).toBe(100);
    expect(backoffDelay(2, half, () => 1)).toBe(200);
    expect(backoffDelay(2, { ...policy, jitter: 1 }, () => 0)).toBe(0);
  });
});

describeWithSshd("connect retries against sshd's MaxStartups", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    // Beyond one unauthenticated connection, sshd drops every new one before its banner.
    sshd = await startSshd({ maxStartups: "1:100:1", logLevel: "INFO" });
  });
  afterAll(() => sshd?.stop());

  const options = (extra: Partial<SshClientOptions>): SshClientOptions =>
    baseOptions(sshd, sshd.knownHostsPath, { identityFiles: [sshd.identityFile], ...extra });

  async function storm(count: number, extra: Partial<SshClientOptions>) {
    const outcomes = await Promise.allSettled(
      Array.from({ length: count }, async () => {
        const client = await SshClient.connect(options(extra));
        try {
          return (await client.run("echo ok")).stdout;
        } finally {
          await client.close();
        }
      }),
    );
    return {
      ok: outcomes.filter((o) => o.status === "fulfilled" && o.value === "ok\n").length,
      errors: outcomes.flatMap((o) =>
        o.status === "rejected" ? [o.reason as Error & { code?: string }] : [],
      ),
    };
  }

  it("without retries, connections dropped before the banner fail as CONNECTION_LOST", async () => {
    const { errors } = await storm(12, { connectionAttempts: 1, handshakeAttempts: 1 });
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.code).toBe("CONNECTION_LOST");
      expect(error.message).toMatch(/before the SSH handshake completed|lost/);
    }
  });

  it("with ConnectionAttempts, every connection gets through by backing off", async () => {
    const { ok, errors } = await storm(12, { connectionAttempts: 40, retryDelay: 20, retryMaxDelay: 400 });
    expect(errors).toEqual([]);
    expect(ok).toBe(12);
  });

  it("by default (no ConnectionAttempts), drops before the handshake are retried until all get through", async () => {
    const { ok, errors } = await storm(12, { retryDelay: 200, retryMaxDelay: 2000 });
    expect(errors).toEqual([]);
    expect(ok).toBe(12);
  });

  it("a refused TCP connect is not retried by default (ConnectionAttempts 1, as OpenSSH)", async () => {
    const started = Date.now();
    const error = await SshClient.connect(
      options({ port: 1, retryDelay: 60_000, handshakeAttempts: 12 }),
    ).catch((e: Error & { code?: string }) => e);
    expect((error as { code?: string }).code).toBe("CONNECT_REFUSED");
    // A retry would have waited the 60 s retryDelay first (a hang bound, not a speed check).
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it("authentication failures are not retried", async () => {
    let connects = 0;
    const error = await SshClient.connect(
      options({
        identityFiles: [],
        connectionAttempts: 5,
        retryDelay: 60_000,
        authMethods: { password: false, keyboardInteractive: false },
        debug: (line) => {
          if (/Handshake completed/.test(line)) connects++;
        },
      }),
    ).catch((e: Error & { code?: string }) => e);
    expect((error as { code?: string }).code).toBe("AUTH_FAILED");
    expect(connects).toBe(1);
  });
});
