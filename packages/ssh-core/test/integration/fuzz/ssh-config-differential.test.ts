/**
 * Differential fuzzing: generated configs in a safe grammar (no `Match exec`, no DNS) give the
 * same `-G` listing, the same messages and the same exit status from us as from the real OpenSSH
 * client on this machine.
 */
import { spawnSync } from "node:child_process";
import { BoundedRunner } from "@fabric-ts/testing/fuzz";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { differentialCase, FUZZ_TIMEOUT, runs, SEED } from "../../support/fuzz-arbitraries.js";
import type { DifferentialCase, Transcript } from "./ssh-g.handler.js";

const runner = new BoundedRunner<DifferentialCase, { real: Transcript; ours: Transcript }>(
  new URL("./ssh-g.handler.ts", import.meta.url),
);
afterAll(() => runner.stop());

const PSEUDO_TTY = "Pseudo-terminal will not be allocated because stdin is not a terminal.";
const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.replace(/\r$/, ""))
    .filter((line) => line !== "" && line !== PSEUDO_TTY);

describe("ssh -G differential fuzz", () => {
  it("runs against a real OpenSSH client", () => {
    const version = spawnSync("ssh", ["-V"], { encoding: "utf8" });
    expect(version.error, "ssh must be installed for the differential fuzz").toBeUndefined();
    expect(version.stderr).toMatch(/^OpenSSH_/);
  });

  it(
    "our -G output, messages and status equal real ssh -G on generated configs",
    async () => {
      let failures = 0;
      await fc.assert(
        fc.asyncProperty(differentialCase, async (input) => {
          const { real, ours } = await runner.run(input);
          if (real.status === 0) failures += 0;
          else failures++;
          expect(lines(ours.stdout), "ssh -G listing").toEqual(lines(real.stdout));
          expect(lines(ours.stderr), "messages").toEqual(lines(real.stderr));
          expect(ours.status, "exit status").toBe(real.status);
        }),
        { seed: SEED, numRuns: runs(300) },
      );
      // The grammar produces both accepted and rejected configs.
      expect(failures).toBeGreaterThan(0);
      expect(failures).toBeLessThan(runs(300));
    },
    FUZZ_TIMEOUT,
  );
});
