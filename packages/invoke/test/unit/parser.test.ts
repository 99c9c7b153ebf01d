import { describe, expect, it } from "vitest";
import { ParseError } from "../../src/errors.js";
import { Argument } from "../../src/parser/argument.js";
import { Parser } from "../../src/parser/parser.js";
import { ParserContext } from "../../src/parser/parser-context.js";

function myTask() {
  return new ParserContext({
    name: "my-task",
    aliases: ["mt"],
    args: [
      new Argument({ names: ["long-name"], kind: "bool", default: false }),
      new Argument({ names: ["true-bool"], kind: "bool", default: true }),
      new Argument({ names: ["s"] }),
      new Argument({ names: ["b"], kind: "bool", default: false }),
      new Argument({ names: ["v"], kind: "count", default: 0 }),
      new Argument({ names: ["my-list"], kind: "list" }),
      new Argument({ names: ["log"], optional: true }),
      new Argument({ names: ["num", "n"], kind: "int" }),
    ],
  });
}
const task2 = () => new ParserContext({ name: "my-task2" });
const core = () =>
  new ParserContext({
    args: [
      new Argument({ names: ["echo", "e"], kind: "bool", default: false }),
      new Argument({ names: ["help", "h"], optional: true }),
    ],
  });
const parse = (argv: string[]) =>
  new Parser({ initial: core(), contexts: [myTask(), task2()] }).parseArgv(argv);
const kwargs = (argv: string[], i = 1) => parse(argv).contexts[i]!.asKwargs();

describe("Parser (Invoke acceptance cases 21-24)", () => {
  it("booleans, inverse booleans", () => {
    expect(kwargs(["my-task", "--long-name"])).toMatchObject({ "long-name": true, "true-bool": true });
    expect(kwargs(["my-task", "--no-true-bool"])).toMatchObject({ "true-bool": false });
  });

  it("short flag value forms and clustered booleans", () => {
    for (const argv of [["-svalue"], ["-s=value"], ["-s", "value"]]) {
      expect(kwargs(["my-task", ...argv])).toMatchObject({ s: "value" });
    }
    expect(kwargs(["my-task", "-bv"])).toMatchObject({ b: true, v: 1 });
  });

  it("a flag value that names a task is a value; the task after it is a new context", () => {
    const result = parse(["my-task", "-s", "my-task2", "my-task2"]);
    expect(result.contexts.map((c) => c.name)).toEqual([undefined, "my-task", "my-task2"]);
    expect(result.contexts[1]!.asKwargs()).toMatchObject({ s: "my-task2" });
  });

  it("lists append, counters count", () => {
    expect(kwargs(["my-task", "--my-list", "foo", "--my-list", "bar", "-vvv"])).toMatchObject({
      "my-list": ["foo", "bar"],
      v: 3,
    });
  });

  it("optional-value flags", () => {
    expect(kwargs(["my-task"])).toMatchObject({ log: undefined });
    expect(kwargs(["my-task", "--log"])).toMatchObject({ log: true });
    expect(kwargs(["my-task", "--log=x"])).toMatchObject({ log: "x" });
    expect(kwargs(["my-task", "--log", "-b"])).toMatchObject({ log: true, b: true });
    expect(() => parse(["my-task", "--log", "my-task2"])).toThrow(
      "'my-task2' is ambiguous when given after an optional-value flag",
    );
  });

  it("int casting and errors", () => {
    expect(kwargs(["my-task", "-n", "-5"])).toMatchObject({ num: -5 });
    expect(() => parse(["my-task", "--num", "x"])).toThrow("Value 'x' for '--num' is not an integer!");
    expect(() => parse(["my-task", "--num"])).toThrow("Flag '--num' needed value and was not given one!");
    expect(() => parse(["my-task", "--long-name=x"])).toThrow("Flag '--long-name' doesn't take any value!");
  });

  it("core flags after a task go to the core context; --help after a task takes its name", () => {
    const result = parse(["my-task", "--echo"]);
    expect(result.contexts[0]!.asKwargs()).toMatchObject({ echo: true });
    expect(parse(["my-task", "--help"]).contexts[0]!.asKwargs()).toMatchObject({ help: "my-task" });
  });

  it("remainder, repeated tasks, aliases", () => {
    const result = parse(["mt", "my-task", "--", "echo", "hi"]);
    expect(result.contexts.map((c) => c.name)).toEqual([undefined, "my-task", "my-task"]);
    expect(result.remainder).toBe("echo hi");
  });

  it("unknown tokens: ParseError with the current context, or stored with ignoreUnknown", () => {
    let error: unknown;
    try {
      parse(["my-task", "--nope"]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).context).toBeInstanceOf(ParserContext);
    const loose = new Parser({ initial: core(), ignoreUnknown: true }).parseArgv(["-e", "build", "--x"]);
    expect(loose.unparsed).toEqual(["build", "--x"]);
    expect(loose.contexts[0]!.asKwargs()).toMatchObject({ echo: true });
  });

  it("missing positionals", () => {
    const ctx = new ParserContext({
      name: "hello",
      args: [new Argument({ names: ["name"], positional: true })],
    });
    const parser = new Parser({ contexts: [ctx] });
    expect(parser.parseArgv(["hello", "my-name"]).contexts[0]!.asKwargs()).toEqual({ name: "my-name" });
    expect(() => parser.parseArgv(["hello"])).toThrow(
      "'hello' did not receive required positional arguments: 'name'",
    );
  });

  it("help tuples: long-only first, then by short flag (lowercase first); deterministic flag names", () => {
    const ctx = myTask();
    expect(ctx.helpTuples().map(([names]) => names)).toEqual([
      "--log[=STRING]",
      "--long-name",
      "--my-list=STRING",
      "--[no-]true-bool",
      "-b",
      "-n INT, --num=INT",
      "-s STRING",
      "-v",
    ]);
    expect(ctx.flagNames()).toEqual(ctx.flagNames());
    expect(ctx.flagNames()).toContain("--no-true-bool");
  });
});
