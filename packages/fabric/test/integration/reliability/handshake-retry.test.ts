// 200 hosts at once against one sshd with `MaxStartups 3:30:10` (OpenSSH's default), with no retry
// settings at all: connects the server drops before the SSH handshake are retried with backoff by
// default, so no host fails. With that retry turned off, the same storm fails hosts.
import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "../../../src/connection/connection.js";
import type { GroupException } from "../../../src/errors/index.js";
import { ThreadingGroup } from "../../../src/group/threading-group.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../../support/fabric-sshd.js";

const HOSTS = 200;

describeWithSshd("200 hosts against MaxStartups 3:30:10 (real sshd)", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    sshd = await startSshd({ maxStartups: "3:30:10", logLevel: "INFO" });
  });
  afterAll(() => sshd?.stop(), 60_000);

  async function storm(connectKwargs: Record<string, unknown>) {
    const connections = Array.from({ length: HOSTS }, () => {
      const config = harnessConfig(sshd);
      config.set("connectKwargs", { agent: false, ...connectKwargs });
      return new Connection("host1", { config });
    });
    await using group = ThreadingGroup.fromConnections(connections, { concurrency: HOSTS, output: "plain" });
    const result = await group
      .run("true", { hide: true, inStream: false })
      .catch((error: unknown) => (error as GroupException).result);
    return { failed: [...result.failed.values()], succeeded: result.succeeded.size };
  }

  it("defaults only: every host succeeds, and sshd really dropped connections", async () => {
    const result = await storm({});
    expect(result.failed.map((e) => e.message).slice(0, 3)).toEqual([]);
    expect(result.succeeded).toBe(HOSTS);
    expect(await sshd.readLog()).toMatch(/past MaxStartups|MaxStartups throttling/);
  }, 240_000);

  it("with the handshake retry off (handshakeAttempts: 1, as OpenSSH): hosts fail before the handshake", async () => {
    const result = await storm({ handshakeAttempts: 1 });
    expect(result.failed.length).toBeGreaterThan(0);
    for (const error of result.failed) {
      expect((error as { code?: string }).code).toBe("CONNECTION_LOST");
    }
  }, 240_000);
});
