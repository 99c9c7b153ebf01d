/** Bugs the config fuzzing found, each pinned by a focused test. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Config } from "../../../src/config/config.js";
import { MAX_CONFIG_DEPTH } from "../../../src/config/data-shape.js";
import { ConfigError, UncastableEnvVar } from "../../../src/errors.js";

const dir = mkdtempSync(join(tmpdir(), "config-regressions-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const isolated = { lazy: true, env: {}, systemPrefix: "/nonexistent/", userPrefix: "/nonexistent/." };

function loadFile(name: string, text: string): Config {
  const path = join(dir, name);
  writeFileSync(path, text);
  const config = new Config({ ...isolated, runtimePath: path });
  config.loadRuntime();
  return config;
}

function errorOf(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error("expected an error");
}

describe("prototype pollution through config keys", () => {
  it("--set __proto__.x is refused and Object.prototype stays clean", () => {
    for (const arg of [
      "__proto__.polluted=1",
      "a.__proto__.polluted=1",
      'foo={"__proto__":{"polluted":1}}',
    ]) {
      const error = errorOf(() => new Config(isolated).setOverrideFromArgument(arg));
      expect(error, arg).toBeInstanceOf(ConfigError);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });

  it("a __proto__ key in a JSON or YAML file is a ConfigError naming the key path", () => {
    for (const [name, text] of [
      ["a.json", '{"deploy": {"__proto__": {"polluted": 1}}}'],
      ["b.yaml", "__proto__:\n  polluted: 1\n"],
    ] as const) {
      const error = errorOf(() => loadFile(name, text));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ code: "INVALID_VALUE", keyPath: expect.stringContaining("__proto__") });
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("user namespaces named like Object.prototype members work", () => {
    const config = loadFile("c.yaml", "constructor:\n  x: 1\ntoString: {z: 2}\nhasOwnProperty: 3\n");
    expect(config.get("constructor.x")).toBe(1);
    expect(config.get("toString.z")).toBe(2);
    const fromSet = new Config(isolated);
    fromSet.setOverrideFromArgument("constructor.x=5");
    expect(fromSet.get("constructor.x")).toBe(5);
  });
});

describe("data the config tree cannot hold", () => {
  const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

  it(`nesting up to ${MAX_CONFIG_DEPTH} levels loads; deeper is a ConfigError, not a stack overflow`, () => {
    expect(loadFile("ok.json", nested(MAX_CONFIG_DEPTH)).get("a.a.a")).toBeTypeOf("object");
    for (const depth of [MAX_CONFIG_DEPTH + 2, 20_000]) {
      const error = errorOf(() => loadFile(`deep-${depth}.json`, nested(depth)));
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(`nested deeper than ${MAX_CONFIG_DEPTH} levels`);
    }
    const error = errorOf(() =>
      new Config(isolated).setOverrideFromArgument(`x=${"[".repeat(5000)}${"]".repeat(5000)}`),
    );
    expect(error).toBeInstanceOf(ConfigError);
  });

  it("a YAML anchor that contains its own alias is a ConfigError", () => {
    const error = errorOf(() => loadFile("loop.yaml", "a: &x\n  b: *x\n"));
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain("a.b: refers to itself");
  });

  it("billion laughs is stopped by the YAML parser's alias limit", () => {
    let text = "l0: &l0 [lol]\n";
    for (let i = 1; i <= 30; i++) text += `l${i}: &l${i} [*l${i - 1}, *l${i - 1}]\n`;
    expect(errorOf(() => loadFile("laughs.yaml", text))).toMatchObject({ code: "PARSE_ERROR" });
  });
});

describe("environment casting", () => {
  it("Infinity is not a number setting", () => {
    const config = new Config(isolated);
    config.loadCollection({ deploy: { port: 22 } });
    const error = errorOf(() => config.loadShellEnv({ INVOKE_DEPLOY_PORT: "Infinity" }));
    expect(error).toBeInstanceOf(UncastableEnvVar);
    expect(config.get("deploy.port")).toBe(22);
  });
});
