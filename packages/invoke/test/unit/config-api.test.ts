import { PassThrough } from "node:stream";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Config } from "../../src/config/config.js";
import { copyDict, mergeCollectionConfig, mergeDicts } from "../../src/config/merge.js";
import type { Z } from "../../src/config/schema.js";
import { ConfigError } from "../../src/errors.js";
import { isolated, isolatedConfig } from "../support/config-helpers.js";

describe("get / has / set", () => {
  it("reads dotted paths, with a fallback only for missing keys", () => {
    const config = isolatedConfig();
    expect(config.get("run.shell")).toBe("/bin/bash");
    expect(config.get("sudo.password", "fallback")).toBeNull();
    expect(config.get("run.nope", "fallback")).toBe("fallback");
    expect(config.get("run.shell.deeper", 1)).toBe(1);
    expect(config.get("nope")).toBeUndefined();
    expect(config.has("sudo.password")).toBe(true);
    expect(config.has("sudo.nope")).toBe(false);
  });

  it("a fallback types the result by its general type, not its literal one (checked by pnpm typecheck)", () => {
    const config = isolatedConfig();
    config.set("deploy_env", "production");
    const env = config.get("deploy_env", "staging");
    // Typed as the literal "staging", this comparison would not compile (TS2367).
    const production: boolean = env === "production";
    expect(production).toBe(true);
    const workers: number = config.get("workers", 4);
    const verbose: boolean = config.get("verbose", false);
    expect([workers, verbose]).toEqual([4, false]);
  });

  it("rejects malformed paths", () => {
    expect(() => isolatedConfig().get("run..echo")).toThrow(/Invalid config key path/);
    expect(() => isolatedConfig().set("", 1)).toThrow(/Invalid config key path/);
  });

  it("set writes the stored spelling of known keys", () => {
    const config = isolatedConfig();
    config.set("run.replace_env", true);
    expect(config.run.replaceEnv).toBe(true);
    expect(config.run).not.toHaveProperty("replace_env");
  });

  it("update deep-merges into the modifications level", () => {
    const config = isolatedConfig();
    config.update({ run: { echo: true, env: { A: "1" } } });
    config.update({ run: { env: { B: "2" } } });
    expect(config.run.echo).toBe(true);
    expect(config.run.env).toEqual({ A: "1", B: "2" });
    expect(config.run.shell).toBe("/bin/bash");
  });

  it("leaves the config unchanged when a change cannot merge", () => {
    const config = isolatedConfig();
    expect(() => config.set("run", "fast")).toThrow(/Can't cleanly merge a mapping with a string at 'run'/);
    expect(config.run.shell).toBe("/bin/bash");
    expect(config.get("run")).toBeTypeOf("object");
  });

  it("hands out a frozen snapshot, so stray mutation fails loudly instead of being lost", () => {
    const config = isolatedConfig();
    expect(() => {
      (config.run as { echo: boolean }).echo = true;
    }).toThrow(TypeError);
    expect(() => config.run.watchers.push({ submit: () => [] })).toThrow(TypeError);
  });
});

describe("attribute access (config.values)", () => {
  it("reads, writes and deletes through the levels", () => {
    const config = isolatedConfig();
    config.setOverride("deploy_env", "production");
    const values = config.values;
    expect(values.run.echo).toBe(false);
    expect(values.deployEnv).toBe("production");
    expect(values.deploy_env).toBe("production");
    values.run.echo = true;
    expect(config.run.echo).toBe(true);
    expect(config.sourceOf("run.echo")?.level).toBe("modifications");
    values.app = { name: "shop" };
    expect(config.get("app.name")).toBe("shop");
    Reflect.deleteProperty(values.run, "echo");
    expect(config.has("run.echo")).toBe(false);
    expect("sudo" in values).toBe(true);
    expect(Object.keys(values.sudo)).toEqual(["password", "prompt", "user", "shell"]);
  });
});

describe("clone()", () => {
  it("is an independent copy of the same class, deletions included (quirk 10 fixed)", () => {
    class Sub extends Config {}
    const original = new Sub(isolated({ env: { INVOKE_RUN_WARN: "1" } }));
    original.set("app.hosts", ["a"]);
    original.delete("run.echo");
    const copy = original.clone();
    expect(copy).toBeInstanceOf(Sub);
    expect(copy.has("run.echo")).toBe(false);
    expect(copy.run.warn).toBe(true);
    expect(copy.get("app.hosts")).toEqual(["a"]);
    copy.set("app.hosts", ["b"]);
    copy.set("run.echo", true);
    expect(original.get("app.hosts")).toEqual(["a"]);
    expect(original.has("run.echo")).toBe(false);
    original.set("sudo.user", "root");
    expect(copy.sudo.user).toBeNull();
  });

  it("keeps streams and functions by reference", () => {
    const stream = new PassThrough();
    const config = isolatedConfig();
    config.set("run.outStream", stream);
    const hook = () => "hi";
    config.set("app.hook", hook);
    const copy = config.clone();
    expect(copy.run.outStream).toBe(stream);
    expect(copy.get("app.hook")).toBe(hook);
  });

  it("keeps re-reading env vars for later levels, like the original", () => {
    const copy = isolatedConfig({ env: { INVOKE_APP_NAME: "shop" } }).clone();
    copy.loadCollection({ app: { name: "blog" } });
    expect(copy.get("app.name")).toBe("shop");
  });
});

describe("--set", () => {
  it.each([
    ["true", true],
    ["false", false],
    ["null", null],
    ["42", 42],
    ["-1.5", -1.5],
    ["1e3", 1000],
    ["007", "007"],
    ["1.2.3", "1.2.3"],
    ['["a", "b"]', ["a", "b"]],
    ['{"a": 1}', { a: 1 }],
    ['"123"', "123"],
    ["[oops", "[oops"],
    ["production", "production"],
    ["", ""],
    ["a=b", "a=b"],
  ])("parseSetValue(%j) → %j", (text, expected) => {
    expect(Config.parseSetValue(text)).toEqual(expected);
  });

  it("splits the argument at the first '='", () => {
    expect(Config.parseSetArgument('run.env={"A":"1"}')).toEqual({ path: "run.env", value: { A: "1" } });
    expect(Config.parseSetArgument("url=http://x?a=b")).toEqual({ path: "url", value: "http://x?a=b" });
    expect(() => Config.parseSetArgument("novalue")).toThrow(
      /--set: expected key\.path=value, got "novalue"/,
    );
    expect(() => Config.parseSetArgument("=x")).toThrow(ConfigError);
  });

  it("`--set deploy_env=production` reaches c.config.get('deploy_env', 'staging') (seed case)", () => {
    const config = isolatedConfig();
    expect(config.get("deploy_env", "staging")).toBe("staging");
    config.setOverrideFromArgument("deploy_env=production");
    expect(config.get("deploy_env", "staging")).toBe("production");
  });

  it("validates known keys with '--set' as the source and normalises snake_case", () => {
    const config = isolatedConfig();
    expect(() => config.setOverrideFromArgument("run.echo=yes")).toThrow(
      '--set: run.echo: expected boolean, got string "yes"',
    );
    expect(() => config.setOverride("run.ecko", true)).toThrow(
      /run\.ecko: unknown key; did you mean 'echo'\?/,
    );
    config.setOverrideFromArgument("run.replace_env=true");
    config.setOverrideFromArgument("timeouts.command=30");
    expect(config.run.replaceEnv).toBe(true);
    expect(config.timeouts.command).toBe(30);
  });

  it("normalises nested known keys of subclass sections", () => {
    class FabricLike extends Config {
      static override globalDefaults() {
        return { ...Config.globalDefaults(), connectKwargs: {} };
      }
      static override schemaSections(z: Z) {
        return {
          ...Config.schemaSections(z),
          connectKwargs: z.looseObject({ keyFilename: z.array(z.string()) }).partial(),
        };
      }
    }
    const config = new FabricLike(isolated());
    config.setOverrideFromArgument('connect_kwargs.key_filename=["~/.ssh/a"]');
    expect(config.get("connectKwargs")).toEqual({ keyFilename: ["~/.ssh/a"] });
    expect(() => config.setOverrideFromArgument("connect_kwargs.key_filename=x")).toThrow(
      /connectKwargs\.keyFilename: expected a list, got string "x"/,
    );
  });

  it("survives a later loadOverrides (CLI flags)", () => {
    const config = isolatedConfig();
    config.setOverrideFromArgument("run.pty=true");
    config.loadOverrides({ run: { echo: true } });
    expect(config.run).toMatchObject({ pty: true, echo: true });
  });
});

describe("merging", () => {
  it("mergeCollectionConfig is deep with the parent winning (quirk 6 fixed; §A10 example)", () => {
    const inner = { sphinx: { target: "in", other: 1 }, only_inner: 1 };
    const outer = { sphinx: { target: "out" } };
    expect(mergeCollectionConfig(outer, inner)).toEqual({
      sphinx: { target: "out", other: 1 },
      only_inner: 1,
    });
    expect(inner.sphinx.target).toBe("in");
    expect(outer).toEqual({ sphinx: { target: "out" } });
  });

  it("mergeDicts recurses, replaces arrays and refuses mapping/non-mapping clashes", () => {
    const base = { a: { b: 1, list: [1, 2] }, keep: true };
    mergeDicts(base, { a: { c: 2, list: [3] } });
    expect(base).toEqual({ a: { b: 1, c: 2, list: [3] }, keep: true });
    expect(() => mergeDicts({ a: { b: 1 } }, { a: 5 })).toThrow(
      /Can't cleanly merge a mapping with a number at 'a'/,
    );
    expect(() => mergeDicts({ a: "x" }, { a: { b: 1 } })).toThrow(
      expect.objectContaining({ code: "AMBIGUOUS_MERGE", keyPath: "a" }),
    );
    expect(mergeDicts({ a: { b: 1 } }, { a: null })).toEqual({ a: null });
  });

  it("copyDict shares no plain objects with its input", () => {
    const source = { a: { b: [{ c: 1 }] } };
    const copy = copyDict(source);
    (copy.a as { b: { c: number }[] }).b[0]!.c = 2;
    expect(source.a.b[0]!.c).toBe(1);
  });

  it("names the level that clashes", () => {
    const config = isolatedConfig({ defaults: { ...Config.globalDefaults(), deploy: { hosts: [] } } });
    expect(() => config.loadCollection({ deploy: "web1" })).toThrow(
      /^collection: Can't cleanly merge a mapping/,
    );
  });
});

describe("display", () => {
  it("hides secrets from console output and JSON, but not from get()", () => {
    const config = isolatedConfig();
    config.set("sudo.password", "hunter2");
    config.set("db.apiToken", "t0ken");
    const shown = `${inspect(config, { depth: 5 })}\n${JSON.stringify(config)}`;
    expect(shown).not.toContain("hunter2");
    expect(shown).not.toContain("t0ken");
    expect(shown).toContain("<hidden>");
    expect(shown).toMatch(/^Config \{/);
    expect(config.sudo.password).toBe("hunter2");
  });
});

describe("checks that do not depend on the existing value's type", () => {
  it("validates numbers and empty strings even when they keep the existing type", () => {
    const config = isolatedConfig();
    config.setOverride("timeouts.command", 30);
    expect(() => config.setOverride("timeouts.command", -1)).toThrow(
      /expected number to be >0, got number -1/,
    );
    expect(() => config.setOverride("run.shell", "")).toThrow(
      /run\.shell: expected string to have >=1 characters/,
    );
    expect(() => config.setOverrideFromArgument('run.watchers=["x"]')).toThrow(
      /run\.watchers\.0: expected a watcher/,
    );
    expect(() => isolatedConfig({ env: { INVOKE_RUN_SHELL: "" } })).toThrow(/INVOKE_RUN_SHELL: run\.shell/);
    expect(config.timeouts.command).toBe(30);
  });
});
