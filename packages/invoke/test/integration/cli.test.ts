import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, inv } from "../support/cli-helpers.js";

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

describe("inv: task arguments through the real CLI", () => {
  it("parses every argument kind", () => {
    const r = inv([
      "kinds",
      "bob",
      "-c",
      "3",
      "--ratio=2.5",
      "--loud",
      "--no-color",
      "-t",
      "a",
      "--tag",
      "b",
      "-vvv",
    ]);
    expect(r.stderr).toBe("");
    expect(json(r.stdout)).toEqual({
      name: "bob",
      count: 3,
      ratio: 2.5,
      loud: true,
      color: false,
      tag: ["a", "b"],
      verbose: 3,
      level: "info",
    });
  });

  it("applies schema defaults when flags are absent", () => {
    expect(json(inv(["kinds", "amy"]).stdout)).toEqual({
      name: "amy",
      count: 1,
      ratio: 0.5,
      loud: false,
      color: true,
      tag: [],
      verbose: 0,
      level: "info",
    });
  });

  it("accepts -svalue, -s=value and clustered booleans", () => {
    expect(json(inv(["kinds", "x", "-c5", "-lv"]).stdout)).toMatchObject({
      count: 5,
      loud: true,
      verbose: 1,
    });
    expect(json(inv(["kinds", "x", "-c=6"]).stdout)).toMatchObject({ count: 6 });
    expect(json(inv(["kinds", "--name", "flagged"]).stdout)).toMatchObject({ name: "flagged" });
  });

  it("handles optional-value flags: absent, bare and with a value", () => {
    expect(json(inv(["kinds", "x"]).stdout)).not.toHaveProperty("log");
    expect(json(inv(["kinds", "x", "--log"]).stdout)).toMatchObject({ log: true });
    expect(json(inv(["kinds", "x", "--log=out.txt"]).stdout)).toMatchObject({ log: "out.txt" });
    expect(json(inv(["kinds", "x", "--log", "--loud"]).stdout)).toMatchObject({ log: true, loud: true });
  });

  it("optional strings and enums", () => {
    expect(json(inv(["kinds", "x", "--note", "hi", "--level", "debug"]).stdout)).toMatchObject({
      note: "hi",
      level: "debug",
    });
  });

  it("a flag value that is a task name stays a value, and the next task still runs", () => {
    const r = inv(["kinds", "x", "--note", "clean", "clean"]);
    const [first, second] = r.stdout.trim().split("\n");
    expect(json(first!)).toMatchObject({ note: "clean" });
    expect(second).toBe("clean build");
  });

  it("rejects values the schema refuses, naming task and flag", () => {
    const r = inv(["kinds", "x", "--level", "loud"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^Invalid value for '--level' of task 'kinds': Invalid option/);
    const bad = inv(["kinds", "x", "-c", "many"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("Value 'many' for '--count' is not an integer!\n");
  });

  it("reports missing positional arguments (exit 1)", () => {
    const r = inv(["kinds"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("'kinds' did not receive required positional arguments: 'name'\n");
  });

  it("reports flags that need a value", () => {
    const r = inv(["kinds", "x", "--count"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("Flag '--count' needed value and was not given one!\n");
  });
});

describe("inv: running tasks", () => {
  it("runs pre-tasks depth-first and dedupes", () => {
    expect(inv(["build", "package"]).stdout).toBe("clean build\nbuild\npackage\n");
  });

  it("--no-dedupe runs repeated pre-tasks again", () => {
    expect(inv(["--no-dedupe", "build", "package"]).stdout).toBe(
      "clean build\nbuild\nclean build\nbuild\npackage\n",
    );
  });

  it("pre-tasks with arguments and post-tasks; aliases work", () => {
    expect(inv(["ship"]).stdout).toBe("clean all\nrelease\nclean build\nbuild\npackage\n");
  });

  it("runs the default task when none is given", () => {
    expect(inv([]).stdout).toBe("default ran\n");
  });

  it("autoprint prints the return value of directly invoked tasks only", () => {
    expect(inv(["answer"]).stdout).toBe("42\n");
    expect(inv(["chain"]).stdout).toBe("chain\n");
  });

  it("runs a sub-collection's default by the collection name, with merged collection config", () => {
    expect(inv(["docs", "--format", "pdf"]).stdout).toBe("docs pdf target=outer\n");
  });

  it("config: project file beats collection config, env beats file, --set beats env, flags set run options", () => {
    expect(json(inv(["show-config"]).stdout)).toEqual({
      greeting: "from-project-file",
      target: "outer",
      echo: false,
    });
    const env = { INVOKE_GREETING: "from-env" };
    expect(json(inv(["show-config", "--echo"], { env }).stdout)).toMatchObject({
      greeting: "from-env",
      echo: true,
    });
    expect(json(inv(["--set", "greeting=from-set", "show-config"], { env }).stdout)).toMatchObject({
      greeting: "from-set",
    });
  });

  it("finds the tasks file from a subdirectory and with -r", () => {
    const deep = join(FIXTURES, "project", "sub", "deeper");
    expect(inv(["answer"], { cwd: deep }).stdout).toBe("42\n");
    expect(inv(["-r", join(FIXTURES, "tree"), "--list", "deploy"], { cwd: deep }).stdout).toContain(
      ".everywhere",
    );
  });

  it("-c names another collection file", () => {
    expect(inv(["-c", "other", "greet"]).stdout).toBe("hello from other.mjs\n");
  });
});

describe("inv: exit codes and error reporting", () => {
  it("UnexpectedExit with hidden output: report on stderr, the command's exit code", () => {
    const r = inv(["fail", "--code", "5"]);
    expect(r.code).toBe(5);
    expect(r.stderr).toBe(
      "Encountered a bad command exit code!\n\nCommand: 'echo out; echo err >&2; exit 5'\n\nExit code: 5\n\nStdout:\n\nout\n\nStderr:\n\nerr\n\n",
    );
  });

  it("UnexpectedExit with visible output: no report, the command's exit code", () => {
    const r = inv(["fail-loud"]);
    expect(r.code).toBe(4);
    expect(r.stderr).toBe("");
  });

  it("Exit thrown by a task: its message and code", () => {
    const r = inv(["quit"]);
    expect(r).toMatchObject({ code: 7, stderr: "Stopping here.\n" });
  });

  it("other errors: a message without a stack trace unless --debug", () => {
    const r = inv(["boom"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("TypeError: kaput\n(run with --debug for a stack trace)\n");
    expect(inv(["--debug", "boom"]).stderr).toMatch(/TypeError: kaput\n\s+at /);
  });

  it("unknown task: 'No idea' plus the closest name, exit 1", () => {
    expect(inv(["nope"])).toMatchObject({ code: 1, stderr: "No idea what 'nope' is!\n" });
    expect(inv(["biuld"])).toMatchObject({
      code: 1,
      stderr: "No idea what 'biuld' is!\nDid you mean 'build'?\n",
    });
  });

  it("unknown flag: the closest flag of the task", () => {
    expect(inv(["kinds", "x", "--laud"]).stderr).toBe("No idea what '--laud' is!\nDid you mean '--loud'?\n");
  });

  it("no tasks file: exit 1 with Invoke's message", () => {
    const r = inv(["build"], { cwd: "/" });
    expect(r).toMatchObject({ code: 1, stderr: "Can't find any collection named 'tasks'!\n" });
  });

  it("--help works without a tasks file; --version prints name and version", () => {
    expect(inv(["--help"], { cwd: "/" }).stdout).toMatch(/^Usage: inv\[oke\] \[--core-opts\]/);
    expect(inv(["--version"]).stdout).toMatch(/^Invoke \(fabric-ts\) \d+\.\d+\.\d+\n$/);
  });
});
