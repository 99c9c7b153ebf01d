import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CONFIG_LEVELS, Config, type ConfigLevel } from "../../src/config/config.js";
import { invokeDefaults } from "../../src/config/defaults.js";
import { isolated, tempDir, writeFiles } from "../support/config-helpers.js";

/**
 * Builds a config in which `sudo.prompt` is set at every level up to and including `top`, each
 * level to its own name, so the merged value says which level won.
 */
function stackUpTo(top: ConfigLevel): Config {
  const root = tempDir();
  const upTo = CONFIG_LEVELS.slice(0, CONFIG_LEVELS.indexOf(top) + 1);
  const at = (level: ConfigLevel) => upTo.includes(level);
  const file = (level: string) => `sudo:\n  prompt: ${level}\n`;
  const defaults = invokeDefaults();
  defaults.sudo.prompt = "defaults";
  if (at("system")) writeFiles(root, { "etc/invoke.yaml": file("system") });
  if (at("user")) writeFiles(root, { "home/.invoke.yaml": file("user") });
  if (at("project")) writeFiles(root, { "project/invoke.yaml": file("project") });
  if (at("runtime")) writeFiles(root, { "runtime.yaml": file("runtime") });
  const config = new Config(
    isolated(
      {
        defaults,
        projectLocation: join(root, "project"),
        runtimePath: at("runtime") ? join(root, "runtime.yaml") : undefined,
        env: at("env") ? { INVOKE_SUDO_PROMPT: "env" } : {},
      },
      root,
    ),
  );
  if (at("collection")) config.loadCollection({ sudo: { prompt: "collection" } });
  if (at("overrides")) config.setOverride("sudo.prompt", "overrides");
  if (at("modifications")) config.set("sudo.prompt", "modifications");
  return config;
}

describe("precedence (defaults < collection < system < user < project < env < runtime < overrides < modifications)", () => {
  it.each(CONFIG_LEVELS.map((level) => [level]))("%s beats every level below it", (level) => {
    const config = stackUpTo(level);
    expect(config.sudo.prompt).toBe(level);
    expect(config.get("sudo.prompt")).toBe(level);
    expect(config.sourceOf("sudo.prompt")?.level).toBe(level);
  });

  it("keeps lower-level keys that higher levels do not mention (deep merge)", () => {
    const config = stackUpTo("modifications");
    expect(config.sudo.user).toBeNull();
    expect(config.run.shell).toBe("/bin/bash");
  });

  it("deletions beat every level, until the key is set again", () => {
    const config = stackUpTo("modifications");
    config.delete("sudo.prompt");
    expect(config.has("sudo.prompt")).toBe(false);
    expect(config.get("sudo.prompt", "fallback")).toBe("fallback");
    expect(config.sudo).not.toHaveProperty("prompt");
    expect(config.sourceOf("sudo.prompt")).toEqual({ level: "deletions" });
    config.setOverride("sudo.prompt", "overrides again");
    expect(config.has("sudo.prompt")).toBe(false);
    config.set("sudo.prompt", "back");
    expect(config.sudo.prompt).toBe("back");
  });

  it("--set values (overrides) beat the runtime file and lose to code", () => {
    const config = stackUpTo("runtime");
    config.setOverrideFromArgument("sudo.prompt=from --set");
    expect(config.sudo.prompt).toBe("from --set");
    config.set("sudo.prompt", "code");
    expect(config.sudo.prompt).toBe("code");
  });

  it("names the file a value came from", () => {
    const config = stackUpTo("project");
    expect(config.sourceOf("sudo.prompt")).toEqual({
      level: "project",
      file: expect.stringMatching(/project\/invoke\.yaml$/),
    });
    expect(config.sourceOf("run.echo")).toEqual({ level: "defaults" });
    expect(config.sourceOf("no.such.key")).toBeUndefined();
  });
});

describe("deletions (§C3 20)", () => {
  it("`delete run.warn` hides the key until it is set again, and survives loadCollection", () => {
    const config = new Config(isolated());
    config.delete("run.warn");
    expect(config.has("run.warn")).toBe(false);
    expect("warn" in config.run).toBe(false);
    config.loadCollection({ run: { warn: true } });
    expect(config.has("run.warn")).toBe(false);
    config.set("run.warn", true);
    expect(config.run.warn).toBe(true);
  });

  it("modifications survive a later loadCollection and file loads", () => {
    const root = tempDir();
    writeFiles(root, { "p/invoke.yaml": "run:\n  echo: false\n" });
    const config = new Config(isolated({}, root));
    config.set("run.echo", true);
    config.loadCollection({ run: { echo: false } });
    config.setProjectLocation(join(root, "p"));
    config.loadProject();
    expect(config.run.echo).toBe(true);
  });

  it("setting a key under a deleted section reveals only that key", () => {
    const config = new Config(isolated());
    config.delete("sudo");
    expect(config.has("sudo")).toBe(false);
    config.set("sudo.user", "deploy");
    expect(config.get("sudo")).toEqual({ user: "deploy" });
  });

  it("deleting a key set in code drops the modification too", () => {
    const config = new Config(isolated());
    config.set("custom.flag", 1);
    config.delete("custom.flag");
    expect(config.has("custom.flag")).toBe(false);
    config.set("custom.other", 2);
    expect(config.get("custom")).toEqual({ other: 2 });
  });
});

describe("file suffix precedence (yaml > yml > json > js > mjs > ts)", () => {
  const formats: Record<string, (shell: string) => string> = {
    yaml: (shell) => `run:\n  shell: ${shell}\n`,
    yml: (shell) => `run:\n  shell: ${shell}\n`,
    json: (shell) => JSON.stringify({ run: { shell } }),
    js: (shell) => `export default { run: { shell: ${JSON.stringify(shell)} } };\n`,
    mjs: (shell) => `export const run = { shell: ${JSON.stringify(shell)} };\n`,
    ts: (shell) => `const shell: string = ${JSON.stringify(shell)};\nexport default { run: { shell } };\n`,
  };
  const order = Object.keys(formats);

  it.each(order.map((suffix, i) => [suffix, order.slice(i + 1)]))(
    "%s wins over %j when both exist",
    (suffix, lower) => {
      const root = tempDir();
      for (const s of [suffix, ...lower]) writeFiles(root, { [`p/invoke.${s}`]: formats[s]!(`/bin/${s}`) });
      const config = new Config(isolated({ projectLocation: join(root, "p") }, root));
      expect(config.run.shell).toBe(`/bin/${suffix}`);
      expect(config.loadedFiles.project).toBe(join(root, "p", `invoke.${suffix}`));
    },
  );

  it("applies at the system and user locations too", () => {
    const root = tempDir();
    writeFiles(root, {
      "etc/invoke.yml": "run: {shell: /bin/sys-yml}\n",
      "etc/invoke.json": '{"run": {"shell": "/bin/sys-json"}}',
      "home/.invoke.json": '{"sudo": {"prompt": "user-json"}}',
      "home/.invoke.yaml": "sudo: {prompt: user-yaml}\n",
    });
    const config = new Config(isolated({}, root));
    expect(config.run.shell).toBe("/bin/sys-yml");
    expect(config.sudo.prompt).toBe("user-yaml");
  });
});
