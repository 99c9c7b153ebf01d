import { describe, expect, it } from "vitest";
import { Config } from "../../src/config/config.js";
import { type LevelContext, LevelStack } from "../../src/config/level-stack.js";
import type { Layers } from "../../src/config/levels.js";

function layers(defaults: Record<string, unknown>): Layers {
  return {
    defaults,
    collection: {},
    system: {},
    user: {},
    project: {},
    runtime: {},
    overrides: {},
    modifications: {},
  };
}

const context: LevelContext = {
  envPrefix: "INVOKE_",
  known: Config,
  fileOf: (level) => (level === "project" ? "/p/invoke.yaml" : undefined),
};

describe("LevelStack", () => {
  it("merges the levels in precedence order", () => {
    const stack = new LevelStack(layers({ app: { name: "d", port: 1 } }), context);
    stack.commit({ project: { app: { name: "p" } }, overrides: { app: { port: 2 } } });
    expect(stack.merged).toMatchObject({ app: { name: "p", port: 2 } });
    expect(stack.sourceOf(["app", "name"])).toEqual({ level: "project", file: "/p/invoke.yaml" });
    expect(stack.sourceOf(["app", "port"])).toEqual({ level: "overrides" });
  });

  it("reads the environment for keys below the env level, also for keys that appear later", () => {
    const stack = new LevelStack(layers({ app: { port: 1 } }), context);
    stack.commit({}, undefined, { INVOKE_APP_PORT: "8", INVOKE_APP_NAME: "env" });
    expect(stack.merged).toMatchObject({ app: { port: 8 } });
    expect(stack.merged.app).not.toHaveProperty("name");
    stack.commit({ collection: { app: { name: "c" } } });
    expect(stack.merged).toMatchObject({ app: { port: 8, name: "env" } });
    expect(stack.sourceOf(["app", "name"])).toEqual({ level: "env", envVar: "INVOKE_APP_NAME" });
  });

  it("changes nothing when a commit is refused", () => {
    const stack = new LevelStack(layers({ app: { port: 1 } }), context);
    stack.commit({}, undefined, { INVOKE_APP_PORT: "8" });
    const before = stack.merged;
    // The env variable cannot be cast to the new type of the key.
    expect(() => stack.commit({ project: { app: { port: [1] } } })).toThrow(/Can't adapt/);
    expect(stack.merged).toBe(before);
    expect(stack.layers.project).toEqual({});
  });

  it("applies deletions after merging and keeps the undeleted tree for spelling", () => {
    const stack = new LevelStack(layers({ app: { name: "d" } }), context);
    stack.commit({}, [["app", "name"]]);
    expect(stack.merged).toMatchObject({ app: {} });
    expect(stack.full).toMatchObject({ app: { name: "d" } });
    expect(stack.sourceOf(["app", "name"])).toEqual({ level: "deletions" });
  });

  it("copies independently", () => {
    const stack = new LevelStack(layers({ app: { name: "d" } }), context);
    const copy = stack.copy(context);
    copy.commit({ modifications: { app: { name: "m" } } });
    expect(stack.merged).toMatchObject({ app: { name: "d" } });
    expect(copy.merged).toMatchObject({ app: { name: "m" } });
  });
});
