// A MaxStartups storm: 500 hosts at once against daemons that shed unauthenticated connections.
// With ConnectionAttempts, dropped connects back off (with jitter) and retry: no host fails.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ThreadingGroup } from "../../../src/group/threading-group.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../../support/fabric-sshd.js";

const HOSTS = 500;

describeWithSshd("500 hosts against a low MaxStartups", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    const hosts = Array.from({ length: HOSTS }, (_, i) => ({
      address: `127.0.${Math.floor(i / 250) + 1}.${(i % 250) + 1}`,
      alias: `h${i + 1}`,
    }));
    // Beyond 5 unauthenticated connections a daemon drops half of the new ones, beyond 10 all.
    sshd = await startSshd({ hosts, maxStartups: "5:50:10" });
  }, 120_000);
  afterAll(() => sshd?.stop(), 60_000);

  it("every host succeeds thanks to connect retries; sshd really dropped connections", async () => {
    const config = harnessConfig(sshd);
    config.set("connectKwargs", {
      agent: false,
      connectionAttempts: 30,
      retryDelay: 100,
      retryMaxDelay: 2000,
    });
    // 500 handshakes at once on 2 shared cores can take longer than the harness's ConnectTimeout 10:
    // the storm under test is MaxStartups shedding connections, not a slow handshake. ssh_config's
    // first value wins, so a file that sets it before including the harness's own overrides it.
    const wrapper = join(await mkdtemp(join(tmpdir(), "storm-")), "ssh_config");
    await writeFile(wrapper, `Host *\n  ConnectTimeout 60\n\nInclude ${sshd.sshConfigPath}\n`);
    config.setRuntimeSshPath(wrapper);
    await using group = new ThreadingGroup(...sshd.hosts.map((h) => h.alias), {
      config,
      concurrency: HOSTS,
      output: "plain",
    });
    const result = await group.run("true", { hide: true });
    expect([...result.failed.values()].map((e) => e.message).slice(0, 3)).toEqual([]);
    expect(result.succeeded.size).toBe(HOSTS);
    // The storm was real: the daemons logged connections dropped past MaxStartups.
    expect(await sshd.readLog()).toMatch(/past MaxStartups|MaxStartups throttling/);
  }, 170_000);
});
