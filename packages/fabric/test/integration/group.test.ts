// Groups against the real OpenSSH sshd harness: 20 loopback hosts, one failing in the middle.
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import type { Result } from "@fabric-ts/invoke";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Connection } from "../../src/connection/connection.js";
import { GroupException, HostSkipped } from "../../src/errors/index.js";
import { SerialGroup } from "../../src/group/serial-group.js";
import { ThreadingGroup } from "../../src/group/threading-group.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

const HOSTS = 20;
const FAILING = "host10";
/** Fails with exit 3 on 127.0.0.10 only (sshd tells the command which address it was reached on). */
const FAIL_ON_HOST10 = `set -- $SSH_CONNECTION; if [ "$3" = 127.0.0.10 ]; then echo broken >&2; exit 3; fi; echo fine`;

function recorder(isTTY = false): Writable & { text(): string; isTTY: boolean } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join(""), isTTY });
}

/** Largest number of [start, end] intervals open at the same moment. */
function maxOverlap(intervals: readonly [number, number][]): number {
  const points = intervals.flatMap(([s, e]) => [
    [s, 1],
    [e, -1],
  ]);
  points.sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
  let open = 0;
  let max = 0;
  for (const [, delta] of points) {
    open += delta!;
    max = Math.max(max, open);
  }
  return max;
}

/** A command appending `<address> start|end <ns>` around a sleep to `log`. */
function timedCommand(log: string, seconds: number): string {
  const me = `$(echo $SSH_CONNECTION | cut -d' ' -f3)`;
  return `echo "${me} start $(date +%s%N)" >> ${log}; sleep ${seconds}; echo "${me} end $(date +%s%N)" >> ${log}`;
}

async function intervalsFrom(log: string): Promise<Map<string, [number, number]>> {
  const byHost = new Map<string, [number, number]>();
  for (const line of (await readFile(log, "utf8")).trim().split("\n")) {
    const [address = "", kind, ns = "0"] = line.split(" ");
    const entry = byHost.get(address) ?? [0, 0];
    entry[kind === "start" ? 0 : 1] = Number(BigInt(ns) / 1000n);
    byHost.set(address, entry);
  }
  return byHost;
}

describeWithSshd("groups against real sshd", () => {
  let hosts: SshdHarness;
  let dir: string;
  let aliases: string[];

  beforeAll(async () => {
    // More than 16 hosts: the harness runs two daemons; let each accept many handshakes at once.
    hosts = await startSshd({ hosts: HOSTS, maxStartups: 200 });
    aliases = hosts.hosts.map((h) => h.alias);
    dir = await mkdtemp(join(tmpdir(), "fabric-group-"));
    await chmod(dir, 0o777); // the harness login user writes the timing logs here
  });
  afterAll(async () => {
    await hosts?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const config = () => harnessConfig(hosts, hosts.sshConfigPath);
  const options = (extra: object = {}) => ({ config: config(), output: "plain" as const, ...extra });

  describe.each([
    ["SerialGroup", (extra?: object) => new SerialGroup(...aliases, options(extra))],
    [
      "ThreadingGroup",
      (extra?: object) => new ThreadingGroup(...aliases, options({ concurrency: 8, ...extra })),
    ],
  ])("%s", (_name, makeGroup) => {
    it("throws a GroupException naming exactly the failed host; every other host succeeded", async () => {
      await using group = makeGroup();
      const error = await group.run(FAIL_ON_HOST10, { hide: true }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GroupException);
      const { result, message } = error as GroupException<Result>;
      expect(message.split("\n")).toEqual([
        `1 of ${HOSTS} hosts failed:`,
        `  ${FAILING}: UnexpectedExit: "${FAIL_ON_HOST10.replace(/"/g, '\\"')}" exited 3`,
      ]);
      expect([...result.keys()].map((c) => c.originalHost)).toEqual(aliases);
      expect([...result.failed.keys()].map((c) => c.originalHost)).toEqual([FAILING]);
      expect(result.succeeded.size).toBe(HOSTS - 1);
      for (const value of result.succeeded.values()) expect((value as Result).stdout).toBe("fine\n");
      const failedRow = result.outcomes().find((o) => o.host === FAILING);
      expect(failedRow).toMatchObject({ status: "failed", exitCode: 3 });
      expect(result.summary()).toMatch(new RegExp(`^${FAILING} +failed +3 +\\d+\\.\\d\\ds$`, "m"));
      expect(result.summary().trim().split("\n").at(-1)).toBe(`${HOSTS - 1} ok, 1 failed`);
    });

    it("with warn: true returns every Result, the failing one included, without throwing", async () => {
      await using group = makeGroup();
      const result = await group.run(FAIL_ON_HOST10, { hide: true, warn: true });
      expect(result.size).toBe(HOSTS);
      expect(result.ok).toBe(true); // nothing raised, as in Fabric
      const failing = [...result].filter(([, r]) => (r as Result).failed).map(([c]) => c.originalHost);
      expect(failing).toEqual([FAILING]);
      expect(
        result
          .outcomes()
          .filter((o) => o.status === "failed")
          .map((o) => o.host),
      ).toEqual([FAILING]);
    });
  });

  it("SerialGroup runs one host at a time, in order", async () => {
    const log = join(dir, "serial.log");
    await using group = new SerialGroup(...aliases.slice(0, 5), options());
    await group.run(timedCommand(log, 0.05), { hide: true });
    const intervals = await intervalsFrom(log);
    expect([...intervals.keys()]).toEqual(["127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"]);
    expect(maxOverlap([...intervals.values()])).toBe(1);
  });

  it("ThreadingGroup never runs more hosts at once than its concurrency limit", async () => {
    const log = join(dir, "limit.log");
    await using group = new ThreadingGroup(...aliases, options({ concurrency: 4 }));
    const result = await group.run(timedCommand(log, 0.3), { hide: true });
    expect(result.size).toBe(HOSTS);
    const intervals = await intervalsFrom(log);
    expect(intervals.size).toBe(HOSTS);
    const overlap = maxOverlap([...intervals.values()]);
    expect(overlap).toBeGreaterThan(1);
    expect(overlap).toBeLessThanOrEqual(4);
  });

  it("failFast starts no further hosts after the first failure", async () => {
    const log = join(dir, "failfast.log");
    const command = `set -- $SSH_CONNECTION; if [ "$3" = 127.0.0.1 ]; then exit 1; fi; ${timedCommand(log, 0.5)}`;
    await using group = new ThreadingGroup(...aliases, options({ concurrency: 2, failFast: true }));
    const error = (await group.run(command, { hide: true }).catch((e: unknown) => e)) as GroupException;
    expect(error).toBeInstanceOf(GroupException);
    const skipped = [...error.result]
      .filter(([, v]) => v instanceof HostSkipped)
      .map(([c]) => c.originalHost);
    expect(skipped).toEqual(aliases.slice(2));
    expect(error.result.outcomes()[5]).toMatchObject({ status: "skipped", durationMs: null });
    // Only host2 (already running when host1 failed) ever started the command.
    expect([...(await intervalsFrom(log)).keys()]).toEqual(["127.0.0.2"]);
    expect(error.message).toContain(`  host1: UnexpectedExit:`);
    expect(error.message).toContain(`  host3: skipped (fail-fast)`);
  });

  it("prefixes every line with its host and never interleaves hosts mid-line", async () => {
    const stdout = recorder();
    const stderr = recorder();
    await using group = new ThreadingGroup(...aliases, {
      config: config(),
      output: { mode: "prefixed", stdout, stderr },
    });
    // Partial lines with pauses between them, on 20 hosts at once.
    await group.run(
      "printf 'alpha-'; sleep 0.1; printf 'beta-'; sleep 0.1; echo gamma; echo err-line >&2; printf tail",
    );
    const lines = stdout.text().split("\n");
    expect(lines.pop()).toBe("");
    expect(lines).toHaveLength(HOSTS * 2);
    for (const line of lines) expect(line).toMatch(/^\[host\d+\] (alpha-beta-gamma|tail)$/);
    for (const alias of aliases) {
      expect(lines.filter((l) => l.startsWith(`[${alias}] `))).toEqual([
        `[${alias}] alpha-beta-gamma`,
        `[${alias}] tail`,
      ]);
    }
    expect(stderr.text().split("\n").filter(Boolean).sort()).toEqual(
      aliases.map((a) => `[${a}] err-line`).sort(),
    );
    expect(stdout.text()).not.toContain("\u001b[");
  });

  it("colours host labels on a terminal, but not with NO_COLOR", async () => {
    const run = async () => {
      const stdout = recorder(true);
      await using group = new ThreadingGroup(...aliases.slice(0, 2), {
        config: config(),
        output: { mode: "prefixed", stdout, stderr: recorder(true) },
      });
      await group.run("echo hi");
      return stdout.text();
    };
    vi.stubEnv("NO_COLOR", "");
    vi.stubEnv("FORCE_COLOR", "");
    vi.stubEnv("TERM", "xterm");
    try {
      expect(await run()).toMatch(/^\u001b\[\d+m\[host1\]\u001b\[0m hi$/m);
      vi.stubEnv("NO_COLOR", "1");
      expect((await run()).split("\n").sort()).toEqual(["", "[host1] hi", "[host2] hi"]);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("hidden output is not routed; call() runs a whole function per host with routed output", async () => {
    const stdout = recorder();
    await using group = ThreadingGroup.fromConnections(new SerialGroup(...aliases.slice(0, 3), options()), {
      output: { mode: "prefixed", stdout, stderr: recorder() },
    });
    const hidden = await group.run("echo secret-ish", { hide: true });
    expect(stdout.text()).toBe("");
    expect([...hidden.values()].map((r) => (r as Result).stdout)).toEqual([
      "secret-ish\n",
      "secret-ish\n",
      "secret-ish\n",
    ]);
    const result = await group.call(async (c, index) => {
      await c.cd("/tmp", (tmp) => tmp.run("pwd"));
      return `${c.originalHost}#${index}`;
    });
    expect([...result.values()]).toEqual(["host1#0", "host2#1", "host3#2"]);
    expect(stdout.text().split("\n").filter(Boolean).sort()).toEqual([
      "[host1] /tmp",
      "[host2] /tmp",
      "[host3] /tmp",
    ]);
  });

  it("targets behind the same ProxyJump bastion share one gateway Connection", async () => {
    const blocks = [2, 3, 4].map((n) =>
      [
        `Host behind${n}`,
        `  HostName 127.0.0.${n}`,
        `  Port ${hosts.port}`,
        `  User ${hosts.user}`,
        `  IdentityFile ${hosts.identityFile}`,
        "  IdentitiesOnly yes",
        `  UserKnownHostsFile ${hosts.knownHostsPath}`,
        "  GlobalKnownHostsFile /dev/null",
        "  ProxyJump host1",
      ].join("\n"),
    );
    const configPath = join(dir, "jump_config");
    await writeFile(configPath, `${blocks.join("\n\n")}\n\n${await readFile(hosts.sshConfigPath, "utf8")}`);
    await using group = new ThreadingGroup("behind2", "behind3", "behind4", {
      config: harnessConfig(hosts, configPath),
      output: "plain",
    });
    const [first, ...rest] = group.connections.map((c) => c.gateway);
    expect(first).toBeInstanceOf(Connection);
    expect((first as Connection).originalHost).toBe("host1");
    for (const gateway of rest) expect(gateway).toBe(first);
    const result = await group.run("echo $SSH_CONNECTION | cut -d' ' -f3", { hide: true });
    expect([...result.values()].map((r) => (r as Result).stdout.trim())).toEqual([
      "127.0.0.2",
      "127.0.0.3",
      "127.0.0.4",
    ]);
  });
});
