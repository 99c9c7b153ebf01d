import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FIXTURES, inv } from "../support/cli-helpers.js";

const complete = (line: string, cwd = join(FIXTURES, "project")) =>
  inv(["--complete", "--", ...line.split(" ")], { cwd });

describe("inv --complete", () => {
  it("no input: task names, top level first, each followed by its aliases", () => {
    const r = complete("inv", join(FIXTURES, "tree"));
    expect(r.code).toBe(0);
    expect(r.stdout.split("\n").slice(0, 8)).toEqual([
      "shell",
      "ipython",
      "test",
      "run-tests",
      "build.all",
      "build",
      "build.everything",
      "build.c-ext",
    ]);
  });

  it("a lone dash at top level: every core flag, in a stable order", () => {
    const out = complete("inv -").stdout.split("\n");
    for (const flag of ["--no-dedupe", "-d", "--debug", "-V", "--version"]) expect(out).toContain(flag);
    expect(complete("inv -").stdout).toBe(complete("inv -").stdout);
  });

  it("a double dash: long core flags only", () => {
    const out = complete("inv --").stdout.split("\n");
    expect(out).toContain("--no-dedupe");
    expect(out).not.toContain("-V");
  });

  it("task flags, including inverse flags", () => {
    const out = complete("inv kinds -").stdout.split("\n");
    expect(out).toEqual(expect.arrayContaining(["--loud", "-l", "--color", "--no-color", "-o", "--tag"]));
    expect(complete("inv kinds --").stdout.split("\n")).not.toContain("-l");
  });

  it("flags that take a value complete to nothing (the shell offers files)", () => {
    expect(complete("inv -c").stdout).toBe("");
    expect(complete("inv kinds --count").stdout).toBe("");
  });

  it("after a boolean flag: task names", () => {
    expect(complete("inv --echo").stdout.split("\n")).toContain("kinds");
    expect(complete("inv kinds --loud").stdout.split("\n")).toContain("clean");
  });

  it("honours -c given inside the completed line", () => {
    expect(complete("inv -c other").stdout).toBe("greet\n");
  });
});

describe("inv --print-completion-script", () => {
  it("bash wires every binary name", () => {
    const r = inv(["--print-completion-script", "bash"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("complete -F _complete_inv -o default inv invoke");
    expect(r.stdout).toContain("inv --complete --");
  });

  it("zsh and fish", () => {
    expect(inv(["--print-completion-script", "zsh"]).stdout).toContain("compdef _complete_inv inv invoke");
    expect(inv(["--print-completion-script", "fish"]).stdout).toContain(
      "complete --command $name --no-files --arguments '(__complete_inv)'",
    );
  });

  it("an unknown shell is a parse error", () => {
    expect(inv(["--print-completion-script", "tcsh"])).toMatchObject({
      code: 1,
      stderr: 'Completion for shell "tcsh" not supported (options are: bash, fish, zsh).\n',
    });
  });
});
