// 100 concurrent runs on one Connection (and on 100 Connections to one sshd) add no listener per
// run to shared emitters: Node never prints MaxListenersExceededWarning.
import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "../../../src/connection/connection.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../../support/fabric-sshd.js";

describeWithSshd("100 concurrent remote runs (real sshd)", () => {
  let sshd: SshdHarness;
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
  beforeAll(async () => {
    sshd = await startSshd({ maxSessions: 100, maxStartups: 200 });
    process.on("warning", onWarning);
  });
  afterAll(async () => {
    process.off("warning", onWarning);
    await sshd?.stop();
  });

  it("on one Connection, with a shared AbortSignal and timeouts: no MaxListenersExceededWarning", async () => {
    const c = new Connection("host1", { config: harnessConfig(sshd) });
    try {
      const signal = new AbortController().signal;
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          c.run(`echo ${i}`, { hide: true, inStream: false, signal, timeout: 60 }),
        ),
      );
      expect(results.every((r, i) => r.stdout === `${i}\n`)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
    } finally {
      await c.close();
    }
  }, 180_000);

  it("on 100 Connections at once: no MaxListenersExceededWarning", async () => {
    const connections = Array.from(
      { length: 100 },
      () => new Connection("host1", { config: harnessConfig(sshd) }),
    );
    try {
      const results = await Promise.all(connections.map((c, i) => c.run(`echo ${i}`, { hide: true })));
      expect(results.every((r) => r.ok)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
    } finally {
      await Promise.all(connections.map((c) => c.close()));
    }
  }, 180_000);
});
