import { join } from "node:path";
import { shellQuote } from "@fabric-ts/ssh-core";
import { stopMasters } from "@fabric-ts/ssh-core/mux";
import type { Measurement } from "../measure.js";
import type { BenchContext, Contender, Scenario } from "../scenario.js";
import { checkExit } from "../verify.js";

/** The fabfile of (h), beside the bench (so that it resolves @fabric-ts/fabric as a user's would). */
const FABFILE_DIR = join(import.meta.dirname, "..", "..", "fixtures", "persist");

/** Masters of the warm rows live here, apart from anything else on the machine. */
function warmEnv(ctx: BenchContext): NodeJS.ProcessEnv {
  return { ...ctx.env, XDG_RUNTIME_DIR: join(ctx.workDir, "run") };
}

const controlDir = (ctx: BenchContext) => join(ctx.workDir, "run", "fabric-ts");

/**
 * (a)-warm: `fab -H h -- true` when a master already holds the connection (started by the untimed
 * warm-up run and kept for the whole scenario), beside `ssh h true` cold and OpenSSH's own
 * ControlPersist master.
 */
export const startupWarm: Scenario = {
  id: "a-warm",
  title: "(a)-warm one command through a warm connection, whole process",
  async plan(ctx) {
    const host = ctx.pool.single;
    const address = host.addresses[0]!;
    const unavailable = ctx.fabCli ? {} : { unavailable: "no built fab CLI" };
    const controlPath = join(ctx.workDir, "ssh-cm-%C");
    const contenders: Contender[] = [
      {
        name: "fabric-ts `fab --persist -H h -- true`, warm master",
        role: "fabric-ts",
        ...unavailable,
        command: {
          argv: [process.execPath, ctx.fabCli ?? "", "--persist=30m", "-H", address, "--", "true"],
          env: warmEnv(ctx),
        },
        verify: checkExit,
      },
      {
        name: "OpenSSH `ssh h true` (cold)",
        role: "peer",
        command: { argv: ["ssh", "-F", host.sshConfigPath, "host1", "true"] },
        verify: checkExit,
      },
      {
        name: "OpenSSH `ssh h true`, warm ControlPersist master",
        role: "peer",
        command: {
          argv: [
            "ssh",
            ...["-F", host.sshConfigPath, "-o", "ControlMaster=auto", "-o", `ControlPath=${controlPath}`],
            ...["-o", "ControlPersist=30m", "host1", "true"],
          ],
        },
        verify: checkExit,
      },
      {
        name: "fabric-ts `fab -H h -- true` (cold)",
        role: "reference",
        ...unavailable,
        command: { argv: [process.execPath, ctx.fabCli ?? "", "-H", address, "--", "true"], env: ctx.env },
        verify: checkExit,
      },
    ];
    return {
      contenders,
      teardown: async () => {
        await stopMasters({ dir: controlDir(ctx) });
        await runQuiet([
          "ssh",
          "-F",
          host.sshConfigPath,
          "-o",
          `ControlPath=${controlPath}`,
          "-O",
          "exit",
          "host1",
        ]);
      },
    };
  },
};

/** `ok` lines of ten runs on every host (fab prefixes nothing for a task's output lines). */
function checkOk(run: Measurement, expected: number): string | undefined {
  const exit = checkExit(run);
  if (exit) {
    // The lines naming each failed host and why (after "N of M hosts failed:").
    const lines = run.stderr.split("\n");
    const from = lines.findIndex((line) => /hosts? failed:$/.test(line));
    const why = from === -1 ? lines.filter((line) => /error|warm/i.test(line)) : lines.slice(from + 1);
    return `${exit}${why.length ? ` | ${why.slice(0, 3).join(" | ").trim().slice(0, 600)}` : ""}`;
  }
  const ok = run.stdout.split("\n").filter((line) => /(^|\s)ok$/.test(line.trim())).length;
  return ok === expected ? undefined : `expected ${expected} "ok" lines, got ${ok}`;
}

/**
 * (h) ten consecutive `fab -P -H <20 hosts> check` runs, as a CI script would make them: with
 * `--persist` (each measured run starts with no master, so the first of the ten starts them all)
 * against the same ten runs each connecting anew.
 */
export const persistFanout: Scenario = {
  id: "h",
  title: "(h) ten consecutive `fab -P -H <20 hosts> check` runs, with and without --persist",
  async plan(ctx) {
    const fleet = await ctx.pool.fleet("h20", 20);
    await ctx.addToHome(fleet);
    const hosts = fleet.addresses.join(",");
    const loop = (flags: string) =>
      `for i in 1 2 3 4 5 6 7 8 9 10; do ${shellQuote(process.execPath)} ${shellQuote(ctx.fabCli ?? "")} -r ${shellQuote(FABFILE_DIR)} -P ${flags}-H ${hosts} check || exit 1; done`;
    const unavailable = ctx.fabCli ? {} : { unavailable: "no built fab CLI" };
    const verify = (run: Measurement) => checkOk(run, 10 * fleet.addresses.length);
    return {
      contenders: [
        {
          name: "fabric-ts 10 × `fab -P --persist`, masters started by the first run",
          role: "fabric-ts",
          ...unavailable,
          prepare: () => stopMasters({ dir: controlDir(ctx) }).then(() => {}),
          command: { argv: [loop("--persist=30m ")], shell: true, env: warmEnv(ctx) },
          verify,
        },
        {
          name: "fabric-ts 10 × `fab -P`, a new connection per run",
          role: "reference",
          ...unavailable,
          command: { argv: [loop("")], shell: true, env: ctx.env },
          verify,
        },
        {
          name: "fabric-ts 10 × `fab -P --persist`, masters already warm",
          role: "reference",
          ...unavailable,
          command: { argv: [loop("--persist=30m ")], shell: true, env: warmEnv(ctx) },
          verify,
        },
      ],
      teardown: () => stopMasters({ dir: controlDir(ctx) }).then(() => {}),
    };
  },
};

async function runQuiet(argv: string[]): Promise<void> {
  const { spawn } = await import("node:child_process");
  await new Promise<void>((resolve) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: "ignore" });
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
}
