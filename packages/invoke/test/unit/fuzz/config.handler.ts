/**
 * Worker-side config case: a config file (YAML/JSON text), environment variables or `--set`
 * arguments go through Config; the outcome is "ok", a ConfigError (name and code), or a crash.
 * Every case also reports whether Object.prototype or Array.prototype gained properties.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Config } from "../../../src/config/config.js";
import { ConfigError } from "../../../src/errors.js";

export type ConfigCase =
  | { kind: "file"; suffix: "yaml" | "yml" | "json"; text: string }
  | { kind: "env"; env: Record<string, string> }
  | { kind: "set"; args: string[] };

export type ConfigOutcome = (
  | { kind: "ok"; values: Record<string, unknown> }
  | { kind: "typed"; name: string; code: string; message: string }
  | { kind: "crash"; name: string; message: string; stack: string }
) & { polluted: boolean };

const dir = mkdtempSync(join(tmpdir(), "fuzz-config-"));
process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

/** User keys of each simple type, so env vars have something of every type to cast into. */
const COLLECTION = { deploy: { port: 22, ratio: 0.5, name: "blue", fast: true, nothing: null, list: [1] } };

const ENV_KEYS = [
  "run.echo",
  "run.shell",
  "run.hide",
  "timeouts.command",
  "sudo.password",
  "tasks.dedupe",
  "deploy.port",
  "deploy.ratio",
  "deploy.name",
  "deploy.fast",
  "deploy.nothing",
];

function load(input: ConfigCase): Config {
  const base = { lazy: true, env: {}, systemPrefix: "/nonexistent/", userPrefix: "/nonexistent/." };
  switch (input.kind) {
    case "file": {
      const path = join(dir, `case-${counter++}.${input.suffix}`);
      writeFileSync(path, input.text, "latin1");
      try {
        const config = new Config({ ...base, runtimePath: path });
        config.loadRuntime();
        return config;
      } finally {
        rmSync(path, { force: true });
      }
    }
    case "env": {
      const config = new Config(base);
      config.loadCollection(COLLECTION);
      config.loadShellEnv(input.env);
      return config;
    }
    case "set": {
      const config = new Config(base);
      for (const arg of input.args) config.setOverrideFromArgument(arg);
      return config;
    }
  }
}

const prototypeKeys = () =>
  [Object.prototype, Array.prototype].map((proto) => Object.getOwnPropertyNames(proto).join()).join("|");
const BASELINE = prototypeKeys();

function polluted(): boolean {
  return prototypeKeys() !== BASELINE;
}

export function handle(input: ConfigCase): ConfigOutcome {
  try {
    const config = load(input);
    // The loaded config must be usable: serialisable and readable at the paths the cases aim at.
    JSON.stringify(config.data);
    const values = Object.fromEntries(ENV_KEYS.map((key) => [key, config.get(key)]));
    return { kind: "ok", values: JSON.parse(JSON.stringify(values)), polluted: polluted() };
  } catch (error) {
    if (error instanceof ConfigError) {
      return {
        kind: "typed",
        name: error.name,
        code: error.code,
        message: error.message,
        polluted: polluted(),
      };
    }
    const e = error as Error;
    return {
      kind: "crash",
      name: e?.name,
      message: String(e?.message),
      stack: String(e?.stack),
      polluted: polluted(),
    };
  }
}
