import { shellQuote } from "@fabric-ts/ssh-core";
import type { Scenario } from "../scenario.js";
import { workerCommand } from "../scenario.js";
import { checkLines } from "../verify.js";

export const SEQUENTIAL_COMMANDS = 200;

/** (b) 200 commands one after another on one connection. */
export const sequential: Scenario = {
  id: "b",
  title: `(b) ${SEQUENTIAL_COMMANDS} sequential commands on one connection`,
  async plan(ctx) {
    const host = ctx.pool.single;
    const address = host.addresses[0]!;
    const n = SEQUENTIAL_COMMANDS;
    const spec = { ...host, mode: "seq" as const, command: "echo ok", count: n };
    const verify = (run: Parameters<typeof checkLines>[0]) => checkLines(run, "ok", n);
    const ssh = `ssh -F ${shellQuote(host.sshConfigPath)}`;
    const control = `-o ControlPath=${shellQuote(ctx.workDir)}/cm-$$`;
    const controlMaster = [
      `${ssh} ${control} -o ControlMaster=yes -o ControlPersist=yes -fN host1`,
      `for i in $(seq ${n}); do ${ssh} ${control} host1 echo ok || exit 1; done`,
      `${ssh} ${control} -O exit host1 2>/dev/null`,
    ].join("\n");
    return {
      contenders: [
        {
          name: "fabric-ts Connection.run",
          role: "fabric-ts",
          command: workerCommand(ctx, "fabric-ts", spec),
          verify,
        },
        {
          name: "ssh-core SshClient.run",
          role: "stand-in",
          command: workerCommand(ctx, "ssh-core", spec),
          verify,
        },
        {
          name: "OpenSSH ssh, ControlMaster",
          role: "peer",
          command: { argv: [controlMaster], shell: true },
          verify,
        },
        {
          name: "Python Fabric Connection.run",
          role: "peer",
          ...(ctx.python ? {} : { unavailable: "python3-fabric is not installed" }),
          command: {
            argv: [ctx.python ?? "", ctx.pythonScript, "seq", address, String(n), "echo ok"],
            env: ctx.env,
          },
          verify,
        },
        {
          name: "raw ssh2 + TCP_NODELAY",
          role: "reference",
          command: workerCommand(ctx, "ssh2", spec),
          verify,
        },
      ],
    };
  },
};
