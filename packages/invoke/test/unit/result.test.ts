import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { Result } from "../../src/result.js";

describe("Result", () => {
  it("has Invoke's defaults", () => {
    const result = new Result();
    expect(result).toMatchObject({ stdout: "", stderr: "", command: "", shell: "", exited: 0, pty: false });
    expect(result.hide).toEqual([]);
    expect(result.env).toEqual({});
    expect(result.encoding).toBe("utf8");
    expect(result.ok).toBe(true);
    expect(result.failed).toBe(false);
    expect(result.disowned).toBe(false);
  });

  it("is not ok for a non-zero or missing exit code", () => {
    expect(new Result({ exited: 2 }).ok).toBe(false);
    expect(new Result({ exited: null }).failed).toBe(true);
    expect(new Result({ exited: -15 }).returnCode).toBe(-15);
  });

  it("tail() gives the last lines after a blank line", () => {
    expect(new Result({ stdout: "x\n" }).tail("stdout")).toBe("\n\nx");
    const lines = Array.from({ length: 15 }, (_, i) => `line${i}`).join("\n");
    expect(new Result({ stderr: lines }).tail("stderr", 3)).toBe("\n\nline12\nline13\nline14");
    expect(new Result().tail("stdout")).toBe("\n\n");
  });

  it("renders Invoke's str() format", () => {
    expect(String(new Result({ stdout: "foo\n", exited: 1 }))).toBe(
      "Command exited with status 1.\n=== stdout ===\nfoo\n\n(no stderr)",
    );
    expect(String(new Result({ exited: null }))).toBe(
      "Command was not fully executed due to watcher error.\n(no stdout)\n(no stderr)",
    );
  });

  it("has a Python-style repr, also used by util.inspect", () => {
    const result = new Result({ command: "echo hi; echo err >&2" });
    expect(result.repr()).toBe("<Result cmd='echo hi; echo err >&2' exited=0>");
    expect(inspect(result)).toBe(result.repr());
    expect(new Result({ command: "it's", exited: null }).repr()).toBe(`<Result cmd="it's" exited=None>`);
  });
});
