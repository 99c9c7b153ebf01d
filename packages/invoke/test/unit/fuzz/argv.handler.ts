/**
 * Worker-side argv case: the token list goes through the Parser (core flags plus the tree fixture's
 * tasks and a task with every argument kind), or through a whole Program run over that collection
 * with captured output streams and an isolated Config (no system/user files, no environment).
 */
import { Writable } from "node:stream";
import { z } from "zod";
import { Collection } from "../../../src/collection.js";
import { Config, type ConfigOptions } from "../../../src/config/config.js";
import { ParseError } from "../../../src/errors.js";
import { Parser } from "../../../src/parser/parser.js";
import { ParserContext } from "../../../src/parser/parser-context.js";
import { defaultCoreArgs, defaultTaskArgs } from "../../../src/program/core-args.js";
import { Program } from "../../../src/program/program.js";
import { count } from "../../../src/tasks/count.js";
import { task } from "../../../src/tasks/task.js";
import * as build from "../../fixtures/tree/build.js";
import * as deploy from "../../fixtures/tree/deploy.js";
import * as provision from "../../fixtures/tree/provision.js";
import { shell, test } from "../../fixtures/tree/tasks.js";

export interface ArgvCase {
  kind: "parser" | "program";
  argv: string[];
}

export type ArgvOutcome =
  | { kind: "parsed"; contexts: number }
  | { kind: "typed"; name: string; message: string }
  | { kind: "exited"; code: unknown; stdout: string; stderr: string }
  | { kind: "crash"; name: string; message: string; stack: string };

const ship = task(
  {
    args: {
      branch: z.string().default("main"),
      dryRun: z.boolean().default(false),
      retries: z.coerce.number().int().default(2),
      ratio: z.number().optional(),
      hosts: z.array(z.string()).default([]),
      verbose: count(),
      color: z.boolean().default(true),
    },
  },
  () => {},
);

/** The tree fixture (Invoke's tests/_support/tree) plus `ship`, whose flags cover every kind. */
const namespace = new Collection({ shell, test, build: build.ns, deploy, provision, ship });

/** Each parse clones the contexts it fills, so one parser serves every case. */
const parser = new Parser({
  initial: new ParserContext({ args: [...defaultCoreArgs(), ...defaultTaskArgs()] }),
  contexts: namespace.toContexts(),
});

class IsolatedConfig extends Config {
  constructor(options: ConfigOptions = {}) {
    super({ ...options, systemPrefix: "/nonexistent/", userPrefix: "/nonexistent/.", env: {} });
  }
}

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return { stream, text: () => chunks.join("") };
}

export async function handle(input: ArgvCase): Promise<ArgvOutcome> {
  try {
    if (input.kind === "parser") {
      return { kind: "parsed", contexts: parser.parseArgv(input.argv).contexts.length };
    }
    const out = sink();
    const err = sink();
    const program = new Program({
      namespace,
      binary: "inv",
      configClass: IsolatedConfig,
      stdout: out.stream,
      stderr: err.stream,
    });
    const code: unknown = await program.run(input.argv);
    return { kind: "exited", code, stdout: out.text(), stderr: err.text() };
  } catch (error) {
    if (error instanceof ParseError) return { kind: "typed", name: error.name, message: error.message };
    const e = error as Error;
    return { kind: "crash", name: e?.name, message: String(e?.message), stack: String(e?.stack) };
  }
}
