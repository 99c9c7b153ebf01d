/**
 * Fuzzing the command line over a real collection (the tree fixture plus a task with every flag
 * kind): the Parser only ever throws ParseError, and Program.run() never throws, always returns an
 * integer exit code, and prints a stack trace only when --debug asked for one.
 */

import { BoundedRunner } from "@fabric-ts/testing/fuzz";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { argvTokens, FUZZ_TIMEOUT, runs, SEED } from "./arbitraries.js";
import type { ArgvCase, ArgvOutcome } from "./argv.handler.js";

const runner = new BoundedRunner<ArgvCase, ArgvOutcome>(new URL("./argv.handler.ts", import.meta.url));
afterAll(() => runner.stop());

const STACK_LINE = /^\s+at .+[(:]/m;

async function noCrash(input: ArgvCase): Promise<ArgvOutcome> {
  const outcome = await runner.run(input);
  if (outcome.kind === "crash") {
    throw new Error(`${input.kind} threw ${outcome.name}: ${outcome.message}\n${outcome.stack}`);
  }
  return outcome;
}

describe("argv fuzz", () => {
  it(
    "Parser: random token lists parse or throw ParseError",
    async () => {
      let rejected = 0;
      await fc.assert(
        fc.asyncProperty(argvTokens, async (argv) => {
          const outcome = await noCrash({ kind: "parser", argv });
          if (outcome.kind === "typed") rejected++;
        }),
        { seed: SEED, numRuns: runs(1000) },
      );
      expect(rejected).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT,
  );

  it(
    "Program.run: never throws, returns an integer, no stack trace without --debug",
    async () => {
      const codes = new Set<unknown>();
      await fc.assert(
        fc.asyncProperty(argvTokens, async (argv) => {
          const outcome = await noCrash({ kind: "program", argv });
          if (outcome.kind !== "exited") throw new Error(`unexpected outcome ${outcome.kind}`);
          codes.add(outcome.code);
          expect(Number.isInteger(outcome.code), `exit code ${String(outcome.code)}`).toBe(true);
          const printed = outcome.stdout + outcome.stderr;
          if (STACK_LINE.test(printed)) {
            // Only --debug (which also logs "inv: core parse: …") may show a stack.
            expect(outcome.stderr, printed).toContain("inv: core parse:");
          }
        }),
        { seed: SEED, numRuns: runs(800) },
      );
      // Both successes and failures were reached.
      expect(codes).toContain(0);
      expect(codes).toContain(1);
    },
    FUZZ_TIMEOUT,
  );
});
