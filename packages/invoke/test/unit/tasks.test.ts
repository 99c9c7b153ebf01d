import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { Collection } from "../../src/collection.js";
import { Context } from "../../src/context.js";
import { ParseError } from "../../src/errors.js";
import { Executor } from "../../src/executor.js";
import { call } from "../../src/tasks/call.js";
import { count } from "../../src/tasks/count.js";
import { dashName } from "../../src/tasks/names.js";
import { task } from "../../src/tasks/task.js";

describe("task(): zod schemas drive CLI arguments", () => {
  const deploy = task(
    {
      args: {
        branch: z.string().describe("Branch to ship"),
        dryRun: z.boolean().default(false),
        retries: z.coerce.number().int().default(2),
        ratio: z.number().optional(),
        hosts: z.array(z.string()).default([]),
        verbose: count(),
        color: z.boolean().default(true),
      },
      help: { "dry-run": "Only pretend" },
    },
    async (_c, args) => args,
  );

  it("derives names, kinds, positionals, defaults and help", () => {
    const args = deploy.getArguments();
    expect(args.map((a) => [a.names, a.kind, a.positional, a.default, a.help])).toEqual([
      [["branch", "b"], "string", true, undefined, "Branch to ship"],
      [["dry-run", "d"], "bool", false, false, "Only pretend"],
      [["retries", "r"], "int", false, 2, undefined],
      [["ratio", "a"], "float", false, undefined, undefined],
      [["hosts", "h"], "list", false, [], undefined],
      [["verbose", "v"], "count", false, 0, undefined],
      [["color", "c"], "bool", false, true, undefined],
    ]);
  });

  it("types the handler from the schemas", () => {
    expectTypeOf(deploy.body).parameter(1).toEqualTypeOf<{
      branch: string;
      dryRun: boolean;
      retries: number;
      ratio: number | undefined;
      hosts: string[];
      verbose: number;
      color: boolean;
    }>();
  });

  it("validates and defaults when called from code", async () => {
    const result = await deploy.invoke(new Context(), { branch: "main" });
    expect(result).toEqual({
      branch: "main",
      dryRun: false,
      retries: 2,
      ratio: undefined,
      hosts: [],
      verbose: 0,
      color: true,
    });
    expect(deploy.timesCalled).toBe(1);
    await expect(deploy.invoke(new Context(), {})).rejects.toThrow(
      "Invalid value for 'branch' of task 'task': a value is required",
    );
    expect(() => deploy.parseArgs({ branch: "x", retries: 1.5 }, "deploy")).toThrow(ParseError);
  });

  it("rejects help for arguments that do not exist, unless told to ignore it", () => {
    const t = task({ args: { a: z.string() }, help: { nope: "?" } }, () => {});
    expect(() => t.getArguments()).toThrow("Help field was set for param(s) that don't exist: ['nope']");
    expect(t.getArguments({ ignoreUnknownHelp: true })).toHaveLength(1);
  });

  it("explicit positional list and single-letter names", () => {
    const t = task({ args: { r: z.string().default("x"), name: z.string() }, positional: [] }, () => {});
    expect(t.getArguments().map((a) => [a.names, a.positional])).toEqual([
      [["r"], false],
      [["name", "n"], false],
    ]);
  });

  it("kebab-cases binding names", () => {
    expect(["buildDocs", "build_docs", "_private_", "docs.build_all", "HTMLDocs"].map(dashName)).toEqual([
      "build-docs",
      "build-docs",
      "_private_",
      "docs.build-all",
      "html-docs",
    ]);
  });
});

describe("Collection", () => {
  const a = task({ aliases: ["alpha"], doc: "First.\nMore." }, () => "a");
  const b = task({ default: true }, () => "b");

  it("binds names from keys, resolves aliases, dotted paths and sub-collection defaults", () => {
    const docs = new Collection("docs", { buildAll: b });
    const root = new Collection({ a, docs });
    expect(root.get("alpha")).toBe(a);
    expect(root.get("docs.build-all")).toBe(b);
    expect(root.get("docs")).toBe(b);
    expect([...root.taskNames()]).toEqual([
      ["a", ["alpha"]],
      ["docs.build-all", ["docs"]],
    ]);
    expect(() => root.get("")).toThrow("This collection has no default task.");
  });

  it("serialises tasks under their bound names (not the task's own name)", () => {
    const named = task({ name: "own-name" }, () => {});
    const docs = new Collection("docs");
    docs.addTask(named, "build");
    expect(docs.serialized().tasks[0]!.name).toBe("build");
  });

  it("refuses a second default and name conflicts", () => {
    const c = new Collection({ b });
    expect(() =>
      c.addTask(
        task({ default: true }, () => {}),
        "other",
      ),
    ).toThrow("'other' cannot be the default because 'b' already is!");
    expect(() => c.addCollection(new Collection("b"))).toThrow("Name conflict");
  });

  it("explains how to name a task passed without a name", () => {
    const clean = task({ doc: "Remove build output.\nMore." }, async () => {});
    expect(() => new Collection(clean)).toThrow(/has no name \(the task "Remove build output\."\)/);
    expect(() => new Collection(clean)).toThrow(/new Collection\(\{ clean, build \}\)/);
    expect([...new Collection({ clean }).taskNames().keys()]).toEqual(["clean"]);
  });

  it("merges config along the path deeply, outer collections winning", () => {
    const inner = new Collection("inner", { b });
    inner.configure({ sphinx: { target: "in", other: 1 }, onlyInner: 1 });
    const outer = new Collection({ inner });
    outer.configure({ sphinx: { target: "out" } });
    expect(outer.configuration("inner.b")).toEqual({ sphinx: { target: "out", other: 1 }, onlyInner: 1 });
  });
});

describe("Executor ordering", () => {
  const log: string[] = [];
  const clean = task({ args: { which: z.string().default("build") } }, (_c, { which }) => {
    log.push(`clean:${which}`);
  });
  const build = task({ pre: [clean] }, () => {
    log.push("build");
  });
  const pkg = task({ pre: [build], post: [call(clean, { which: "all" })] }, () => {
    log.push("package");
  });
  const coll = new Collection({ clean, build, package: pkg });

  it("dedupes equal calls and keeps calls with different arguments", async () => {
    log.length = 0;
    await new Executor(coll).execute("build", "package");
    expect(log).toEqual(["clean:build", "build", "package", "clean:all"]);
  });

  it("runs everything when dedupe is off", async () => {
    log.length = 0;
    const { Config } = await import("../../src/config/config.js");
    const config = new Config({ lazy: true, overrides: { tasks: { dedupe: false } } });
    await new Executor(coll, config).execute("build", "package");
    expect(log).toEqual(["clean:build", "build", "clean:build", "build", "package", "clean:all"]);
  });

  it("accepts [name, args] specs and returns results per task", async () => {
    const results = await new Executor(coll).execute(["clean", { which: "x" }]);
    expect(results.get(clean)).toBeUndefined();
    expect(log.at(-1)).toBe("clean:x");
  });
});
