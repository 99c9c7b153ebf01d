/**
 * Fuzzing configuration input: config files (random and mutated YAML/JSON, wrong types at known
 * keys, deep nesting, huge strings, alias bombs), environment variables and `--set` arguments.
 * Only ConfigError (and its subclasses) may come out, Object.prototype is never touched, and no
 * case may hang (each runs in a worker that is killed when it stops answering).
 */
import { readFileSync } from "node:fs";
import { BoundedRunner } from "@fabric-ts/testing/fuzz";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import {
  aliasBomb,
  applyMutation,
  configTree,
  deepJson,
  envText,
  FUZZ_TIMEOUT,
  mutation,
  runs,
  SEED,
  setArgument,
  yamlSoup,
} from "./arbitraries.js";
import type { ConfigCase, ConfigOutcome } from "./config.handler.js";

const runner = new BoundedRunner<ConfigCase, ConfigOutcome>(new URL("./config.handler.ts", import.meta.url));
afterAll(() => runner.stop());

const CODES = [
  "INVALID_VALUE",
  "UNKNOWN_KEY",
  "UNKNOWN_SECTION",
  "KEY_CONFLICT",
  "PARSE_ERROR",
  "UNCASTABLE_ENV_VAR",
  "AMBIGUOUS_ENV_VAR",
  "AMBIGUOUS_MERGE",
  "INVALID_SET_ARGUMENT",
];

async function onlyConfigErrors(input: ConfigCase): Promise<ConfigOutcome> {
  const outcome = await runner.run(input);
  if (outcome.kind === "crash") {
    throw new Error(`Config crashed with ${outcome.name}: ${outcome.message}\n${outcome.stack}`);
  }
  if (outcome.kind === "typed") expect(CODES).toContain(outcome.code);
  expect(outcome.polluted, "Object.prototype / Array.prototype changed").toBe(false);
  return outcome;
}

const REAL_FILES = [
  readFileSync(new URL("../../fixtures/config/python-style/invoke.yaml", import.meta.url), "utf8"),
  readFileSync(new URL("../../fixtures/project/invoke.yaml", import.meta.url), "utf8"),
  stringify({ run: { echo: true, env: { A: "b" }, hide: "both" }, timeouts: { command: 5 }, deploy: [1, 2] }),
];

describe("config file fuzz: only ConfigError, never a crash, a hang or prototype pollution", () => {
  it(
    "random bytes as YAML and JSON",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.uint8Array({ maxLength: 400 }),
          fc.constantFrom("yaml", "json") as fc.Arbitrary<"yaml" | "json">,
          async (bytes, suffix) => {
            await onlyConfigErrors({ kind: "file", suffix, text: Buffer.from(bytes).toString("latin1") });
          },
        ),
        { seed: SEED, numRuns: runs(300) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "YAML token soup (anchors, aliases, tags, merge keys, flow, documents)",
    async () => {
      await fc.assert(
        fc.asyncProperty(yamlSoup, async (text) => {
          await onlyConfigErrors({ kind: "file", suffix: "yml", text });
        }),
        { seed: SEED, numRuns: runs(500) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "mutated real config files",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...REAL_FILES),
          fc.array(mutation, { minLength: 1, maxLength: 4 }),
          async (text, mutations) => {
            await onlyConfigErrors({
              kind: "file",
              suffix: "yaml",
              text: mutations.reduce(applyMutation, text),
            });
          },
        ),
        { seed: SEED, numRuns: runs(400) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "wrong types at known keys, __proto__/constructor keys, huge strings, as YAML and JSON",
    async () => {
      await fc.assert(
        fc.asyncProperty(configTree, fc.boolean(), async (tree, asJson) => {
          const text = asJson ? JSON.stringify(tree) : stringify(tree);
          await onlyConfigErrors({ kind: "file", suffix: asJson ? "json" : "yaml", text });
        }),
        { seed: SEED, numRuns: runs(400) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "deep nesting is accepted up to a bound, then a ConfigError (not a stack overflow)",
    async () => {
      await fc.assert(
        fc.asyncProperty(deepJson, async (text) => {
          await onlyConfigErrors({ kind: "file", suffix: "json", text });
        }),
        { seed: SEED, numRuns: runs(60) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "YAML alias bombs (billion laughs) and self-referencing anchors fail fast",
    async () => {
      await fc.assert(
        fc.asyncProperty(aliasBomb, async (text) => {
          await onlyConfigErrors({ kind: "file", suffix: "yaml", text });
        }),
        { seed: SEED, numRuns: runs(60) },
      );
    },
    FUZZ_TIMEOUT,
  );
});

describe("environment and --set fuzz", () => {
  const ENV_VARS = [
    "INVOKE_RUN_ECHO",
    "INVOKE_RUN_SHELL",
    "INVOKE_RUN_HIDE",
    "INVOKE_RUN_ENV",
    "INVOKE_RUN_WATCHERS",
    "INVOKE_TIMEOUTS_COMMAND",
    "INVOKE_SUDO_PASSWORD",
    "INVOKE_TASKS_DEDUPE",
    "INVOKE_DEPLOY_PORT",
    "INVOKE_DEPLOY_RATIO",
    "INVOKE_DEPLOY_NAME",
    "INVOKE_DEPLOY_FAST",
    "INVOKE_DEPLOY_NOTHING",
    "INVOKE_DEPLOY_LIST",
  ];

  it(
    "random strings in env vars cast to the target type or fail with a ConfigError",
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom(...ENV_VARS), envText, { maxKeys: 4 }),
          async (env) => {
            const outcome = await onlyConfigErrors({ kind: "env", env });
            if (outcome.kind !== "ok") return;
            // Whatever was accepted has the type of the key it replaced.
            expect(typeof outcome.values["run.echo"]).toBe("boolean");
            expect(typeof outcome.values["deploy.fast"]).toBe("boolean");
            expect(Number.isFinite(outcome.values["deploy.port"] as number)).toBe(true);
            expect(typeof outcome.values["run.shell"]).toBe("string");
          },
        ),
        { seed: SEED, numRuns: runs(500) },
      );
    },
    FUZZ_TIMEOUT,
  );

  it(
    "random --set arguments are applied or fail with a ConfigError",
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(setArgument, { minLength: 1, maxLength: 3 }), async (args) => {
          await onlyConfigErrors({ kind: "set", args });
        }),
        { seed: SEED, numRuns: runs(600) },
      );
    },
    FUZZ_TIMEOUT,
  );
});
