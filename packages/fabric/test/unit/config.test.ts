// FabricConfig: Fabric's defaults, fabric.* files, FABRIC_ env vars and the ssh_config files it names.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { homedir, tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { ConfigError } from "@fabric-ts/invoke";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FabricConfig } from "../../src/config/fabric-config.js";
import { Connection } from "../../src/connection/connection.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fabric-config-"));
  await mkdir(join(dir, "etc"));
  await mkdir(join(dir, "home"));
  await mkdir(join(dir, "project"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A config whose system/user/project files live under the temp dir. */
function isolated(env: NodeJS.ProcessEnv = {}, extra: ConstructorParameters<typeof FabricConfig>[0] = {}) {
  return new FabricConfig({
    systemPrefix: join(dir, "etc/"),
    userPrefix: `${join(dir, "home")}/.`,
    projectLocation: join(dir, "project"),
    env,
    ...extra,
  });
}

describe("FabricConfig defaults (fabric-api §B8)", () => {
  it("has Fabric's keys on top of Invoke's", () => {
    const config = new FabricConfig({ lazy: true, env: {} });
    const data = config.data;
    expect(data.port).toBe(22);
    expect(data.user).toBe(userInfo().username);
    expect(data.connectKwargs).toEqual({});
    expect(data.forwardAgent).toBe(false);
    expect(data.gateway).toBeNull();
    expect(data.inlineSshEnv).toBe(true);
    expect(data.loadSshConfigs).toBe(true);
    expect(data.sshConfigPath).toBeNull();
    expect(data.runtimeSshPath).toBeNull();
    expect(data.systemSshPath).toBe("/etc/ssh/ssh_config");
    expect(data.userSshPath).toBe("~/.ssh/config");
    expect(data.timeouts).toEqual({ command: null, connect: null });
    expect(data.authentication).toEqual({ identities: [] });
    expect(data.tasks.collectionName).toBe("fabfile");
    // Invoke's own defaults are unchanged (replaceEnv is decided by the Remote runner, not config).
    expect(data.run.replaceEnv).toBe(false);
    expect(data.sudo.prompt).toBe("[sudo] password: ");
    expect(FabricConfig.prefix).toBe("fabric");
  });
});

describe("files and environment", () => {
  it("reads fabric.* files (not invoke.*) and accepts Python Fabric's snake_case keys", async () => {
    await writeFile(
      join(dir, "etc", "fabric.yaml"),
      "port: 2201\nconnect_kwargs:\n  key_filename: /keys/system\n",
    );
    await writeFile(
      join(dir, "home", ".fabric.json"),
      JSON.stringify({ user: "deploy", forward_agent: true }),
    );
    await writeFile(join(dir, "home", ".invoke.yaml"), "port: 9999\n");
    await writeFile(join(dir, "project", "fabric.yml"), "timeouts:\n  connect: 4\ninline_ssh_env: false\n");
    const config = isolated();
    expect(config.data.port).toBe(2201);
    expect(config.data.connectKwargs.keyFilename).toBe("/keys/system");
    expect(config.data.user).toBe("deploy");
    expect(config.data.forwardAgent).toBe(true);
    expect(config.timeouts.connect).toBe(4);
    expect(config.data.inlineSshEnv).toBe(false);
  });

  it("reads FABRIC_ environment variables, cast to the key's type", () => {
    const config = isolated({
      FABRIC_PORT: "2222",
      FABRIC_FORWARD_AGENT: "0",
      FABRIC_RUN_ECHO: "1",
      INVOKE_RUN_WARN: "1",
    });
    expect(config.data.port).toBe(2222);
    expect(config.data.forwardAgent).toBe(false);
    expect(config.run.echo).toBe(true);
    expect(config.run.warn).toBe(false);
  });

  it("validates Fabric's keys, naming the file", async () => {
    const bad = join(dir, "bad");
    await mkdir(bad, { recursive: true });
    await writeFile(join(bad, "fabric.yaml"), "port: not-a-port\n");
    expect(
      () =>
        new FabricConfig({
          lazy: false,
          projectLocation: bad,
          env: {},
          systemPrefix: join(dir, "none/"),
          userPrefix: `${join(dir, "none")}/.`,
        }),
    ).toThrow(ConfigError);
    try {
      new FabricConfig({
        projectLocation: bad,
        env: {},
        systemPrefix: join(dir, "none/"),
        userPrefix: `${join(dir, "none")}/.`,
      });
    } catch (error) {
      expect(String(error)).toContain("fabric.yaml");
      expect(String(error)).toContain("port");
    }
  });

  it("upgrades an Invoke Config and clones keep Fabric's class and values", () => {
    const config = isolated();
    config.set("sudo.password", "s3cret");
    const copy = config.clone();
    expect(copy).toBeInstanceOf(FabricConfig);
    expect(copy.data.port).toBe(config.data.port);
    copy.set("port", 1);
    expect(config.data.port).not.toBe(1);
    expect(JSON.stringify(config)).not.toContain("s3cret");
  });
});

describe("ssh_config files", () => {
  it("reads the user and system files by default", () => {
    const config = new FabricConfig({ lazy: true, env: {} });
    expect(config.sshConfigFiles()).toEqual({
      userConfigFile: join(homedir(), ".ssh/config"),
      systemConfigFile: "/etc/ssh/ssh_config",
    });
  });

  it("reads none with loadSshConfigs false", () => {
    const config = new FabricConfig({ lazy: true, env: {} });
    config.set("loadSshConfigs", false);
    expect(config.sshConfigFiles()).toEqual({ configFile: "none" });
  });

  it("reads only the runtime (-S) file, which beats a configured sshConfigPath (quirk 18 fixed)", async () => {
    const runtime = join(dir, "runtime_ssh_config");
    const configured = join(dir, "configured_ssh_config");
    await writeFile(runtime, "Host rt\n  Port 2001\n");
    await writeFile(configured, "Host rt\n  Port 2002\n");
    const config = new FabricConfig({ lazy: true, env: {}, runtimeSshPath: runtime });
    config.set("sshConfigPath", configured);
    expect(config.sshConfigFiles()).toEqual({ configFile: runtime });
    expect(new Connection("rt", { config }).port).toBe(2001);
    const withoutRuntime = new FabricConfig({ lazy: true, env: {} });
    withoutRuntime.set("sshConfigPath", configured);
    expect(new Connection("rt", { config: withoutRuntime }).port).toBe(2002);
    withoutRuntime.setRuntimeSshPath(runtime);
    expect(new Connection("rt", { config: withoutRuntime }).port).toBe(2001);
  });

  it("takes user and system paths from the config", async () => {
    const user = join(dir, "user_ssh_config");
    const system = join(dir, "system_ssh_config");
    await writeFile(user, "Host both\n  User from-user\n");
    await writeFile(system, "Host both\n  User from-system\n  Port 2345\n");
    const config = new FabricConfig({ lazy: true, env: {}, userSshPath: user, systemSshPath: system });
    const c = new Connection("both", { config });
    // First value wins: the user file beats the system file; the system file still fills the rest.
    expect([c.user, c.port]).toEqual(["from-user", 2345]);
  });

  it("fails clearly when a named ssh_config file is missing", () => {
    const config = new FabricConfig({ lazy: true, env: {}, runtimeSshPath: join(dir, "nope") });
    expect(() => config.sshConfigFiles()).toThrow(/ssh_config file not found: .*nope/);
  });
});
