import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Config } from "../../src/config/config.js";
import type { Z } from "../../src/config/schema.js";
import { ConfigError, UnknownFileType } from "../../src/errors.js";
import { isolated, tempDir, writeFiles } from "../support/config-helpers.js";

const fixtures = fileURLToPath(new URL("../fixtures/config/", import.meta.url));

/** A Fabric-like subclass: its own prefix and schema sections, as FabricConfig will have. */
class FabricLike extends Config {
  static override prefix = "fabric";
  static override globalDefaults() {
    return { ...Config.globalDefaults(), connectKwargs: {}, port: 22 };
  }
  static override schemaSections(z: Z) {
    return {
      ...Config.schemaSections(z),
      connectKwargs: z.looseObject({ keyFilename: z.array(z.string()), lookForKeys: z.boolean() }).partial(),
      port: z.number().int().positive(),
    };
  }
}

function projectConfig(files: Record<string, string>, cls: typeof Config = Config): Config {
  const root = tempDir();
  writeFiles(root, Object.fromEntries(Object.entries(files).map(([name, text]) => [`p/${name}`, text])));
  return new cls(isolated({ projectLocation: join(root, "p") }, root));
}

function loadError(files: Record<string, string>): ConfigError {
  try {
    projectConfig(files);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("file formats", () => {
  it("reads YAML, JSON, JS and TS", () => {
    expect(projectConfig({ "invoke.yaml": "run:\n  warn: true\n" }).run.warn).toBe(true);
    expect(projectConfig({ "invoke.json": '{"run": {"warn": true}}' }).run.warn).toBe(true);
    expect(projectConfig({ "invoke.js": "export default { run: { warn: true } };" }).run.warn).toBe(true);
    const ts = projectConfig({
      "invoke.ts":
        "interface Cfg { run: { warn: boolean } }\nconst cfg: Cfg = { run: { warn: true } };\nexport default cfg;\n",
    });
    expect(ts.run.warn).toBe(true);
  });

  it("takes a module's named exports when it has no default export", () => {
    const config = projectConfig({
      "invoke.mjs": 'export const run = { warn: true };\nexport const app = { name: "x" };\n',
    });
    expect(config.run.warn).toBe(true);
    expect(config.get("app.name")).toBe("x");
  });

  it("treats an empty YAML file as an empty config", () => {
    expect(projectConfig({ "invoke.yaml": "# nothing yet\n" }).run.warn).toBe(false);
  });

  it("reads YAML as YAML 1.1 (PyYAML), so `yes`/`off` are booleans", () => {
    const config = projectConfig({ "invoke.yaml": "run:\n  echo: yes\n  warn: on\n  pty: off\n" });
    expect(config.run).toMatchObject({ echo: true, warn: true, pty: false });
  });

  it("reports a YAML syntax error with the file", () => {
    const error = loadError({ "invoke.yaml": "run: [unclosed\n" });
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.file).toMatch(/p\/invoke\.yaml$/);
    expect(error.message).toMatch(/invoke\.yaml: invalid YAML: /);
  });

  it("reports a JSON syntax error with the file", () => {
    const error = loadError({ "invoke.json": "{run: }" });
    expect(error.code).toBe("PARSE_ERROR");
    expect(error.message).toMatch(/invoke\.json: invalid JSON: /);
  });

  it("rejects a top level that is not a mapping", () => {
    const error = loadError({ "invoke.yaml": "- a\n- b\n" });
    expect(error.message).toMatch(/invoke\.yaml: expected a mapping at the top level, got a list$/);
  });

  it("loads each file level once; a new project location loads afresh", () => {
    const root = tempDir();
    writeFiles(root, {
      "a/invoke.yaml": "run: {shell: /bin/a}\n",
      "b/invoke.yaml": "run: {shell: /bin/b}\n",
    });
    const config = new Config(isolated({ projectLocation: join(root, "a") }, root));
    writeFiles(root, { "a/invoke.yaml": "run: {shell: /bin/changed}\n" });
    config.loadProject();
    expect(config.run.shell).toBe("/bin/a");
    config.setProjectLocation(join(root, "b"));
    expect(config.run.shell).toBe("/bin/bash");
    config.loadProject();
    expect(config.run.shell).toBe("/bin/b");
  });
});

describe("runtime file (-f)", () => {
  it("rejects unsupported suffixes with UnknownFileType", () => {
    const root = tempDir();
    writeFiles(root, { "conf.toml": "x = 1\n" });
    const config = new Config(isolated({ lazy: true }, root));
    config.setRuntimePath(join(root, "conf.toml"));
    expect(() => config.loadRuntime()).toThrow(UnknownFileType);
    expect(() => config.loadRuntime()).toThrow(
      `Config files of type 'toml' (from file '${join(root, "conf.toml")}') are not supported! Please use one of: yaml, yml, json, js, mjs, ts`,
    );
  });

  it("is an error when missing (Invoke skipped it silently)", () => {
    const root = tempDir();
    const config = new Config(isolated({ lazy: true, runtimePath: join(root, "nope.yaml") }, root));
    expect(() => config.loadRuntime()).toThrow(expect.objectContaining({ code: "FILE_NOT_FOUND" }));
  });

  it("defaults to $INVOKE_RUNTIME_CONFIG, and to $FABRIC_RUNTIME_CONFIG first for prefix 'fabric'", () => {
    const root = tempDir();
    writeFiles(root, { "i.yaml": "run: {shell: /bin/i}\n", "f.yaml": "run: {shell: /bin/f}\n" });
    const env = { INVOKE_RUNTIME_CONFIG: join(root, "i.yaml"), FABRIC_RUNTIME_CONFIG: join(root, "f.yaml") };
    expect(new Config(isolated({ env }, root)).run.shell).toBe("/bin/i");
    expect(new FabricLike(isolated({ env }, root)).run.shell).toBe("/bin/f");
    expect(Config.runtimePathFromEnv({})).toBeUndefined();
  });
});

describe("JS/TS files with top-level await", () => {
  it("fail in the synchronous loaders with a pointer to the async ones", () => {
    const config = new Config(isolated({ lazy: true, projectLocation: join(fixtures, "tla") }));
    expect(() => config.loadProject()).toThrow(/failed to load: .*await.*Config\.load\(\)/s);
  });

  it("load with `await Config.load()` and `loadProjectAsync()`", async () => {
    const config = await Config.load(isolated({ projectLocation: join(fixtures, "tla") }));
    expect(config.run.shell).toBe("/bin/tla");
    const lazy = new Config(isolated({ lazy: true }));
    lazy.setProjectLocation(join(fixtures, "tla"));
    await lazy.loadProjectAsync();
    expect(lazy.run.shell).toBe("/bin/tla");
  });

  it("Config.load builds the subclass it is called on", async () => {
    const config = await FabricLike.load(isolated());
    expect(config).toBeInstanceOf(FabricLike);
    expect(config.get("port")).toBe(22);
  });
});

describe("snake_case keys from Python-era files", () => {
  it("normalises known keys to camelCase and keeps user keys as written", () => {
    const config = new FabricLike(isolated({ lazy: true }));
    // FabricLike looks for fabric.*; load the fixture as a runtime file instead.
    config.setRuntimePath(join(fixtures, "python-style/invoke.yaml"));
    config.loadRuntime();
    expect(config.run.replaceEnv).toBe(true);
    expect(config.run.echo).toBe(true);
    expect(config.run.echoFormat).toBe("$ {command}");
    expect(config.tasks).toMatchObject({ collectionName: "ops", autoDashNames: false });
    expect(config.get("connectKwargs")).toEqual({ keyFilename: ["~/.ssh/deploy"], lookForKeys: false });
    // run.env holds environment variable names: never renamed; values become strings.
    expect(config.run.env).toEqual({ PORT: "8080", release_name: "blue" });
    expect(config.data).toHaveProperty("deploy_env", "staging");
    expect(config.data).toHaveProperty("deploy_settings.max_parallel", 2);
    expect(config.data).not.toHaveProperty("replace_env");
  });

  it("finds user keys by either spelling", () => {
    const config = projectConfig({ "invoke.yaml": "deploy_env: staging\nappConfig:\n  maxConns: 3\n" });
    expect(config.get("deploy_env")).toBe("staging");
    expect(config.get("deployEnv")).toBe("staging");
    expect(config.get("app_config.max_conns")).toBe(3);
    expect(config.get("run.replace_env")).toBe(false);
  });

  it("rejects a known key given in both spellings in one file", () => {
    const error = loadError({ "invoke.yaml": "run:\n  replace_env: true\n  replaceEnv: false\n" });
    expect(error.code).toBe("KEY_CONFLICT");
    expect(error.keyPath).toBe("run.replaceEnv");
  });
});

describe("validation", () => {
  it("names the file, the key path, what was expected and what was found", () => {
    const error = loadError({ "invoke.yaml": 'run:\n  echo: "yes"\n' });
    expect(error.message).toBe(`${error.file}: run.echo: expected boolean, got string "yes"`);
    expect(error.file).toMatch(/\/p\/invoke\.yaml$/);
    expect(error).toMatchObject({ code: "INVALID_VALUE", keyPath: "run.echo" });
  });

  it("describes unions and constraints", () => {
    const hide = loadError({ "invoke.yaml": "run:\n  hide: everything\n" });
    expect(hide.message).toMatch(
      /run\.hide: expected boolean, null or one of "out", "stdout", "err", "stderr", "both", got string "everything"$/,
    );
    const timeout = loadError({ "invoke.json": '{"timeouts": {"command": -1}}' });
    expect(timeout.message).toMatch(/timeouts\.command: expected number to be >0, got number -1$/);
  });

  it("reports every problem in the file, one per line", () => {
    const error = loadError({ "invoke.yaml": "run:\n  echo: 1\n  warn: 2\n" });
    expect(error.issues.map((issue) => issue.keyPath)).toEqual(["run.echo", "run.warn"]);
    expect(error.message.split("\n")).toHaveLength(2);
  });

  it("rejects unknown keys inside a known section, suggesting the closest", () => {
    const error = loadError({ "invoke.yaml": "run:\n  ecko: true\n" });
    expect(error).toMatchObject({ code: "UNKNOWN_KEY", keyPath: "run.ecko" });
    expect(error.message).toMatch(/run\.ecko: unknown key; did you mean 'echo'\?$/);
  });

  it("rejects a top-level mapping that looks like a misspelt section", () => {
    for (const [typo, section] of [
      ["rnu", "run"],
      ["task", "tasks"],
      ["Sudo", "sudo"],
      ["timeout", "timeouts"],
    ]) {
      const error = loadError({ "invoke.yaml": `${typo}:\n  x: 1\n` });
      expect(error).toMatchObject({ code: "UNKNOWN_SECTION", keyPath: typo });
      expect(error.message).toContain(`did you mean '${section}'?`);
    }
  });

  it("allows other top-level keys as user namespaces", () => {
    const config = projectConfig({
      "invoke.yaml": "deploy:\n  hosts: [web1, web2]\nruns: 3\nsudoers: {a: 1}\n",
    });
    expect(config.get("deploy.hosts")).toEqual(["web1", "web2"]);
    expect(config.get("runs")).toBe(3);
  });

  it("never echoes secret values", () => {
    const error = loadError({ "invoke.yaml": "sudo:\n  password: 987654\n" });
    expect(error.message).toMatch(/sudo\.password: expected string or null, got number \(hidden\)$/);
    expect(error.message).not.toContain("987654");
  });

  it("validates subclass sections too", () => {
    expect(() => projectConfig({ "fabric.yaml": "port: http\n" }, FabricLike)).toThrow(
      /fabric\.yaml: port: expected number, got string "http"$/,
    );
  });

  it("leaves the config unchanged when a file is rejected", () => {
    const root = tempDir();
    writeFiles(root, {
      "good/invoke.yaml": "run: {warn: true}\n",
      "bad/invoke.yaml": "run: {warn: maybe}\n",
    });
    const config = new Config(isolated({ projectLocation: join(root, "good") }, root));
    config.setProjectLocation(join(root, "bad"));
    expect(() => config.loadProject()).toThrow(ConfigError);
    expect(config.loadedFiles.project).toBeUndefined();
    expect(config.run.warn).toBe(false);
  });
});
