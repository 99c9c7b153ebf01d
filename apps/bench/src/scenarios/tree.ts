import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { shellQuote } from "@fabric-ts/ssh-core";
import { chownToUser, copyTree, writeRandomTree } from "../files.js";
import type { Measurement } from "../measure.js";
import { type BenchContext, type Contender, type Scenario, workerCommand } from "../scenario.js";
import { checkExit, treeDigest } from "../verify.js";

export const TREE_FILES = 2000;
export const TREE_FILE_BYTES = 4096;

interface Tree {
  local: string;
  remote: string;
  digest: string;
}

let prepared: Promise<Tree> | undefined;

function tree(ctx: BenchContext): Promise<Tree> {
  prepared ??= (async () => {
    const local = join(ctx.workDir, "tree-src");
    const remote = join(ctx.remoteDir, "tree-src");
    await writeRandomTree(local, TREE_FILES, TREE_FILE_BYTES);
    await copyTree(local, remote);
    await chownToUser(remote, ctx.pool.harness.user);
    const { files, digest } = await treeDigest(local);
    if (files !== TREE_FILES) throw new Error(`tree has ${files} files, expected ${TREE_FILES}`);
    return { local, remote, digest };
  })();
  return prepared;
}

function treeTransfer(direction: "put" | "get"): Scenario {
  return {
    id: `e-${direction}`,
    title: `(e) ${TREE_FILES} × 4 KiB files ${direction} as a tree`,
    bytes: TREE_FILES * TREE_FILE_BYTES,
    async plan(ctx) {
      const host = ctx.pool.single;
      const source = await tree(ctx);
      const destination =
        direction === "put" ? join(ctx.remoteDir, "tree-put") : join(ctx.workDir, "tree-get");
      const from = direction === "put" ? source.local : source.remote;
      const prepare = () => rm(destination, { recursive: true, force: true });
      const verify = async (run: Measurement) => {
        const exit = checkExit(run);
        if (exit) return exit;
        const got = await treeDigest(destination).catch(() => ({ files: 0, digest: "missing" }));
        return got.digest === source.digest
          ? undefined
          : `tree at ${destination} differs from the source (${got.files} files)`;
      };
      const ssh = `ssh -F ${shellQuote(host.sshConfigPath)}`;
      const q = shellQuote;
      const tarPipe =
        direction === "put"
          ? `tar -C ${q(from)} -cf - . | ${ssh} host1 ${q(`mkdir -p ${q(destination)} && tar -C ${q(destination)} -xf -`)}`
          : `mkdir -p ${q(destination)} && ${ssh} host1 ${q(`tar -C ${q(from)} -cf - .`)} | tar -C ${q(destination)} -xf -`;
      const batch = join(ctx.workDir, `sftp-tree-${direction}.batch`);
      const contenders: Contender[] = [
        {
          name: `fabric-ts Connection.${direction} (directory)`,
          role: "fabric-ts",
          prepare,
          command: workerCommand(ctx, "fabric-ts", {
            ...host,
            mode: direction,
            local: direction === "put" ? from : destination,
            remote: direction === "put" ? destination : from,
          }),
          verify,
        },
        {
          name: "tar | ssh",
          role: "peer",
          prepare,
          command: { argv: [tarPipe], shell: true },
          verify,
        },
        {
          name: `OpenSSH sftp ${direction} -r`,
          role: "peer",
          prepare: async () => {
            await prepare();
            await writeFile(batch, `${direction} -r ${from} ${destination}\n`);
          },
          command: { argv: ["sftp", "-q", "-F", host.sshConfigPath, "-b", batch, "host1"] },
          verify,
        },
        {
          name: "OpenSSH scp -r",
          role: "peer",
          prepare,
          command: {
            argv:
              direction === "put"
                ? ["scp", "-q", "-r", "-F", host.sshConfigPath, from, `host1:${destination}`]
                : ["scp", "-q", "-r", "-F", host.sshConfigPath, `host1:${from}`, destination],
          },
          verify,
        },
        {
          name: `Python Fabric Connection.${direction}`,
          role: "peer",
          unavailable: "Fabric transfers single files only (no directories)",
          command: { argv: ["false"] },
          verify: checkExit,
        },
      ];
      return { contenders };
    },
  };
}

export const treePut = treeTransfer("put");
export const treeGet = treeTransfer("get");
