import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Config } from "../../src/config/config.js";
import { ConfigFiles, locateLevelFile } from "../../src/config/file-levels.js";
import { runSync } from "../../src/config/file-reader.js";
import { UnknownFileType } from "../../src/errors.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "fabric-ts-levels-"));
  dirs.push(dir);
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

const nowhere = { systemPrefix: "/nonexistent/", userPrefix: "/nonexistent/.", runtimePath: undefined };

describe("locateLevelFile", () => {
  it("takes the first suffix in precedence order and nothing without a project location", () => {
    const dir = project({ "invoke.json": "{}", "invoke.yml": "" });
    expect(locateLevelFile("project", { ...nowhere, projectLocation: dir }, "invoke")).toBe(
      join(dir, "invoke.yml"),
    );
    expect(locateLevelFile("project", { ...nowhere, projectLocation: undefined }, "invoke")).toBeUndefined();
  });

  it("refuses a runtime file of unknown type before reading it", () => {
    const locations = { ...nowhere, projectLocation: undefined, runtimePath: "/x/conf.toml" };
    expect(() => locateLevelFile("runtime", locations, "invoke")).toThrow(UnknownFileType);
  });
});

describe("ConfigFiles", () => {
  it("loads a level once, validated, and reports the file", () => {
    const dir = project({ "invoke.yaml": "run:\n  echo: true\n" });
    const files = new ConfigFiles({ ...nowhere, projectLocation: dir });
    const accepted: unknown[] = [];
    runSync(
      files.load(
        "project",
        "invoke",
        () => Config.schema,
        (data) => accepted.push(data),
      ),
    );
    runSync(
      files.load(
        "project",
        "invoke",
        () => Config.schema,
        (data) => accepted.push(data),
      ),
    );
    expect(accepted).toEqual([{ run: { echo: true } }]);
    expect(files.loaded()).toEqual({ project: join(dir, "invoke.yaml") });
  });

  it("leaves the level unloaded when the data is refused", () => {
    const dir = project({ "invoke.yaml": "a: 1\n" });
    const files = new ConfigFiles({ ...nowhere, projectLocation: dir });
    const refuse = () => {
      throw new Error("refused");
    };
    expect(() => runSync(files.load("project", "invoke", () => Config.schema, refuse))).toThrow("refused");
    expect(files.loaded()).toEqual({});
    expect(files.states.project.found).toBeUndefined();
  });

  it("forgets a level when it is relocated, and copies independently", () => {
    const dir = project({ "invoke.yaml": "a: 1\n" });
    const files = new ConfigFiles({ ...nowhere, projectLocation: dir });
    runSync(
      files.load(
        "project",
        "invoke",
        () => Config.schema,
        () => {},
      ),
    );
    const copy = files.copy();
    expect(files.relocate("project", dir)).toBe(false);
    expect(files.relocate("project", "/elsewhere")).toBe(true);
    expect(files.loaded()).toEqual({});
    expect(copy.loaded()).toEqual({ project: join(dir, "invoke.yaml") });
    expect(copy.locations.projectLocation).toBe(dir);
  });
});
