// Fabric 1 `env` migration: configFromV1 / connectionFromV1 (Fabric's Config.from_v1 / Connection.from_v1).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromV1, connectionFromV1, InvalidV1Env } from "../../src/index.js";
import { describeWithSshd, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

const quiet = { lazy: true, env: {} } as const;

describe("configFromV1", () => {
  it("maps every Fabric 1 setting onto the overrides level", () => {
    const config = configFromV1(
      {
        always_use_pty: true,
        warn_only: true,
        gateway: "ssh -W %h:%p bastion",
        forward_agent: true,
        key_filename: ["/k/one", "/k/two"],
        no_agent: true,
        ssh_config_path: "/etc/custom_ssh_config",
        use_ssh_config: false,
        sudo_prompt: "pw: ",
        timeout: 12,
        password: "login-pw",
        sudo_password: "sudo-pw",
      },
      quiet,
    );
    expect(config.get("run.pty")).toBe(true);
    expect(config.get("run.warn")).toBe(true);
    expect(config.get("gateway")).toBe("ssh -W %h:%p bastion");
    expect(config.get("forwardAgent")).toBe(true);
    expect(config.get("connectKwargs.keyFilename")).toEqual(["/k/one", "/k/two"]);
    expect(config.get("connectKwargs.allowAgent")).toBe(false);
    expect(config.get("sshConfigPath")).toBe("/etc/custom_ssh_config");
    expect(config.get("loadSshConfigs")).toBe(false);
    expect(config.get("sudo.prompt")).toBe("pw: ");
    expect(config.get("timeouts.connect")).toBe(12);
    expect(config.get("connectKwargs.password")).toBe("login-pw");
    expect(config.get("sudo.password")).toBe("sudo-pw");
  });

  it("uses the login password for sudo when no sudo_password is set; skips None values", () => {
    const config = configFromV1(
      { password: "both", key_filename: null, timeout: null, gateway: null },
      quiet,
    );
    expect(config.get("sudo.password")).toBe("both");
    expect(config.get("connectKwargs.keyFilename", "unset")).toBe("unset");
    expect(config.get("timeouts.connect")).toBeNull();
    expect(config.get("gateway")).toBeNull();
  });

  it("lets explicit overrides win over the env", () => {
    const config = configFromV1({ warn_only: true }, { ...quiet, overrides: { run: { warn: false } } });
    expect(config.get("run.warn")).toBe(false);
  });
});

describe("connectionFromV1", () => {
  it("refuses an env without host_string, with Fabric's message", () => {
    expect(() => connectionFromV1({ host_string: "" })).toThrow(InvalidV1Env);
    expect(() => connectionFromV1({})).toThrow(/Supplied v1 env has an empty `host_string` value!/);
  });

  it("takes user, port (a string in Fabric 1) and key_filename from the env", () => {
    const c = connectionFromV1(
      { host_string: "web1", user: "deploy", port: "2200", key_filename: "/keys/deploy" },
      { config: configFromV1({}, quiet) },
    );
    expect([c.host, c.user, c.port]).toEqual(["web1", "deploy", 2200]);
    expect(c.connectKwargs.keyFilename).toBe("/keys/deploy");
    expect(c.identityFiles[0]).toBe("/keys/deploy");
  });

  it("a user or port in host_string wins over env.user/env.port (Fabric raised for the user)", () => {
    const c = connectionFromV1(
      { host_string: "admin@web2:2222", user: "local-me", port: "22" },
      { config: configFromV1({}, quiet) },
    );
    expect([c.host, c.user, c.port]).toEqual(["web2", "admin", 2222]);
  });
});

describeWithSshd("connectionFromV1 against real sshd", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(() => sshd?.stop());

  it("connects with a Fabric 1 env (ssh_config_path, no_agent, warn_only)", async () => {
    const env = {
      host_string: "host1",
      ssh_config_path: sshd.sshConfigPath,
      no_agent: true,
      warn_only: true,
    };
    await using c = connectionFromV1(env, { config: configFromV1(env, quiet) });
    expect(c.host).toBe(sshd.host("host1").address);
    const result = await c.run("whoami; exit 3", { hide: true });
    expect(result.stdout.trim()).toBe(sshd.user);
    expect(result.exited).toBe(3); // warn_only: a non-zero exit does not throw
  });
});
