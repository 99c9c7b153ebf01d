import { describe, expect, it } from "vitest";
import { Context } from "../../src/context.js";
import { Result } from "../../src/result.js";
import { MockContext, NotImplementedError } from "../../src/testing.js";

describe("MockContext", () => {
  it("is a Context that runs nothing", async () => {
    const c = new MockContext({ run: "out\n" });
    expect(c).toBeInstanceOf(Context);
    const result = await c.run("rm -rf /");
    expect(result.stdout).toBe("out\n");
    expect(result.command).toBe("rm -rf /");
  });

  it("turns booleans and strings into Results", async () => {
    expect((await new MockContext({ run: true }).run("x")).exited).toBe(0);
    expect((await new MockContext({ run: false }).run("x")).exited).toBe(1);
    const given = new Result({ stdout: "given", command: "original" });
    expect(await new MockContext({ sudo: given }).sudo("x")).toBe(given);
  });

  it("repeats by default and consumes with repeat: false", async () => {
    const repeating = new MockContext({ run: ["a", "b"] });
    expect((await Promise.all([1, 2, 3].map(() => repeating.run("x")))).map((r) => r.stdout)).toEqual([
      "a",
      "b",
      "a",
    ]);
    const once = new MockContext({ run: ["a"], repeat: false });
    await once.run("x");
    await expect(once.run("x")).rejects.toBeInstanceOf(NotImplementedError);
  });

  it("answers by command, exactly or by regular expression", async () => {
    const c = new MockContext({
      run: new Map<string | RegExp, string | boolean>([
        ["git pull", "ok"],
        [/^make /, true],
      ]),
    });
    expect((await c.run("git pull")).stdout).toBe("ok");
    expect((await c.run("make all")).exited).toBe(0);
    await expect(c.run("git push")).rejects.toThrow("git push");
  });

  it("records calls, without cd/prefix", async () => {
    const c = new MockContext({ run: true, sudo: true });
    await c.cd("/srv").run("ls", { hide: true });
    await c.sudo("whoami", { user: "bob" });
    expect(c.calls.map(({ method, command }) => [method, command])).toEqual([
      ["run", "ls"],
      ["sudo", "whoami"],
    ]);
    expect(c.calls[1]?.options).toEqual({ user: "bob" });
  });

  it("setResultFor updates map answers only", async () => {
    const c = new MockContext({ run: { a: "1" } });
    c.setResultFor("run", "b", "2");
    expect((await c.run("b")).stdout).toBe("2");
    expect(() => new MockContext({ run: true }).setResultFor("run", "x", true)).toThrow(
      "Can't update results for non-dict or nonexistent mock results!",
    );
  });

  it("rejects unusable answers", () => {
    expect(() => new MockContext({ run: 5 as never })).toThrow("Not sure how to yield results from a number");
  });
});
