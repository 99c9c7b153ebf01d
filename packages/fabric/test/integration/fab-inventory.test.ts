// `fab` with an Ansible inventory, end to end against real sshd: -R/--roles, -H patterns, --limit,
// a task's hosts pattern, per-host ansible_host/port/user/ssh args/become password, c.vars,
// groups from the inventory, --list-hosts, and errors for bad inventories.
import { existsSync, mkdtempSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FIXTURES, runFabSync } from "../support/fab-process.js";
import { describeWithSshd, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

// Each fab run loads the TypeScript sources through jiti: seconds apiece on a busy machine.
vi.setConfig({ testTimeout: 180_000 });

const PROJECT = join(FIXTURES, "inventory-project");
const emptyHome = mkdtempSync(join(tmpdir(), "fab-home-"));

function fab(args: readonly string[], cwd = PROJECT) {
  return runFabSync(args, {
    cwd,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: emptyHome, COLUMNS: "80" },
    // Generous: the first run transforms the TypeScript sources, on a machine shared with other work.
    timeoutMs: 170_000,
  });
}

const lines = (text: string) => text.split("\n").filter(Boolean);

describe("fab with an inventory, no hosts contacted", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fab-inv-"));
    await writeFile(join(dir, "fabfile.mjs"), "export {};\n");
    await writeFile(
      join(dir, "inventory.yml"),
      [
        "web:",
        "  hosts:",
        "    web[1:3]:",
        "  vars: {tier: front}",
        "db:",
        "  hosts:",
        "    db1: {ansible_become_password: s3cret, ansible_port: 2222}",
        "prod:",
        "  children: {web: , db: }",
      ].join("\n"),
    );
    await writeFile(join(dir, "bad.ini"), "[web]\nweb1\n[web:vars]\nx=1\n[db server]\n");
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("--list-hosts reads the inventory beside the fabfile and prints Ansible's order", () => {
    const all = fab(["--list-hosts"], dir);
    expect(all.code).toBe(0);
    expect(lines(all.stdout)).toEqual(["web1", "web2", "web3", "db1"]);
    expect(lines(fab(["--list-hosts", "prod:!web2"], dir).stdout)).toEqual(["web1", "web3", "db1"]);
    expect(lines(fab(["--list-hosts", "web[-1]:db"], dir).stdout)).toEqual(["web3", "db1"]);
    expect(lines(fab(["-R", "web", "--limit", "~web[12]", "--list-hosts"], dir).stdout)).toEqual([
      "web1",
      "web2",
    ]);
  });

  it("--list-hosts --json prints merged vars, with become/login passwords masked", () => {
    const { stdout, code } = fab(["--list-hosts", "db:web1", "--json"], dir);
    expect(code).toBe(0);
    const rows = lines(stdout).map((l) => JSON.parse(l) as { host: string; vars: Record<string, unknown> });
    expect(rows).toEqual([
      { host: "db1", vars: { ansible_become_password: "********", ansible_port: 2222 } },
      { host: "web1", vars: { tier: "front" } },
    ]);
    expect(stdout).not.toContain("s3cret");
  });

  it("a bad inventory is an error naming file and line, never a crash", () => {
    const { stderr, code } = fab(["--inventory", join(dir, "bad.ini"), "--list-hosts"], dir);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(
      `${join(dir, "bad.ini")}:5: Invalid section entry: '[db server]'. Please make sure that there are no spaces or other characters in the group name`,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("-R and --limit without any inventory say what is missing", () => {
    const bare = mkdtempSync(join(tmpdir(), "fab-noinv-"));
    const { stderr, code } = fab(["-R", "web", "--", "true"], bare);
    expect(code).toBe(1);
    expect(stderr).toContain("-R/--roles needs an inventory");
  });

  it("the config key `inventory` names the file (relative to the project directory)", async () => {
    const project = await mkdtemp(join(tmpdir(), "fab-inv-config-"));
    try {
      await writeFile(join(project, "fabfile.mjs"), "export {};\n");
      await mkdir(join(project, "deploy"));
      await writeFile(join(project, "deploy", "hosts.ini"), "[app]\napp[1:2]\n");
      await writeFile(join(project, "inventory.ini"), "[ignored]\nnot-this-one\n");
      await writeFile(join(project, "fabric.yaml"), "inventory: deploy/hosts.ini\n");
      const { stdout, stderr, code } = fab(["--list-hosts"], project);
      expect(code, stderr).toBe(0);
      expect(lines(stdout)).toEqual(["app1", "app2"]);
    } finally {
      await rm(project, { recursive: true, force: true });
    }
  });

  it("--inventory is repeatable: later files add hosts and override vars", async () => {
    const extra = join(dir, "extra.ini");
    await writeFile(extra, "[web]\nweb4\n[web:vars]\ntier=edge\n");
    const { stdout } = fab(
      ["--inventory", join(dir, "inventory.yml"), "--inventory", extra, "--list-hosts", "web", "--json"],
      dir,
    );
    expect(lines(stdout).map((l) => JSON.parse(l))).toEqual(
      ["web1", "web2", "web3", "web4"].map((host) => ({ host, vars: { tier: "edge" } })),
    );
  });
});

describeWithSshd("fab with an inventory against real sshd", () => {
  let a: SshdHarness;
  let b: SshdHarness;
  let dir: string;
  let inventory: string;
  let emptySshConfig: string;
  const runId = `${process.pid}-${Date.now()}`;
  const results = `/tmp/fabts-inventory-${runId}`;

  beforeAll(async () => {
    // Two daemons on two ports: web1, web2 on one; web3 and db1 on the other.
    a = await startSshd({ hosts: ["127.0.0.2", "127.0.0.3"] });
    b = await startSshd({ hosts: ["127.0.0.4", "127.0.0.5"] });
    dir = await mkdtemp(join(tmpdir(), "fab-inv-e2e-"));
    emptySshConfig = join(dir, "empty_ssh_config");
    await writeFile(emptySshConfig, "");
    const common = `-o UserKnownHostsFile=/dev/null -o StrictHostKeyChecking=no -o IdentitiesOnly=yes -o BatchMode=yes`;
    const sudoPassword = a.sudo.available ? a.sudo.password : "unused";
    inventory = join(dir, "inventory.ini");
    await writeFile(
      inventory,
      [
        "[web]",
        `web1 ansible_host=127.0.0.2 ansible_port=${a.port} release=r1`,
        `web2 ansible_host=127.0.0.3 ansible_port=${a.port}`,
        `web3 ansible_host=127.0.0.4 ansible_port=${b.port}`,
        "[db]",
        `db1 ansible_host=127.0.0.5 ansible_port=${b.port} ansible_become_password='${sudoPassword}'`,
        "[web:vars]",
        "tier=front",
        "release=r0",
        "[all:vars]",
        `ansible_user=${a.user}`,
        `ansible_ssh_private_key_file=${a.identityFile}`,
        `ansible_ssh_common_args='${common}'`,
        `run_id=${runId}`,
        "tier=none",
      ].join("\n"),
    );
    await mkdir(results, { recursive: true });
    await chmod(results, 0o777);
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    await rm(results, { recursive: true, force: true });
  });

  const base = () => ["-S", emptySshConfig, "--inventory", inventory];

  it("fab -R web deploy runs on the group's hosts, each with its ansible_host, ansible_port and ansible_user", async () => {
    const { stdout, stderr, code } = fab([...base(), "-R", "web", "deploy"]);
    expect(stderr).not.toContain("failed");
    expect(code).toBe(0);
    expect(lines(stdout)).toEqual([
      `[web1] deployed r1 (front) to ${a.user}@127.0.0.2:${a.port}`,
      `[web2] deployed r0 (front) to ${a.user}@127.0.0.3:${a.port}`,
      `[web3] deployed r0 (front) to ${a.user}@127.0.0.4:${b.port}`,
    ]);
    expect((await readFile(join(results, "127.0.0.2"), "utf8")).trim()).toBe("r1");
    expect((await readFile(join(results, "127.0.0.4"), "utf8")).trim()).toBe("r0");
    expect(existsSync(join(results, "127.0.0.5"))).toBe(false);
  });

  it("--limit narrows -R, -H patterns and a task's own hosts", () => {
    const limited = fab([...base(), "-R", "web", "--limit", "web3:web1", "deploy"]);
    expect(limited.code, limited.stderr).toBe(0);
    expect(lines(limited.stdout)).toEqual([
      `[web1] deployed r1 (front) to ${a.user}@127.0.0.2:${a.port}`,
      `[web3] deployed r0 (front) to ${a.user}@127.0.0.4:${b.port}`,
    ]);
    const pattern = fab([...base(), "-H", "all:!web", "deploy"]);
    expect(pattern.stdout.trim(), pattern.stderr).toBe(
      `deployed none (none) to ${a.user}@127.0.0.5:${b.port}`,
    );
    const own = fab([...base(), "web-but-not-web2"]);
    expect(lines(own.stdout), own.stderr).toEqual([
      `[web1] pattern task on ${a.user}@127.0.0.2:${a.port}`,
      `[web3] pattern task on ${a.user}@127.0.0.4:${b.port}`,
    ]);
    const ownLimited = fab([...base(), "--limit", "web3", "web-but-not-web2"]);
    expect(ownLimited.stdout.trim()).toBe(`pattern task on ${a.user}@127.0.0.4:${b.port}`);
    const limitOnly = fab([...base(), "--limit", "db", "--", "echo $(echo $SSH_CONNECTION | cut -d' ' -f3)"]);
    expect(limitOnly.stdout.trim()).toBe("127.0.0.5");
  });

  it("-H names a pattern term or, outside the inventory, a plain host", () => {
    const { stdout, code } = fab([
      ...base(),
      "-H",
      "web[0],db1",
      "--",
      "echo $(echo $SSH_CONNECTION | cut -d' ' -f3)",
    ]);
    expect(code).toBe(0);
    expect(lines(stdout)).toEqual(["[web1] 127.0.0.2", "[db1] 127.0.0.5"]);
    const none = fab([...base(), "-H", "web:&db", "deploy"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("No hosts matched 'web:&db'");
  });

  it("ansible_become_password answers sudo and is never printed", () => {
    if (!a.sudo.available) throw new Error(`sudo unavailable: ${a.sudo.reason}`);
    const { stdout, stderr, code } = fab([...base(), "-H", "db1", "become-root"]);
    expect(stderr).not.toContain(a.sudo.password);
    expect(code, stderr).toBe(0);
    expect(stdout.trim()).toBe("root");
  });

  it("c.inventory.group() builds a group from a pattern inside a task", () => {
    const { stdout, stderr, code } = fab([...base(), "-H", "db1", "fan-out"]);
    expect(code, stderr).toBe(0);
    expect(stdout).toContain("fan-out reached 127.0.0.2,127.0.0.3,127.0.0.4");
  });
});
