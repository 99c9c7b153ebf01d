import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Config } from "../../src/config/config.js";
import { invokeDefaults } from "../../src/config/defaults.js";
import { envVarName } from "../../src/config/env.js";
import { AmbiguousEnvVar, ConfigError, UncastableEnvVar } from "../../src/errors.js";
import { isolated, tempDir, writeFiles } from "../support/config-helpers.js";

/** A config whose defaults are Invoke's plus `extra`, reading only `env`. */
function withEnv(env: NodeJS.ProcessEnv, extra: Record<string, unknown> = {}): Config {
  return new Config(isolated({ defaults: { ...invokeDefaults(), ...extra }, env }));
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("environment variables (§A8.4, §C3 18)", () => {
  it.each([
    ["1", true],
    ["yes", true],
    ["anything", true],
    ["0", false],
    ["", false],
    ["false", false],
    ["FALSE", false],
    ["no", false],
    ["off", false],
  ])("INVOKE_RUN_ECHO=%j casts to %s", (text, expected) => {
    expect(withEnv({ INVOKE_RUN_ECHO: text }).run.echo).toBe(expected);
  });

  it("casts by the existing value's type: numbers", () => {
    const config = withEnv({ INVOKE_NUM: "5", INVOKE_FLT: "2.5" }, { num: 1, flt: 0.5 });
    expect(config.get("num")).toBe(5);
    expect(config.get("flt")).toBe(2.5);
  });

  it("rejects text that is not a number for a numeric key", () => {
    const error = errorOf(() => withEnv({ INVOKE_NUM: "five" }, { num: 1 }));
    expect(error).toBeInstanceOf(UncastableEnvVar);
    expect(error).toMatchObject({ code: "UNCASTABLE_ENV_VAR", envVar: "INVOKE_NUM", keyPath: "num" });
    expect(String(error)).toContain("Can't adapt an environment string into a number!");
  });

  it("keeps strings as strings and gives user keys that are null the raw text", () => {
    const config = withEnv({ INVOKE_RUN_SHELL: "/bin/zsh", INVOKE_OPT: "7" }, { opt: null });
    expect(config.run.shell).toBe("/bin/zsh");
    expect(config.get("opt")).toBe("7");
  });

  it("types null known keys by their schema (Invoke would give timeouts.command the string)", () => {
    const config = withEnv({
      INVOKE_TIMEOUTS_COMMAND: "30",
      INVOKE_RUN_HIDE: "both",
      INVOKE_RUN_ECHO_STDIN: "0",
      INVOKE_SUDO_PASSWORD: "1234",
    });
    expect(config.timeouts.command).toBe(30);
    expect(config.run.hide).toBe("both");
    expect(config.run.echoStdin).toBe(false);
    expect(config.sudo.password).toBe("1234");
  });

  it("reports an env value the schema rejects, naming the variable and key path", () => {
    const error = errorOf(() => withEnv({ INVOKE_TIMEOUTS_COMMAND: "soon" }));
    expect(error).toBeInstanceOf(ConfigError);
    expect(String((error as Error).message)).toBe(
      'environment variable INVOKE_TIMEOUTS_COMMAND: timeouts.command: expected number or null, got string "soon"',
    );
  });

  it("cannot set lists", () => {
    const error = errorOf(() => withEnv({ INVOKE_RUN_WATCHERS: "x" }));
    expect(error).toBeInstanceOf(UncastableEnvVar);
    expect((error as Error).message).toMatch(/^Can't adapt an environment string into a list!/);
  });

  it("reports two key paths with the same variable name, only when that variable is set", () => {
    const extra = { foo: { bar: 1 }, foo_bar: 2 };
    expect(withEnv({}, extra).get("foo_bar")).toBe(2);
    const error = errorOf(() => withEnv({ INVOKE_FOO_BAR: "3" }, extra));
    expect(error).toBeInstanceOf(AmbiguousEnvVar);
    expect((error as Error).message).toBe("Found >1 source for FOO_BAR");
    expect((error as AmbiguousEnvVar).keyPaths).toEqual(["foo.bar", "foo_bar"]);
  });

  it("ignores variables for keys that do not exist", () => {
    const config = withEnv({ INVOKE_NOPE: "1", INVOKE_RUN_NOPE: "1" });
    expect(config.has("nope")).toBe(false);
    expect(config.has("run.nope")).toBe(false);
  });

  it("derives names from the snake_case form of camelCase keys", () => {
    expect(envVarName(["run", "replaceEnv"])).toBe("RUN_REPLACE_ENV");
    const config = withEnv(
      { INVOKE_RUN_REPLACE_ENV: "1", INVOKE_TASKS_COLLECTION_NAME: "ops", INVOKE_NESTED_DEEP_KEY_LEAF: "b" },
      { nested: { deep_key: { leaf: "a" } } },
    );
    expect(config.run.replaceEnv).toBe(true);
    expect(config.tasks.collectionName).toBe("ops");
    expect(config.get("nested.deep_key.leaf")).toBe("b");
  });

  it("reaches keys declared by levels loaded after the environment (collection, project file)", () => {
    const root = tempDir();
    writeFiles(root, { "p/invoke.yaml": "deploy:\n  region: eu\n" });
    const config = new Config(
      isolated({ env: { INVOKE_DEPLOY_REGION: "us", INVOKE_APP_NAME: "shop" } }, root),
    );
    config.setProjectLocation(join(root, "p"));
    config.loadProject();
    expect(config.get("deploy.region")).toBe("us");
    config.loadCollection({ app: { name: "blog" } });
    expect(config.get("app.name")).toBe("shop");
  });

  it("loses to the runtime file and everything above it", () => {
    const root = tempDir();
    writeFiles(root, { "rt.json": '{"run": {"echo": false}}' });
    const config = new Config(
      isolated({ runtimePath: join(root, "rt.json"), env: { INVOKE_RUN_ECHO: "1" } }, root),
    );
    expect(config.run.echo).toBe(false);
  });

  it("uses the class's prefix (FABRIC_ for a subclass with prefix 'fabric')", () => {
    class FabricLike extends Config {
      static override prefix = "fabric";
    }
    const config = new FabricLike(isolated({ env: { FABRIC_RUN_WARN: "1", INVOKE_RUN_ECHO: "1" } }));
    expect(config.run.warn).toBe(true);
    expect(config.run.echo).toBe(false);
  });

  describe("when env vars are read (quirk 12 fixed)", () => {
    afterEach(() => {
      vi.unstubAllEnvs();
    });

    it("a non-lazy Config reads process.env by default; a lazy one only on loadShellEnv()", () => {
      vi.stubEnv("INVOKE_RUN_WARN", "1");
      const { env: _ignored, ...options } = isolated();
      expect(new Config(options).run.warn).toBe(true);
      const lazy = new Config({ ...options, lazy: true });
      expect(lazy.run.warn).toBe(false);
      lazy.loadShellEnv();
      expect(lazy.run.warn).toBe(true);
    });

    it("loadShellEnv(env) replaces the snapshot", () => {
      const config = withEnv({ INVOKE_RUN_WARN: "1" });
      config.loadShellEnv({});
      expect(config.run.warn).toBe(false);
    });
  });

  it("never shows a secret's text in a cast error", () => {
    const error = errorOf(() => withEnv({ INVOKE_DB_PASSWORD: "hunter2" }, { db: { password: 0 } }));
    expect(error).toBeInstanceOf(UncastableEnvVar);
    expect((error as Error).message).not.toContain("hunter2");
  });
});
