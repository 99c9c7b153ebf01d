// startSshd({ hosts: N }) beyond OpenSSH's 16 listen sockets: several daemons behind one handle.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SshdHarness, startSshd } from "../../src/sshd/index.js";
import { isAlive } from "../../src/sshd/process-tree.js";
import { MAX_LISTEN_SOCKETS, planShards } from "../../src/sshd/shards.js";
import { describeWithSshd } from "../../src/sshd/vitest.js";

describe("planShards", () => {
  const hosts = (n: number) =>
    Array.from({ length: n }, (_, i) => ({ alias: `host${i + 1}`, address: `127.0.0.${i + 1}`, port: 2222 }));

  it("keeps up to 16 hosts on one daemon with the usual file names", () => {
    const shards = planShards("/h", hosts(MAX_LISTEN_SOCKETS));
    expect(shards).toHaveLength(1);
    expect(shards[0]).toMatchObject({ sshdConfigPath: "/h/sshd_config", logPath: "/h/sshd.log" });
  });

  it("splits 33 hosts 16 + 16 + 1, in order, each daemon with its own config and log", () => {
    const shards = planShards("/h", hosts(33));
    expect(shards.map((s) => s.hosts.length)).toEqual([16, 16, 1]);
    expect(shards[1]?.hosts[0]?.alias).toBe("host17");
    expect(shards[2]?.hosts[0]?.alias).toBe("host33");
    expect(shards.map((s) => s.sshdConfigPath)).toEqual([
      "/h/sshd_config",
      "/h/sshd_config.2",
      "/h/sshd_config.3",
    ]);
    expect(shards.map((s) => s.logPath)).toEqual(["/h/sshd.log", "/h/sshd.2.log", "/h/sshd.3.log"]);
  });
});

describeWithSshd("startSshd with more hosts than one sshd can listen for", () => {
  let sshd: SshdHarness;
  const probe = ["host1", "host16", "host17", "host20"];

  beforeAll(async () => {
    sshd = await startSshd({ hosts: 20 });
  });
  afterAll(() => sshd?.stop());

  async function answers(alias: string): Promise<string> {
    const result = await sshd.ssh(alias, "echo $SSH_CONNECTION");
    return result.code === 0 ? result.stdout.trim() : `exit ${result.code}`;
  }

  it("runs two daemons behind one handle, every host reachable with strict host key checking", async () => {
    expect(sshd.hosts).toHaveLength(20);
    expect(sshd.pids).toHaveLength(2);
    expect(new Set(sshd.pids).size).toBe(2);
    expect(sshd.running).toBe(true);
    for (const alias of probe) {
      const host = sshd.host(alias);
      // $SSH_CONNECTION ends with the server address and port the login reached.
      expect(await answers(alias)).toMatch(
        new RegExp(` ${host.address.replaceAll(".", "\\.")} ${host.port}$`),
      );
    }
  });

  it("shares host keys, known_hosts and ssh_config across the daemons", async () => {
    const effective = await sshd.effectiveConfig("host20");
    expect(effective.get("listenaddress")).toEqual([
      `127.0.0.17:${sshd.port}`,
      `127.0.0.18:${sshd.port}`,
      `127.0.0.19:${sshd.port}`,
      `127.0.0.20:${sshd.port}`,
    ]);
    const log = await sshd.readLog();
    expect(log).toContain(`Server listening on 127.0.0.1 port ${sshd.port}`);
    expect(log).toContain(`Server listening on 127.0.0.20 port ${sshd.port}`);
  });

  it("kill() drops every daemon, restart() brings all back, stop() leaves nothing running", async () => {
    const before = sshd.pids;
    await sshd.kill();
    expect(sshd.running).toBe(false);
    expect(before.some(isAlive)).toBe(false);
    expect(await answers("host17")).toMatch(/^exit /);

    await sshd.restart();
    expect(sshd.pids).toHaveLength(2);
    for (const alias of probe) expect(await answers(alias)).not.toMatch(/^exit /);

    const after = sshd.pids;
    await sshd.stop();
    expect(after.some(isAlive)).toBe(false);
    expect(sshd.running).toBe(false);
  });
});
