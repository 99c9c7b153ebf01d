import { shellQuote } from "@fabric-ts/ssh-core";
import type { Measurement } from "../measure.js";
import type { Contender, Scenario } from "../scenario.js";
import { workerCommand } from "../scenario.js";
import { checkExit, checkLines, workerReport } from "../verify.js";

/** parallel-ssh -i interleaves status lines with output: count only the output lines. */
function checkOkLines(run: Measurement, count: number): string | undefined {
  const exit = checkExit(run);
  if (exit) return exit;
  const ok = run.stdout.split("\n").filter((line) => line.trim() === "ok").length;
  return ok === count ? undefined : `expected ${count} "ok" lines, got ${ok}`;
}

function fanout(hosts: number, concurrency: number, id: string): Scenario {
  return {
    id,
    title: `(c) one command on ${hosts} hosts at once${concurrency < hosts ? ` (at most ${concurrency} connections in flight)` : ""}`,
    async plan(ctx) {
      const fleet = await ctx.pool.fleet(`c${hosts}`, hosts);
      await ctx.addToHome(fleet);
      const spec = { ...fleet, mode: "group" as const, command: "echo ok", concurrency };
      const verify = (run: Measurement) => checkLines(run, "ok", hosts);
      const verifyWorker = (run: Measurement) => {
        const failures = workerReport(run.stdout).failures;
        return failures ? `${failures} hosts failed` : verify(run);
      };
      const ssh = `ssh -F ${shellQuote(fleet.sshConfigPath)}`;
      // Spawning one ssh per host costs ~40 s per round at 500 hosts: full mode only.
      const slowPeer = hosts > 100 && ctx.quick ? { unavailable: "full mode only (slow at 500 hosts)" } : {};
      const contenders: Contender[] = [
        {
          name: "fabric-ts ThreadingGroup.run",
          role: "fabric-ts",
          command: workerCommand(ctx, "fabric-ts", spec),
          verify,
        },
        {
          name: `ssh-core SshClient × ${hosts} (limit ${concurrency})`,
          role: "stand-in",
          command: workerCommand(ctx, "ssh-core", spec),
          verify: verifyWorker,
        },
        {
          name: `OpenSSH ssh via xargs -P ${concurrency}`,
          role: "peer",
          ...slowPeer,
          command: {
            argv: [`xargs -P ${concurrency} -I{} ${ssh} {} echo ok < ${shellQuote(fleet.hostsFilePath)}`],
            shell: true,
          },
          verify,
        },
        {
          name: `parallel-ssh -p ${concurrency}`,
          role: "peer",
          ...(ctx.parallelSsh ? slowPeer : { unavailable: "pssh is not installed" }),
          command: {
            argv: [
              ctx.parallelSsh ?? "",
              ...["-h", fleet.hostsFilePath, "-p", String(concurrency), "-t", "0", "-i"],
              ...["-x", `-F ${fleet.sshConfigPath}`],
              "echo ok",
            ],
          },
          verify: (run) => checkOkLines(run, hosts),
        },
      ];
      const pythonUnavailable = !ctx.python
        ? "python3-fabric is not installed"
        : hosts > 100 && ctx.quick
          ? "full mode only (one thread per host)"
          : undefined;
      contenders.push({
        name: `Python Fabric ThreadingGroup (${hosts} threads, no limit)`,
        role: "peer",
        ...(pythonUnavailable ? { unavailable: pythonUnavailable } : {}),
        command: {
          argv: [ctx.python ?? "", ctx.pythonScript, "group", "echo ok", ...fleet.addresses],
          env: ctx.env,
        },
        verify,
      });
      return { contenders };
    },
  };
}

export const fanout50 = fanout(50, 50, "c50");
export const fanout500 = fanout(500, 100, "c500");
