// How a user unit-tests a fabfile: first with mocks only (no network, no SSH server), then against
// embedded SSH hosts started in-process (integration style, still no setup outside the test).
import { readdir, readFile, readlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Connection, FabricConfig, GroupException } from "@fabric-ts/fabric";
import { ValidationFailed } from "@fabric-ts/fabric/helpers";
import { MockConnection, mockConfig, startMockRemote } from "@fabric-ts/fabric/testing";
import { Context } from "@fabric-ts/invoke";
import { startEmbeddedHosts } from "@fabric-ts/testing";
import { describe, expect, it } from "vitest";
import { deploy, fetchLogs, pushConfig, releaseId, restart, rollback } from "../../fabfile.js";

describe("the demo fabfile, with mocks only", () => {
  it("deploy: release dir, REVISION from the environment, atomic swap, restart, prune", async () => {
    const c = new MockConnection("web1", {
      otherwise: true,
      config: mockConfig({ deploy_env: "production" }),
    });
    await deploy.invoke(c, { release: "20250101_000000_000" });
    c.expectCommands([
      "mkdir -p ~/releases ~/app/log && mkdir ~/releases/20250101_000000_000 ~/releases/20250101_000000_000/bin",
      "chmod +x ~/releases/20250101_000000_000/bin/app",
      "ln -sfn ~/releases/20250101_000000_000 ~/app/current.next && mv -T ~/app/current.next ~/app/current" +
        ' && echo "current -> 20250101_000000_000"',
      "~/app/current/bin/app restart",
      /^cur=.*ls -1 ~\/releases \| sort -r \| tail -n \+6 \|/,
    ]);
    expect(c.sftpMock.read("~/releases/20250101_000000_000/REVISION")).toBe("main production\n");
    expect(c.sftpMock.read("~/releases/20250101_000000_000/bin/app")).toContain("check-config)");
  });

  it("deploy: staging (the default) ships develop, an explicit --branch wins", async () => {
    const c = new MockConnection("web1", { otherwise: true });
    await deploy.invoke(c, { release: "r1" });
    await deploy.invoke(c, { release: "r2", branch: "hotfix" });
    expect(c.sftpMock.read("~/releases/r1/REVISION")).toBe("develop staging\n");
    expect(c.sftpMock.read("~/releases/r2/REVISION")).toBe("hotfix staging\n");
  });

  it("rollback: goes to the release just before the current one, not simply the second newest", async () => {
    const c = new MockConnection("web1", {
      run: { "readlink ~/app/current": "/home/user/releases/r2\n", "ls -1 ~/releases": "r1\nr2\nr3\n" },
      otherwise: true,
    });
    await rollback.invoke(c);
    expect(c.commands).toContain(
      'ln -sfn ~/releases/r1 ~/app/current.next && mv -T ~/app/current.next ~/app/current && echo "current -> r1"',
    );
  });

  it("rollback: fails the run when there is nothing older", async () => {
    const c = new MockConnection("web1", {
      run: { "readlink ~/app/current": "/home/user/releases/r1\n", "ls -1 ~/releases": "r1\nr2\n" },
    });
    await expect(rollback.invoke(c)).rejects.toThrow("no release older than r1 to roll back to");
  });

  it("fetchLogs: one local folder per host", async () => {
    const web1 = new MockConnection("web1", { files: { "~/app/log/app.log": "from web1\n" } });
    const web2 = new MockConnection("web2", { files: { "~/app/log/app.log": "from web2\n" } });
    expect(await fetchLogs.invoke(web1)).toBe("logs/web1/app.log");
    await fetchLogs.invoke(web2);
    expect(web2.sftpMock.downloaded("logs/web2/app.log")).toBe("from web2\n");
  });

  it("restart: chunk by chunk, each chunk at once", async () => {
    using remote = startMockRemote({ otherHosts: { otherwise: true } });
    await restart.invoke(new Context(remote.config), { targets: "web1,web2,web3", chunkSize: 2 });
    const order = remote.calls.map((call) => call.host);
    expect(order.slice(0, 2).sort()).toEqual(["web1", "web2"]);
    expect(order[2]).toBe("web3");
    remote.expectCommands({
      web1: ["~/app/current/bin/app restart"],
      web2: [/restart$/],
      web3: [/restart$/],
    });
  });

  it("restart: a failed chunk stops the rollout", async () => {
    using failing = startMockRemote({
      hosts: { a: { otherwise: true }, b: { run: false }, c: { otherwise: true } },
    });
    await expect(
      restart.invoke(new Context(failing.config), { targets: "a,b,c", chunkSize: 2 }),
    ).rejects.toBeInstanceOf(GroupException);
    expect(failing.host("c").calls).toEqual([]);
  });

  it("helpers: sortable release ids", () => {
    expect(releaseId(new Date("2025-01-31T15:45:02.123Z"))).toBe("20250131_154502_123");
  });
});

describe("the demo fabfile, against embedded SSH hosts", () => {
  it("keeps the last 5 releases, never the current one, and rolls back on disk", async () => {
    await using hosts = await startEmbeddedHosts({ hosts: ["web1"] });
    const config = new FabricConfig({
      runtimeSshPath: hosts.sshConfigPath,
      overrides: { run: { hide: true } },
    });
    await using c = new Connection("web1", { config });
    for (const release of ["r1", "r2", "r3", "r4", "r5", "r6"]) await deploy.invoke(c, { release });
    const dir = hosts.host("web1").dir;
    expect((await readdir(join(dir, "releases"))).sort()).toEqual(["r2", "r3", "r4", "r5", "r6"]);
    expect(await readlink(join(dir, "app/current"))).toBe(join(dir, "releases/r6"));

    await rollback.invoke(c);
    expect(await readlink(join(dir, "app/current"))).toBe(join(dir, "releases/r5"));
    const log = await readFile(join(dir, "app/log/app.log"), "utf8");
    expect(log.trim().split("\n").at(-1)).toMatch(/ restart r5 develop staging$/);
    // what the commands really did on the host
    expect(hosts.host("web1").log.some((entry) => entry.command.startsWith("ln -sfn"))).toBe(true);
  });

  it("pushConfig: one uploadTemplate call renders, validates and swaps in; an unchanged config is not rewritten", async () => {
    await using hosts = await startEmbeddedHosts({ hosts: ["web2"] });
    const config = new FabricConfig({
      runtimeSshPath: hosts.sshConfigPath,
      overrides: { run: { hide: true }, deploy_env: "production" },
    });
    await using c = new Connection("web2", { config });
    await deploy.invoke(c, { release: "r1" });
    const dir = hosts.host("web2").dir;
    await pushConfig.invoke(c);
    const live = join(dir, "app/config/app.conf");
    expect(await readFile(live, "utf8")).toBe(
      "# app.conf for web2 (production), rendered by `fab push-config`\n" +
        "server_name = api.example.com\nworkers = 4\nlog_level = warn\n",
    );
    const commands = () => hosts.host("web2").log.map((entry) => entry.command);
    const checks = commands().filter((cmd) => cmd.includes("check-config"));
    expect(checks).toHaveLength(1);
    expect(commands().filter((cmd) => cmd.endsWith(" reload"))).toHaveLength(1);
    // Same content: no upload, no validation, no reload.
    await pushConfig.invoke(c);
    expect(commands().filter((cmd) => cmd.includes("check-config"))).toHaveLength(1);
    expect(commands().filter((cmd) => cmd.endsWith(" reload"))).toHaveLength(1);
    expect(await readdir(join(dir, "app/config"))).toEqual(["app.conf"]);
  });

  it("pushConfig: a config the app rejects never goes live and the validator's words are reported", async () => {
    await using hosts = await startEmbeddedHosts({ hosts: ["web1"] });
    const config = new FabricConfig({
      runtimeSshPath: hosts.sshConfigPath,
      overrides: { run: { hide: true } },
    });
    await using c = new Connection("web1", { config });
    await deploy.invoke(c, { release: "r1" });
    const dir = hosts.host("web1").dir;
    await pushConfig.invoke(c);
    const live = join(dir, "app/config/app.conf");
    const before = await readFile(live, "utf8");
    // A release whose check refuses every config.
    const script = join(dir, "releases/r1/bin/app");
    await writeFile(script, (await readFile(script, "utf8")).replace("grep -q '^workers", "grep -q '^nope"));
    c.config.set("deploy_env", "production");
    const error = await pushConfig.invoke(c).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).output).toMatch(
      /invalid config: .*\.app\.conf\.fabric-ts-[0-9a-f]+\.tmp/,
    );
    expect(await readFile(live, "utf8")).toContain("(staging)");
    expect(before).toContain("(staging)");
    expect(await readdir(join(dir, "app/config"))).toEqual(["app.conf"]);
  });
});
