// Connection parameters without any network: shorthand, ssh_config precedence, gateways, repr.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { Config } from "@fabric-ts/invoke";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FabricConfig } from "../../src/config/fabric-config.js";
import { Connection } from "../../src/connection/connection.js";
import { deriveShorthand } from "../../src/connection/shorthand.js";
import { ConnectionSpecError } from "../../src/errors/index.js";

// ssh_config key paths are opened expanded, like ssh does (the passwd home, not $HOME).
const home = userInfo().homedir;

let dir: string;
let sshConfigPath: string;

const SSH_CONFIG = `
Host alias
  Hostname real.example.com
  User sshuser
  Port 2200
  ForwardAgent yes
  ConnectTimeout 7
  IdentityFile ~/.ssh/alias.key
  ProxyJump jumpuser@jump1:2201,jump2

Host both
  ProxyCommand ssh -W %h:%p bastion
  ProxyJump jumped

Host pc
  Hostname pc.example.com
  ProxyCommand ssh -W %h:%p -l %r bastion

Host *.tld
  ProxyJump bastion.tld

Host pjnone
  ProxyJump none

Host pjnone*
  ProxyCommand nc %h %p

Host *
  IdentityFile ~/.ssh/star.key
`;

/** A config reading only our ssh_config (no files, no env), with a fixed local user. */
function config(): FabricConfig {
  const c = new FabricConfig({ lazy: true, runtimeSshPath: sshConfigPath, env: {} });
  c.set("user", "localme");
  return c;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "fabric-spec-"));
  sshConfigPath = join(dir, "ssh_config");
  await writeFile(sshConfigPath, SSH_CONFIG);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("host shorthand (fabric-api §B2.1)", () => {
  it.each([
    ["host", { user: undefined, host: "host", port: undefined }],
    ["user@host", { user: "user", host: "host", port: undefined }],
    ["host:22", { user: undefined, host: "host", port: 22 }],
    ["user@host:2222", { user: "user", host: "host", port: 2222 }],
    ["u@s@host:22", { user: "u@s", host: "host", port: 22 }],
    ["@host", { user: undefined, host: "host", port: undefined }],
    ["host:", { user: undefined, host: "host", port: undefined }],
    ["user@::1", { user: "user", host: "::1", port: undefined }],
    ["fe80::1:22", { user: undefined, host: "fe80::1:22", port: undefined }],
    ["[::1]:22", { user: undefined, host: "[::1]:22", port: undefined }],
  ])("%s", (text, expected) => {
    expect(deriveShorthand(text)).toEqual(expected);
  });

  it("rejects a non-numeric port", () => {
    expect(() => deriveShorthand("host:ssh")).toThrow(ConnectionSpecError);
  });

  it("refuses a user or port given both ways", () => {
    expect(() => new Connection("u@host", { user: "x", config: config() })).toThrow(
      "You supplied the user via both shorthand and kwarg! Please pick one.",
    );
    expect(() => new Connection("host:22", { port: 2222, config: config() })).toThrow(
      "You supplied the port via both shorthand and kwarg! Please pick one.",
    );
  });

  it("applies shorthand, IPv6 hosts included", () => {
    const c = new Connection("deploy@::1", { config: config(), port: 2200 });
    expect([c.user, c.host, c.port]).toEqual(["deploy", "::1", 2200]);
  });
});

describe("ssh_config and config precedence (fabric-api §B2, §C3 32–35)", () => {
  it("takes Hostname/User/Port/ForwardAgent/ConnectTimeout/IdentityFile from ssh_config", () => {
    const c = new Connection("alias", { config: config() });
    expect(c.host).toBe("real.example.com");
    expect(c.originalHost).toBe("alias");
    expect(c.user).toBe("sshuser");
    expect(c.port).toBe(2200);
    expect(c.forwardAgent).toBe(true);
    expect(c.connectTimeout).toBe(7);
    expect(c.identityFiles).toEqual([`${home}/.ssh/alias.key`, `${home}/.ssh/star.key`]);
  });

  it("lets constructor options beat ssh_config", () => {
    const c = new Connection("alias", {
      config: config(),
      user: "kw",
      port: 2300,
      forwardAgent: false,
      connectTimeout: 3,
      gateway: false,
    });
    expect([c.user, c.port, c.forwardAgent, c.connectTimeout, c.gateway]).toEqual([
      "kw",
      2300,
      false,
      3,
      null,
    ]);
  });

  it("falls back to the config's user, port, forwardAgent and timeouts.connect", () => {
    const cfg = config();
    cfg.set("port", 2022);
    cfg.set("forwardAgent", true);
    cfg.set("timeouts.connect", 9);
    const c = new Connection("plain.example.com", { config: cfg });
    expect([c.user, c.port, c.forwardAgent, c.connectTimeout]).toEqual(["localme", 2022, true, 9]);
    expect(c.host).toBe("plain.example.com");
    expect(c.originalHost).toBe("plain.example.com");
  });

  it("orders key files: config identities, config connectKwargs, kwarg, then ssh_config", () => {
    const cfg = config();
    cfg.set("authentication.identities", ["/keys/cli"]);
    cfg.set("connectKwargs.keyFilename", ["/keys/config"]);
    const c = new Connection("alias", { config: cfg, connectKwargs: { keyFilename: "/keys/kwarg" } });
    expect(c.identityFiles).toEqual([
      "/keys/cli",
      "/keys/config",
      "/keys/kwarg",
      `${home}/.ssh/alias.key`,
      `${home}/.ssh/star.key`,
    ]);
    // The merge never writes into the config (fabric-api quirk 16).
    expect(cfg.get("connectKwargs.keyFilename")).toEqual(["/keys/config"]);
  });

  it("builds the ProxyJump chain in OpenSSH order: the last hop is the target's gateway", () => {
    const c = new Connection("alias", { config: config() });
    const last = c.gateway as Connection;
    expect(last).toBeInstanceOf(Connection);
    expect(last.host).toBe("jump2");
    const first = last.gateway as Connection;
    expect([first.host, first.user, first.port]).toEqual(["jump1", "jumpuser", 2201]);
    // jump1 matches no ProxyJump block of its own.
    expect(first.gateway).toBeNull();
    // Hops get the ssh_config of their own name (Host * IdentityFile) and a clone of the config.
    expect(first.identityFiles).toEqual([`${home}/.ssh/star.key`]);
    expect(first.config).not.toBe(c.config);
  });

  it("shares hop Connections between targets using the same config", () => {
    const cfg = config();
    const a = new Connection("alias", { config: cfg });
    const b = new Connection("alias", { config: cfg, user: "other" });
    expect(a.gateway).toBe(b.gateway);
  });

  it("uses whichever of ProxyJump/ProxyCommand ssh_config set first, as OpenSSH", () => {
    const c = new Connection("both", { config: config() });
    expect(c.gateway).toBe("ssh -W %h:%p bastion");
  });

  it("`ProxyJump none` keeps a ProxyCommand from a later block, as OpenSSH (no direct dial)", () => {
    expect(new Connection("pjnone", { config: config() }).gateway).toBe("nc %h %p");
  });

  it("connects a wildcard's own bastion directly instead of looping", () => {
    const c = new Connection("app.tld", { config: config() });
    const bastion = c.gateway as Connection;
    expect(bastion.host).toBe("bastion.tld");
    expect(bastion.gateway).toBeNull();
  });

  it("takes a gateway given in code over ssh_config, and `false` disables it", () => {
    const viaString = new Connection("alias", { config: config(), gateway: "nc %h %p" });
    expect(viaString.gateway).toBe("nc %h %p");
    expect(new Connection("alias", { config: config(), gateway: false }).gateway).toBeNull();
    const cfg = config();
    cfg.set("gateway", "nc -q0 %h %p");
    expect(new Connection("plain", { config: cfg }).gateway).toBe("nc -q0 %h %p");
  });

  it("upgrades a plain Invoke Config, keeping its values", () => {
    const invoke = new Config({ lazy: true, env: {} });
    invoke.set("run.echo", true);
    invoke.set("deployEnv", "prod");
    const c = new Connection("example.com", { config: invoke });
    expect(c.config).toBeInstanceOf(FabricConfig);
    expect(c.config.run.echo).toBe(true);
    expect(c.config.get("deployEnv")).toBe("prod");
    expect(c.config.data.port).toBe(22);
    expect(c.config.data.inlineSshEnv).toBe(true);
  });
});

describe("representation and validation", () => {
  it("shows host, and user/port/gateway only when they differ from the config", () => {
    expect(String(new Connection("plain", { config: config() }))).toBe("<Connection host=plain>");
    const c = new Connection("alias", { config: config() });
    expect(String(c)).toBe("<Connection host=real.example.com user=sshuser port=2200 gw=proxyjump>");
    expect(inspect(c)).toBe(String(c));
    expect(String(new Connection("pc", { config: config() }))).toContain("gw=proxycommand");
  });

  it("never shows secrets", () => {
    const c = new Connection("plain", {
      config: config(),
      connectKwargs: { password: "hunter2", passphrase: "open-sesame" },
    });
    expect(inspect(c)).not.toContain("hunter2");
    expect(inspect(c, { depth: 5 })).not.toContain("open-sesame");
    expect(JSON.stringify(c.config)).not.toContain("hunter2");
  });

  it.each(["host", "hostname", "port", "username"])("open() refuses connectKwargs.%s", async (key) => {
    const c = new Connection("plain", { config: config(), connectKwargs: { [key]: "x" } });
    await expect(c.open()).rejects.toThrow(
      `Refusing to be ambiguous: connect() kwarg '${key}' was given both via regular arg and via connect_kwargs!`,
    );
  });

  it("shell() rejects run options it does not take", async () => {
    const c = new Connection("plain", { config: config() });
    await expect(c.shell({ echo: true } as never)).rejects.toThrow(
      "shell() got unexpected keyword arguments: ['echo']",
    );
  });

  it("equality is host, user and port", () => {
    const a = new Connection("u@h:1", { config: config() });
    expect(a.equals(new Connection("u@h:1", { config: config() }))).toBe(true);
    expect(a.equals(new Connection("u@h:2", { config: config() }))).toBe(false);
  });
});
