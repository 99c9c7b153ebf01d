import { existsSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  AuthFailure,
  CollectionNotFound,
  CommandAborted,
  CommandTimedOut,
  ConfigError,
  Exit,
  Failure,
  InvokeError,
  type InvokeErrorClasses,
  type InvokeErrorCode,
  isInvokeError,
  NotImplementedError,
  ParseError,
  SpawnError,
  SudoPasswordRequired,
  TasksFileError,
  ThreadException,
  UncastableEnvVar,
  UnexpectedExit,
  UnknownFileType,
} from "../../src/errors.js";
import { describeError } from "../../src/program/errors.js";
import { Result } from "../../src/result.js";

// The built bundle is a second copy of the package: its classes are not this module's classes.
const distIndex = fileURLToPath(new URL("../../dist/bundle/index.js", import.meta.url));
type Copy = typeof import("../../src/index.js");
async function secondCopy(): Promise<Copy> {
  if (!existsSync(distIndex)) throw new Error(`build @fabric-ts/invoke first: ${distIndex} is missing`);
  return (await import(pathToFileURL(distIndex).href)) as Copy;
}

const exit3 = () => new Result({ command: "exit 3", exited: 3, hide: ["stdout"] });

describe("isInvokeError", () => {
  it("recognises every class and selects by class name (subclasses included) or by code", () => {
    const error = new UnexpectedExit(exit3());
    expect(isInvokeError(error)).toBe(true);
    expect(isInvokeError(error, "UnexpectedExit")).toBe(true);
    expect(isInvokeError(error, "Failure")).toBe(true);
    expect(isInvokeError(error, "InvokeError")).toBe(true);
    expect(isInvokeError(error, "UNEXPECTED_EXIT")).toBe(true);
    expect(isInvokeError(error, "CommandTimedOut")).toBe(false);
    expect(isInvokeError(error, "FAILURE")).toBe(false);
    const sudo = new SudoPasswordRequired(exit3(), "[sudo] password: ");
    expect(isInvokeError(sudo, "AuthFailure")).toBe(true);
    expect(isInvokeError(sudo, "SUDO_PASSWORD_REQUIRED")).toBe(true);
    expect(isInvokeError(sudo, "AUTH_FAILURE")).toBe(false);
  });

  it("puts ConfigError under InvokeError; its codes select it (PARSE_ERROR is shared with ParseError)", () => {
    const config = new ConfigError("bad", { code: "PARSE_ERROR", file: "x.yaml" });
    expect(config).toBeInstanceOf(InvokeError);
    expect(isInvokeError(config, "ConfigError")).toBe(true);
    expect(isInvokeError(config, "PARSE_ERROR")).toBe(true);
    expect(isInvokeError(config, "ParseError")).toBe(false);
    expect(isInvokeError(new ParseError("no"), "ConfigError")).toBe(false);
    expect(isInvokeError(new UncastableEnvVar("m", "INVOKE_X", "x"), "ConfigError")).toBe(true);
    expect(isInvokeError(new UnknownFileType("a.ini", "ini", [".yaml"]), "UNKNOWN_FILE_TYPE")).toBe(true);
  });

  it("rejects look-alikes: a plain Error named like an invoke error, with its code, is not one", () => {
    const fake = Object.assign(new Error("Encountered a bad command exit code!"), {
      name: "UnexpectedExit",
      code: "UNEXPECTED_EXIT",
      result: exit3(),
    });
    expect(isInvokeError(fake)).toBe(false);
    expect(isInvokeError(fake, "UnexpectedExit")).toBe(false);
    expect(isInvokeError(fake, "UNEXPECTED_EXIT")).toBe(false);
    for (const value of [null, undefined, "UnexpectedExit", 42, {}, Object.create(null)]) {
      expect(isInvokeError(value)).toBe(false);
    }
  });

  it("recognises errors made by a second copy of the package, where instanceof fails", async () => {
    const copy = await secondCopy();
    const theirs = new copy.UnexpectedExit(new copy.Result({ command: "exit 3", exited: 3 }));
    expect(theirs).not.toBeInstanceOf(UnexpectedExit);
    expect(copy.isInvokeError(new UnexpectedExit(exit3()), "Failure")).toBe(true);
    expect(isInvokeError(theirs)).toBe(true);
    expect(isInvokeError(theirs, "UnexpectedExit")).toBe(true);
    expect(isInvokeError(theirs, "Failure")).toBe(true);
    expect(isInvokeError(theirs, "UNEXPECTED_EXIT")).toBe(true);
    expect(isInvokeError(theirs, "Exit")).toBe(false);
    const config = new copy.UncastableEnvVar("m", "INVOKE_X", "x");
    expect(config).not.toBeInstanceOf(InvokeError);
    expect(isInvokeError(config, "ConfigError")).toBe(true);
  });

  it("lets the CLI report errors from a second copy with the same exit codes as its own", async () => {
    const copy = await secondCopy();
    const result = new copy.Result({ command: "exit 3", exited: 3, hide: ["stdout"] });
    expect(describeError(new copy.UnexpectedExit(result), false)).toEqual(
      describeError(new UnexpectedExit(exit3()), false),
    );
    expect(describeError(new copy.UnexpectedExit(result), false).exitCode).toBe(3);
    expect(describeError(new copy.Exit("bye", 4), false)).toEqual({ message: "bye", exitCode: 4 });
    expect(describeError(new copy.ParseError("No idea what '--x' is!"), false)).toEqual({
      message: "No idea what '--x' is!",
      exitCode: 1,
    });
    // A look-alike gets the generic report, not UnexpectedExit's exit code.
    const fake = Object.assign(new Error("boom"), { name: "UnexpectedExit" });
    expect(describeError(fake, false)).toEqual({
      message: "UnexpectedExit: boom\n(run with --debug for a stack trace)",
      exitCode: 1,
    });
  });

  it("narrows to the selected class", () => {
    const error: unknown = new CommandTimedOut(exit3(), 5);
    if (isInvokeError(error, "CommandTimedOut")) expectTypeOf(error).toEqualTypeOf<CommandTimedOut>();
    if (isInvokeError(error, "Failure")) expectTypeOf(error.result).toEqualTypeOf<Result>();
    if (isInvokeError(error, "EXIT")) expectTypeOf(error.exitCode).toEqualTypeOf<number>();
    if (isInvokeError(error, "PARSE_ERROR")) expectTypeOf(error).toMatchTypeOf<ParseError | ConfigError>();
    if (isInvokeError(error)) expectTypeOf(error.code).toEqualTypeOf<InvokeErrorCode>();
  });
});

describe("codes", () => {
  it("each class carries its documented code, and its class name selects it", () => {
    const result = exit3();
    const cases: [keyof InvokeErrorClasses, InvokeError, InvokeErrorCode][] = [
      ["InvokeError", new InvokeError("x"), "INVOKE_ERROR"],
      ["Failure", new Failure(result), "FAILURE"],
      ["UnexpectedExit", new UnexpectedExit(result), "UNEXPECTED_EXIT"],
      ["CommandTimedOut", new CommandTimedOut(result, 1), "COMMAND_TIMED_OUT"],
      ["CommandAborted", new CommandAborted(result, "stop"), "COMMAND_ABORTED"],
      ["AuthFailure", new AuthFailure(result, "p"), "AUTH_FAILURE"],
      ["SudoPasswordRequired", new SudoPasswordRequired(result, "p"), "SUDO_PASSWORD_REQUIRED"],
      ["ThreadException", new ThreadException([]), "THREAD_EXCEPTION"],
      ["ParseError", new ParseError("x"), "PARSE_ERROR"],
      ["Exit", new Exit(), "EXIT"],
      ["CollectionNotFound", new CollectionNotFound("tasks", "/"), "COLLECTION_NOT_FOUND"],
      ["TasksFileError", new TasksFileError("tasks.ts", "stalled"), "TASKS_FILE_STALLED"],
      ["SpawnError", new SpawnError("x"), "SPAWN_ERROR"],
      ["NotImplementedError", new NotImplementedError("ls"), "NOT_IMPLEMENTED"],
      ["ConfigError", new ConfigError("x", { code: "UNKNOWN_KEY" }), "UNKNOWN_KEY"],
    ];
    for (const [name, error, code] of cases) {
      expect([name, error.code, error.name]).toEqual([name, code, name]);
      expect(isInvokeError(error, name)).toBe(true);
      expect(isInvokeError(error, code)).toBe(true);
    }
  });
});
