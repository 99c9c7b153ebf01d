/**
 * A group made from host strings reads config files and the environment once, then gives every
 * Connection its own copy: the same values as separately built Connections, and independent configs.
 * Also: ssh_config SendEnv matching is memoised per name, yet follows the environment of each call.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { FabricConfig } from "../../src/config/fabric-config.js";
import { Connection } from "../../src/connection/connection.js";
import { sshConfigEnvironment } from "../../src/connection/ssh-env.js";
import { ThreadingGroup } from "../../src/group/threading-group.js";

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("group member configs", () => {
  it("gives each Connection its own config with the values a lone Connection would get", () => {
    vi.stubEnv("FABRIC_PORT", "2299");
    vi.stubEnv("FABRIC_RUN_ECHO", "1");
    const group = new ThreadingGroup("127.0.0.1", "127.0.0.2", "127.0.0.3", { user: "deploy" });
    const [a, b, c] = group.connections;
    const lone = new Connection("127.0.0.1", { user: "deploy" });
    for (const member of [a, b, c]) {
      expect(member!.config).toBeInstanceOf(FabricConfig);
      expect(member!.config.data.run.echo).toBe(true);
      expect(member!.config.toJSON()).toEqual(lone.config.toJSON());
      expect(member!.user).toBe("deploy");
    }
    expect(new Set([a!.config, b!.config, c!.config]).size).toBe(3);

    a!.config.set("run.warn", true);
    expect(a!.config.data.run.warn).toBe(true);
    expect(b!.config.data.run.warn).toBe(false);
    expect(c!.config.data.run.warn).toBe(false);
  });

  it("keeps sharing a config that was passed in, as before", () => {
    const config = new FabricConfig({ lazy: true });
    const group = new ThreadingGroup("127.0.0.1", "127.0.0.2", { config });
    expect(group.connections.map((member) => member.config)).toEqual([config, config]);
  });
});

describe("sshConfigEnvironment", () => {
  const sshConfig = { sendEnv: ["LANG", "LC_*"], setEnv: ["APP=1"] };

  it("follows the local environment of each call while remembering which names match", () => {
    expect(sshConfigEnvironment(sshConfig, { LANG: "C", LC_ALL: "C", HOME: "/root" })).toEqual({
      LANG: "C",
      LC_ALL: "C",
      APP: "1",
    });
    expect(sshConfigEnvironment(sshConfig, { LANG: "fr_FR.UTF-8", LC_TIME: "de_DE", SECRET: "x" })).toEqual({
      LANG: "fr_FR.UTF-8",
      LC_TIME: "de_DE",
      APP: "1",
    });
    expect(sshConfigEnvironment({ sendEnv: ["SECRET"], setEnv: [] }, { LANG: "C", SECRET: "x" })).toEqual({
      SECRET: "x",
    });
  });
});
