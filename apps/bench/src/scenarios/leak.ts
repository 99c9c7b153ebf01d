import type { Measurement } from "../measure.js";
import type { Scenario } from "../scenario.js";
import { workerCommand } from "../scenario.js";
import { checkExit, workerReport } from "../verify.js";

export const LEAK_COMMANDS = 1000;
/** Commands run before the first sample: V8 tiering and allocator warm-up settle within ~1,000 here. */
export const LEAK_WARMUP = 1000;

/** (f) RSS and heap after a warm-up and again after 1,000 more commands on the same connection. */
export const leak: Scenario = {
  id: "f",
  title: `(f) ${LEAK_COMMANDS} commands on one connection after ${LEAK_WARMUP} warm-up commands: RSS before and after (after GC)`,
  async plan(ctx) {
    const host = ctx.pool.single;
    const spec = {
      ...host,
      mode: "leak" as const,
      command: "echo ok",
      count: LEAK_COMMANDS,
      warmup: LEAK_WARMUP,
    };
    const verify = (run: Measurement) => {
      const exit = checkExit(run);
      if (exit) return exit;
      const ok = workerReport(run.stdout).ok;
      return ok === LEAK_COMMANDS ? undefined : `only ${ok ?? 0} of ${LEAK_COMMANDS} commands printed "ok"`;
    };
    return {
      contenders: [
        {
          name: "fabric-ts Connection.run",
          role: "fabric-ts",
          command: workerCommand(ctx, "fabric-ts", spec, ["--expose-gc"]),
          verify,
        },
        {
          name: "ssh-core SshClient.run",
          role: "stand-in",
          command: workerCommand(ctx, "ssh-core", spec, ["--expose-gc"]),
          verify,
        },
      ],
    };
  },
};
