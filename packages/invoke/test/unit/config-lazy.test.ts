import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { Config } from "../../src/config/config.js";
import * as lazy from "../../src/config/lazy-modules.js";
import { isolated, tempDir, writeFiles } from "../support/config-helpers.js";

// Start-up cost: yaml, zod and jiti must only be loaded when a file (or value) needs them.
vi.mock("../../src/config/lazy-modules.js", async (importOriginal) => {
  const actual = await importOriginal<typeof import("../../src/config/lazy-modules.js")>();
  return {
    loadYaml: vi.fn(actual.loadYaml),
    loadZod: vi.fn(actual.loadZod),
    loadJiti: vi.fn(actual.loadJiti),
  };
});

describe("lazy loading of yaml, zod and jiti", () => {
  beforeEach(() => {
    vi.mocked(lazy.loadYaml).mockClear();
    vi.mocked(lazy.loadZod).mockClear();
    vi.mocked(lazy.loadJiti).mockClear();
  });

  it("loads none of them without config files, for typed env vars, set() and same-typed --set", () => {
    const config = new Config(isolated({ env: { INVOKE_RUN_ECHO: "1", INVOKE_RUN_SHELL: "/bin/sh" } }));
    config.set("run.warn", true);
    config.setOverride("run.pty", true);
    config.setOverride("deploy_env", "production");
    config.clone().loadCollection({ app: { x: 1 } });
    expect(config.run).toMatchObject({ echo: true, shell: "/bin/sh", warn: true, pty: true });
    expect(lazy.loadYaml).not.toHaveBeenCalled();
    expect(lazy.loadZod).not.toHaveBeenCalled();
    expect(lazy.loadJiti).not.toHaveBeenCalled();
  });

  it("loads yaml and zod (not jiti) for a YAML file", () => {
    const root = tempDir();
    writeFiles(root, { "p/invoke.yaml": "run: {echo: true}\n" });
    new Config(isolated({ projectLocation: join(root, "p") }, root));
    expect(lazy.loadYaml).toHaveBeenCalled();
    expect(lazy.loadZod).toHaveBeenCalled();
    expect(lazy.loadJiti).not.toHaveBeenCalled();
  });

  it("loads jiti (not yaml) for a TS file", () => {
    const root = tempDir();
    writeFiles(root, { "p/invoke.ts": "export default { run: { echo: true } };\n" });
    new Config(isolated({ projectLocation: join(root, "p") }, root));
    expect(lazy.loadJiti).toHaveBeenCalled();
    expect(lazy.loadYaml).not.toHaveBeenCalled();
  });
});
