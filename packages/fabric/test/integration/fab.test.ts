// The `fab` CLI end to end, as a real process, against real sshd hosts.
import { existsSync, mkdtempSync } from "node:fs";
import { chmod, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURES, NO_FABFILE, runFabSync } from "../support/fab-process.js";
import { describeWithSshd, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

const PROJECT = join(FIXTURES, "fab-project");
const emptyHome = mkdtempSync(join(tmpdir(), "fab-home-"));

interface FabRun {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Run `fab` from the sources (TypeScript through jiti) in a clean environment. */
function fab(args: readonly string[], options: { cwd?: string; env?: Record<string, string> } = {}): FabRun {
  return runFabSync(args, {
    cwd: options.cwd ?? PROJECT,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: emptyHome, COLUMNS: "80", ...options.env },
    timeoutMs: 60_000,
  });
}

function maxOverlap(intervals: readonly [number, number][]): number {
  const points = intervals.flatMap(([s, e]): [number, number][] => [
    [s, 1],
    [e, -1],
  ]);
  points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let max = 0;
  for (const [, delta] of points) {
    open += delta;
    max = Math.max(max, open);
  }
  return max;
}

describe("fab without hosts", () => {
  it("--version prints three lines", () => {
    const { stdout, code } = fab(["--version"]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^Fabric \d+\.\d+\.\d+ \(fabric-ts\)$/);
    expect(lines[1]).toMatch(/^ssh2 \d+\.\d+\.\d+/);
    expect(lines[2]).toMatch(/^Invoke \d+\.\d+\.\d+/);
  });

  it("--help lists Fabric's flags", () => {
    const { stdout, code } = fab(["--help"], { cwd: NO_FABFILE });
    expect(code).toBe(0);
    for (const flag of [
      "-H STRING, --hosts=STRING",
      "-i STRING, --identity=STRING",
      "-S STRING, --ssh-config=STRING",
      "-t INT, --connect-timeout=INT",
      "--prompt-for-login-password",
      "--prompt-for-passphrase",
      "--prompt-for-sudo-password",
      "-P, --parallel",
      "--concurrency=INT",
      "--json",
    ]) {
      expect(stdout).toContain(flag);
    }
    // Then examples, the environment variables and where the docs are (a file that exists).
    expect(stdout).toMatch(/^Examples:$/m);
    expect(stdout).toMatch(/^ {2}fab -H web1,web2 deploy +run the task "deploy" on web1, then on web2$/m);
    expect(stdout).toMatch(/^ {2}fab -S \.\/ssh_config -H db1 -- uptime/m);
    expect(stdout).toMatch(/^Environment:$/m);
    for (const name of [
      "FABRIC_RUNTIME_CONFIG",
      "FABRIC_<KEY>",
      "SSH_AUTH_SOCK",
      "NO_COLOR",
      "FABRIC_TS_EARLY_DIAL",
    ])
      expect(stdout).toContain(`  ${name}`);
    const docs = /^Docs: (\S+fab-cli\.md) /m.exec(stdout)?.[1] ?? "";
    expect(existsSync(docs), docs).toBe(true);
  });

  it("--list shows the fabfile's tasks", () => {
    const { stdout, code } = fab(["--list"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Available tasks:\n\n {2}deploy +Deploy to the given hosts\.$/m);
    expect(stdout).toMatch(/^ {2}pinned +Declares its own hosts\.$/m);
  });

  it("a chunk size validated by its schema (int, positive): 0 is a usage error, not an endless loop", {
    timeout: 120_000,
  }, () => {
    const zero = fab(["rolling", "--chunk-size", "0"]);
    expect(zero.code).toBe(1);
    expect(zero.stderr).toMatch(/chunk-size/);
    expect(zero.stdout).toBe("");
    const two = fab(["rolling", "--chunk-size", "2"]);
    expect(two.stdout).toBe("chunk 1: web1,web2\nchunk 2: web3\n");
    expect(two.code).toBe(0);
  });

  it("`-- cmd` without hosts is NothingToDo (exit 1)", () => {
    const { stderr, code } = fab(["--", "uname"], { cwd: NO_FABFILE });
    expect(code).toBe(1);
    expect(stderr).toContain("Was told to run a command, but not given any hosts to run it on!");
  });
});

describeWithSshd("fab against real sshd", () => {
  let hosts: SshdHarness;
  let dir: string;
  let S: string[];

  beforeAll(async () => {
    hosts = await startSshd({ hosts: 10, maxStartups: 100 });
    S = ["-S", hosts.sshConfigPath];
    dir = await mkdtemp(join(tmpdir(), "fab-e2e-"));
    await chmod(dir, 0o777);
  });
  afterAll(async () => {
    await hosts?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("runs `-- cmd` on every -H host without a fabfile, prefixing each host's lines", () => {
    const { stdout, stderr, code } = fab([...S, "-H", "host1,host2,host3", "--", "echo hi; echo oops >&2"], {
      cwd: NO_FABFILE,
    });
    expect(code).toBe(0);
    expect(stdout.split("\n").filter(Boolean)).toEqual(["[host1] hi", "[host2] hi", "[host3] hi"]);
    expect(stderr).toContain("[host2] oops");
    expect(stderr).toMatch(/^HOST +STATUS +EXIT +DURATION$/m);
    expect(stderr).toMatch(/^host3 +ok +0 +\d+\.\d\ds$/m);
    expect(stderr).toContain("3 ok");
  });

  it("a single host prints plainly and exits with the command's exit code", () => {
    const { stdout, stderr, code } = fab([...S, "-H", "host1", "--", "echo plain; exit 5"], {
      cwd: NO_FABFILE,
    });
    expect(stdout).toBe("plain\n");
    expect(code).toBe(5);
    expect(stderr).toContain("1 of 1 hosts failed:\n  host1: UnexpectedExit:");
  });

  it("--set deploy_env=production reaches c.config.get('deploy_env') on each host (the seed example)", () => {
    const prod = fab([...S, "-H", "host1,host2", "--set", "deploy_env=production", "deploy"]);
    expect(prod.code).toBe(0);
    expect(prod.stdout.split("\n").filter(Boolean)).toEqual([
      "[host1] deploy_env=production branch=main on 127.0.0.1",
      "[host2] deploy_env=production branch=main on 127.0.0.2",
    ]);
    const staging = fab([...S, "-H", "host1", "deploy"]);
    expect(staging.stdout).toBe("deploy_env=staging branch=develop on 127.0.0.1\n");
  });

  it("accepts shorthand hosts (user@host:port) and bare addresses in -H", () => {
    const port = hosts.hosts[1]!.port;
    const { stdout, code } = fab([...S, "-H", `host1, ${hosts.user}@host2:${port},127.0.0.3`, "deploy"]);
    expect(code).toBe(0);
    expect(stdout).toContain(`[host1] deploy_env=staging branch=develop on 127.0.0.1`);
    expect(stdout).toContain(`[${hosts.user}@host2:${port}] deploy_env=staging branch=develop on 127.0.0.2`);
    expect(stdout).toContain(`[127.0.0.3] deploy_env=staging branch=develop on 127.0.0.3`);
  });

  it("a task's own hosts are used unless -H replaces them", () => {
    const own = fab([...S, "pinned"]);
    expect(own.code).toBe(0);
    expect(own.stdout.split("\n").filter(Boolean)).toEqual([
      "[host1] pinned on 127.0.0.1",
      "[host2] pinned on 127.0.0.2",
    ]);
    const replaced = fab([...S, "-H", "host4", "pinned"]);
    expect(replaced.stdout).toBe("pinned on 127.0.0.4\n");
  });

  it("runs pre tasks once, locally, and gives each host a config of its own", () => {
    const pre = fab([...S, "-H", "host1,host2", "withpre"]);
    expect(pre.code).toBe(0);
    expect(pre.stdout.match(/pre ran locally/g)).toHaveLength(1);
    expect(pre.stdout).toContain("pre ran locally: [none]");
    expect(pre.stdout).toContain("[host2] body on 127.0.0.2");
    const mutate = fab([...S, "-H", "host1,host2,host3", "mutate"]);
    expect(mutate.stdout.split("\n").filter(Boolean)).toEqual([
      "[host1] leak before=unset",
      "[host2] leak before=unset",
      "[host3] leak before=unset",
    ]);
  });

  it("named tasks and `-- cmd` combine (Fabric always raised NothingToDo)", () => {
    const { stdout, code } = fab([...S, "-H", "host1", "deploy", "--", "echo after"]);
    expect(code).toBe(0);
    expect(stdout).toBe("deploy_env=staging branch=develop on 127.0.0.1\nafter\n");
  });

  it("serial: stops at the failing host, names it, exits with its exit code", () => {
    const { stdout, stderr, code } = fab([...S, "-H", "host1,host2,host3,host4,host5", "fails"]);
    expect(code).toBe(7);
    expect(stdout).toContain("[host2] ok on 127.0.0.2");
    expect(stdout).not.toContain("127.0.0.4");
    expect(stderr).toContain("[host3] failing here");
    expect(stderr).toMatch(
      /^1 of 5 hosts failed:\n {2}host3: UnexpectedExit: .* exited 7\n {2}\(2 not run after the failure\)$/m,
    );
    expect(stderr).toMatch(/^host4 +skipped +- +-$/m);
  });

  it("-P: every host runs; failures are named; two failed hosts exit 1", () => {
    const one = fab([...S, "-P", "-H", "host1,host2,host3,host4,host5", "fails"]);
    expect(one.code).toBe(7);
    expect(one.stdout).toContain("[host5] ok on 127.0.0.5");
    expect(one.stderr).toMatch(/^1 of 5 hosts failed:\n {2}host3: /m);
    const two = fab([...S, "-P", "-H", "host3,127.0.0.3,host1", "fails"]);
    expect(two.code).toBe(1);
    expect(two.stderr).toMatch(/^2 of 3 hosts failed:\n {2}host3: .*\n {2}127\.0\.0\.3: /m);
  });

  it("-P --concurrency 5 runs a task on up to 5 hosts at once", async () => {
    const log = join(dir, "timed.log");
    const all = hosts.hosts.map((h) => h.alias).join(",");
    const { code, stderr } = fab([
      ...S,
      "-P",
      "--concurrency",
      "5",
      "-H",
      all,
      "--set",
      `timing_log=${log}`,
      "timed",
    ]);
    expect(stderr).toContain("10 ok");
    expect(code).toBe(0);
    const byHost = new Map<string, [number, number]>();
    for (const line of (await readFile(log, "utf8")).trim().split("\n")) {
      const [address = "", kind, ns = "0"] = line.split(" ");
      const entry = byHost.get(address) ?? [0, 0];
      entry[kind === "start" ? 0 : 1] = Number(BigInt(ns) / 1000n);
      byHost.set(address, entry);
    }
    expect(byHost.size).toBe(10);
    const overlap = maxOverlap([...byHost.values()]);
    expect(overlap).toBeGreaterThan(1);
    expect(overlap).toBeLessThanOrEqual(5);
  });

  it("--json writes only parseable NDJSON events: start, output lines, exit per host, and a summary", () => {
    const { stdout, code } = fab(
      [
        ...S,
        "--json",
        "-P",
        "-H",
        "host1,host2,host3",
        "--",
        "echo out; echo err >&2; [ $(echo $SSH_CONNECTION | cut -d' ' -f3) != 127.0.0.2 ]",
      ],
      {
        cwd: NO_FABFILE,
      },
    );
    expect(code).toBe(1);
    const events = stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const host of ["host1", "host2", "host3"]) {
      const mine = events.filter((e) => e.host === host).map((e) => e.event);
      expect(mine).toEqual(["start", "stdout", "stderr", "exit"]);
      expect(events).toContainEqual({ schema: 1, event: "stdout", host, line: "out" });
    }
    const exit2 = events.find((e) => e.event === "exit" && e.host === "host2");
    expect(exit2).toMatchObject({ status: "failed", exitCode: 1 });
    expect(typeof exit2?.durationMs).toBe("number");
    expect(events.at(-1)).toMatchObject({
      event: "summary",
      ok: false,
      hosts: 3,
      succeeded: ["host1", "host3"],
      failed: ["host2"],
      skipped: [],
    });
  });

  it("-P: what a task prints itself (console.log, c.log, stdout writes, console.error) carries its host's prefix", () => {
    const { stdout, stderr, code } = fab([...S, "-P", "-H", "host1,host2", "speak"]);
    expect(code).toBe(0);
    const lines = stdout.split("\n").filter(Boolean);
    for (const [host, address] of [
      ["host1", "127.0.0.1"],
      ["host2", "127.0.0.2"],
    ]) {
      expect(lines.filter((line) => line.startsWith(`[${host}] `))).toEqual([
        `[${host}] console.log on ${address}`,
        `[${host}] remote on ${address}`,
        `[${host}] c.log on ${address}`,
        `[${host}] written in pieces on ${address}`,
      ]);
      expect(stderr).toContain(`[${host}] console.error on ${address}\n`);
    }
    expect(lines).toHaveLength(8);
  });

  it("--json -P: task output becomes events too; every stdout line is a JSON event with a schema version", () => {
    const { stdout, code } = fab([...S, "--json", "-P", "-H", "host1,host2", "speak"]);
    expect(code).toBe(0);
    const events = stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const event of events) expect(event.schema).toBe(1);
    for (const [host, address] of [
      ["host1", "127.0.0.1"],
      ["host2", "127.0.0.2"],
    ]) {
      const mine = events.filter((e) => e.host === host);
      expect(mine.filter((e) => e.event === "stdout").map((e) => e.line)).toEqual([
        `console.log on ${address}`,
        `remote on ${address}`,
        `c.log on ${address}`,
        `written in pieces on ${address}`,
      ]);
      expect(mine).toContainEqual({ schema: 1, event: "stderr", host, line: `console.error on ${address}` });
    }
    expect(events.at(-1)).toMatchObject({ schema: 1, event: "summary", ok: true });
  });

  it("a group and a Connection built inside a task use fab's -S config (hosts only that file knows)", {
    timeout: 120_000,
  }, () => {
    const { stdout, stderr, code } = fab([...S, "grouped"]);
    expect(stderr).not.toContain("resolve");
    expect(code).toBe(0);
    expect(stdout).toContain("[host1] group on 127.0.0.1\n");
    expect(stdout).toContain("[host2] group on 127.0.0.2\n");
    expect(stdout).toContain("group reached 2 hosts\n");
    expect(stdout).toContain("connection on 127.0.0.3\n");
    const json = fab([...S, "--json", "grouped"]);
    expect(json.code).toBe(0);
    const events = json.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events).toContainEqual({ schema: 1, event: "stdout", host: "host2", line: "group on 127.0.0.2" });
    expect(events).toContainEqual({
      schema: 1,
      event: "stdout",
      host: "local",
      line: "group reached 2 hosts",
    });
  });

  it("an unknown host key fails with the ways to accept it; --set connectKwargs.strictHostKeyChecking=accept-new works", async () => {
    const host = hosts.hosts[0]!;
    const knownHosts = join(dir, "fresh_known_hosts");
    const freshConfig = join(dir, "fresh_config");
    await writeFile(
      freshConfig,
      [
        "Host fresh",
        `  HostName ${host.address}`,
        `  Port ${host.port}`,
        `  User ${hosts.user}`,
        `  IdentityFile ${hosts.identityFile}`,
        `  UserKnownHostsFile ${knownHosts}`,
        "  GlobalKnownHostsFile /dev/null",
        "",
      ].join("\n"),
    );
    const refused = fab(["-S", freshConfig, "-H", "fresh", "--", "echo in"], { cwd: NO_FABFILE });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`\`ssh-keyscan -p ${host.port} ${host.address} >> ${knownHosts}\``);
    expect(refused.stderr).toContain("`StrictHostKeyChecking accept-new` in ssh_config");
    expect(refused.stderr).toContain("`connectKwargs.strictHostKeyChecking: accept-new`");
    const accepted = fab(
      [
        "-S",
        freshConfig,
        "--set",
        "connectKwargs.strictHostKeyChecking=accept-new",
        "-H",
        "fresh",
        "--",
        "echo in",
      ],
      { cwd: NO_FABFILE },
    );
    expect(accepted.stdout).toBe("in\n");
    expect(accepted.code).toBe(0);
    expect(await readFile(knownHosts, "utf8")).toContain(`[${host.address}]:${host.port} `);
  });

  it("-i offers a key the ssh_config does not name; without it the host fails and is named", async () => {
    const host = hosts.hosts[0]!;
    const noKeyConfig = join(dir, "no_key_config");
    await writeFile(
      noKeyConfig,
      [
        "Host keyless",
        `  HostName ${host.address}`,
        `  Port ${host.port}`,
        `  User ${hosts.user}`,
        `  UserKnownHostsFile ${hosts.knownHostsPath}`,
        "  GlobalKnownHostsFile /dev/null",
        "  IdentitiesOnly yes",
        "",
      ].join("\n"),
    );
    const without = fab(["-S", noKeyConfig, "-H", "keyless", "--", "echo in"], { cwd: NO_FABFILE });
    expect(without.code).not.toBe(0);
    expect(without.stderr).toMatch(/1 of 1 hosts failed:\n {2}keyless: /);
    const withKey = fab(["-S", noKeyConfig, "-i", hosts.identityFile, "-H", "keyless", "--", "echo in"], {
      cwd: NO_FABFILE,
    });
    expect(withKey.stderr).toBe("");
    expect(withKey.stdout).toBe("in\n");
    expect(withKey.code).toBe(0);
  });
});
