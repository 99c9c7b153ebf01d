import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { shellQuote } from "@fabric-ts/ssh-core";
import { chownToUser, copyTree, writeRandomFile } from "../files.js";
import type { Measurement } from "../measure.js";
import type { BenchContext, Contender, Scenario } from "../scenario.js";
import { workerCommand } from "../scenario.js";
import { checkExit, sha256File } from "../verify.js";

export const BIG_FILE_BYTES = 256 * 1024 * 1024;

interface BigFile {
  local: string;
  remote: string;
  sha256: string;
}

let prepared: Promise<BigFile> | undefined;

/** One random 256 MiB file locally and a copy on the "remote" side, shared by put and get. */
function bigFile(ctx: BenchContext): Promise<BigFile> {
  prepared ??= (async () => {
    const local = join(ctx.workDir, "big.bin");
    const remote = join(ctx.remoteDir, "big-src.bin");
    await writeRandomFile(local, BIG_FILE_BYTES);
    await copyTree(local, remote);
    await chownToUser(remote, ctx.pool.harness.user);
    return { local, remote, sha256: await sha256File(local) };
  })();
  return prepared;
}

function transfer(direction: "put" | "get"): Scenario {
  return {
    id: `d-${direction}`,
    title: `(d) 256 MiB file ${direction}`,
    bytes: BIG_FILE_BYTES,
    async plan(ctx) {
      const host = ctx.pool.single;
      const address = host.addresses[0]!;
      const file = await bigFile(ctx);
      const destination =
        direction === "put" ? join(ctx.remoteDir, "big-put.bin") : join(ctx.workDir, "big-get.bin");
      const [from, to] = direction === "put" ? [file.local, destination] : [file.remote, destination];
      const prepare = () => rm(destination, { force: true });
      const verify = async (run: Measurement) => {
        const exit = checkExit(run);
        if (exit) return exit;
        const sha = await sha256File(destination).catch(() => "missing");
        return sha === file.sha256 ? undefined : `sha256 of ${destination} differs from the source (${sha})`;
      };
      const spec = {
        ...host,
        mode: direction,
        local: direction === "put" ? from : to,
        remote: direction === "put" ? to : from,
      };
      const ssh = `ssh -F ${shellQuote(host.sshConfigPath)}`;
      const batch = join(ctx.workDir, `sftp-${direction}.batch`);
      const sftpLine = direction === "put" ? `put ${from} ${to}` : `get ${from} ${to}`;
      const contenders: Contender[] = [
        {
          name: `fabric-ts Connection.${direction}`,
          role: "fabric-ts",
          prepare,
          command: workerCommand(ctx, "fabric-ts", spec),
          verify,
        },
        {
          name: `OpenSSH sftp ${direction}`,
          role: "peer",
          prepare: async () => {
            await prepare();
            await writeFile(batch, `${sftpLine}\n`);
          },
          command: { argv: ["sftp", "-q", "-F", host.sshConfigPath, "-b", batch, "host1"] },
          verify,
        },
        {
          name: "OpenSSH scp",
          role: "peer",
          prepare,
          command: {
            argv:
              direction === "put"
                ? ["scp", "-q", "-F", host.sshConfigPath, from, `host1:${to}`]
                : ["scp", "-q", "-F", host.sshConfigPath, `host1:${from}`, to],
          },
          verify,
        },
        {
          name: "OpenSSH ssh + cat (stream, no SFTP)",
          role: "reference",
          prepare,
          command: {
            argv: [
              direction === "put"
                ? `${ssh} host1 ${shellQuote(`cat > ${shellQuote(to)}`)} < ${shellQuote(from)}`
                : `${ssh} host1 ${shellQuote(`cat ${shellQuote(from)}`)} > ${shellQuote(to)}`,
            ],
            shell: true,
          },
          verify,
        },
        {
          name: `Python Fabric Connection.${direction}`,
          role: "peer",
          ...(ctx.python ? {} : { unavailable: "python3-fabric is not installed" }),
          prepare,
          command: { argv: [ctx.python ?? "", ctx.pythonScript, direction, address, from, to], env: ctx.env },
          verify,
        },
        {
          name: `raw ssh2 fast${direction === "put" ? "Put" : "Get"} (64 × 32 KiB in flight)`,
          role: "reference",
          prepare,
          command: workerCommand(ctx, "ssh2", spec),
          verify,
        },
      ];
      return { contenders };
    },
  };
}

export const bigFilePut = transfer("put");
export const bigFileGet = transfer("get");
