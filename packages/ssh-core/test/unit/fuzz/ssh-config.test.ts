/**
 * Fuzzing the ssh_config resolver: random bytes, token soup built from real keywords, and
 * mutations of the conformance corpus. Whatever the input, `resolveSshConfigSync` returns a result
 * or throws an `SshConfigError` with a known code: never another error, never a hang (each case
 * runs in a worker that is killed when it stops answering), and `Match exec` never spawns anything.
 */

import { BoundedRunner } from "@fabric-ts/testing/fuzz";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  applyMutation,
  configLine,
  configText,
  destination,
  FUZZ_TIMEOUT,
  mutation,
  optionsFromArgs,
  runs,
  SEED,
} from "../../support/fuzz-arbitraries.js";
import { loadCorpus } from "../../support/ssh-config-corpus.js";
import { type CaseOutcome, CODES, type ConfigCase } from "./ssh-config.handler.js";

const runner = new BoundedRunner<ConfigCase, CaseOutcome>(
  new URL("./ssh-config.handler.ts", import.meta.url),
);
afterAll(() => runner.stop());

/** The property every case must satisfy; returns the outcome for extra checks. */
async function resolvesOrTypedError(input: ConfigCase): Promise<CaseOutcome> {
  const outcome = await runner.run(input);
  if (outcome.kind === "crash") {
    throw new Error(`resolver crashed with ${outcome.name}: ${outcome.message}\n${outcome.stack}`);
  }
  if (outcome.kind === "typed") expect(CODES, `unknown code ${outcome.code}`).toContain(outcome.code);
  return outcome;
}

const latin1 = (bytes: Uint8Array) => Buffer.from(bytes).toString("latin1");

describe("ssh_config fuzz: only typed errors, never a crash or a hang", () => {
  it(
    "random bytes as the -F file",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), destination, async (bytes, host) => {
          await resolvesOrTypedError({ files: { config: latin1(bytes) }, configFile: "config", host });
        }),
        { seed: SEED, numRuns: runs(300) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "random bytes as the user file and an included file (permission checks, Include paths)",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 300 }),
          fc.uint8Array({ maxLength: 300 }),
          async (a, b) => {
            await resolvesOrTypedError({
              files: { ".ssh/config": `Include one.conf\n${latin1(a)}`, ".ssh/one.conf": latin1(b) },
              host: "foo",
            });
          },
        ),
        { seed: SEED, numRuns: runs(150) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "token soup of real keywords, values, quotes, =, #, Host/Match/Include lines",
    async () => {
      let execSeen = 0;
      await fc.assert(
        fc.asyncProperty(
          configText,
          configText,
          configText,
          destination,
          fc.array(configLine, { maxLength: 2 }),
          async (main, one, two, host, extraOptions) => {
            const outcome = await resolvesOrTypedError({
              files: {
                config: main,
                ".ssh/one.conf": one,
                ".ssh/two.conf": two,
                ".ssh/conf.d/a": one,
                ".ssh/conf.d/b": two,
              },
              configFile: "config",
              host,
              extraOptions,
            });
            if (outcome.kind !== "crash") execSeen += outcome.execCalls.length;
          },
        ),
        { seed: SEED, numRuns: runs(600) },
      );
      // The generator does reach `Match exec`, and every such command went to the fake runner.
      expect(execSeen).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT,
  );

  it(
    "mutations of every real corpus file (flips, line deletions/duplications/swaps, truncation, quotes)",
    async () => {
      const corpus = loadCorpus();
      await fc.assert(
        fc.asyncProperty(
          fc.nat({ max: corpus.length - 1 }),
          fc.nat(),
          fc.array(mutation, { minLength: 1, maxLength: 4 }),
          async (caseIndex, fileIndex, mutations) => {
            const testCase = corpus[caseIndex]!;
            const files = { ...testCase.files };
            const names = Object.keys(files);
            if (names.length > 0) {
              const target = names[fileIndex % names.length]!;
              files[target] = mutations.reduce(applyMutation, files[target]!);
            }
            const args = testCase.args.map((arg) => arg.replace(/^\$HOME\//, ""));
            await resolvesOrTypedError({ files, ...optionsFromArgs(args) });
          },
        ),
        { seed: SEED, numRuns: runs(700) },
      );
    },
    FUZZ_TIMEOUT,
  );
});

describe("ssh_config fuzz: Include cycles and Match exec", () => {
  it(
    "random Include graphs (self-includes, cycles, globs) terminate",
    async () => {
      const names = ["a", "b", "c", "d"];
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(fc.constantFrom(...names, "*", "?", "[ab]"), { maxLength: 3 }), {
            minLength: 4,
            maxLength: 4,
          }),
          fc.constantFrom(...names),
          async (edges, start) => {
            const files: Record<string, string> = { config: `Include ${start}\n` };
            names.forEach((name, i) => {
              const includes = edges[i]!.map((target) => `Include ${target}\n`).join("");
              files[`.ssh/${name}`] = `Port ${2000 + i}\n${includes}`;
            });
            const outcome = await resolvesOrTypedError({ files, configFile: "config", host: "foo" });
            if (outcome.kind === "typed") expect(outcome.code).toBe("INCLUDE_DEPTH");
          },
        ),
        { seed: SEED, numRuns: runs(150) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it("a file that includes itself fails with INCLUDE_DEPTH", async () => {
    const outcome = await runner.run({
      files: { config: "Include config\n", ".ssh/config": "Include config\n" },
      configFile: "config",
      host: "foo",
    });
    expect(outcome).toMatchObject({ kind: "typed", code: "INCLUDE_DEPTH" });
  });

  it("Match exec goes to the injected runner, never to a shell", async () => {
    const outcome = await runner.run({
      files: { config: `Match exec "touch /tmp/should-not-exist-%h"\n  Port 2\nMatch exec ab\n  Port 3\n` },
      configFile: "config",
      host: "foo",
    });
    expect(outcome).toEqual({
      kind: "ok",
      lines: expect.any(Number),
      execCalls: ["touch /tmp/should-not-exist-foo", "ab"],
    });
  });
});
