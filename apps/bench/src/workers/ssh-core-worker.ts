// Stand-in for fabric-ts where Connection/Group are not there yet: the @fabric-ts/ssh-core client
// they are built on, so its figures bound what fabric-ts can reach.
import { SshClient, type SshClientOptions } from "@fabric-ts/ssh-core";
import { probeLeak } from "./leak-probe.js";
import { mapLimited, readSpec, report, required, rssMb, type WorkerSpec } from "./spec.js";

function options(spec: WorkerSpec, address: string): SshClientOptions {
  return {
    host: address,
    port: spec.port,
    username: spec.user,
    identityFiles: [spec.identityFile],
    identitiesOnly: true,
    agent: false,
    userKnownHostsFiles: [spec.knownHostsPath],
    globalKnownHostsFiles: [],
    strictHostKeyChecking: "yes",
    batchMode: true,
    connectTimeout: 60_000,
  };
}

async function runChecked(client: SshClient, command: string): Promise<string> {
  const result = await client.run(command);
  if (result.exitCode !== 0) throw new Error(`${command}: exit ${result.exitCode} ${result.stderr}`);
  return result.stdout;
}

async function main(): Promise<void> {
  const spec = readSpec();
  const command = required(spec.command, "command");
  const first = required(spec.addresses[0], "addresses[0]");
  switch (spec.mode) {
    case "one": {
      await using client = await SshClient.connect(options(spec, first));
      process.stdout.write(await runChecked(client, command));
      return;
    }
    case "seq": {
      const started = performance.now();
      await using client = await SshClient.connect(options(spec, first));
      const connected = performance.now();
      const out: string[] = [];
      for (let i = 0; i < required(spec.count, "count"); i++) out.push(await runChecked(client, command));
      const finished = performance.now();
      process.stdout.write(out.join(""));
      report({ connectMs: connected - started, loopMs: finished - connected });
      return;
    }
    case "group": {
      const outcomes = await mapLimited(
        spec.addresses,
        spec.concurrency ?? spec.addresses.length,
        async (a) => {
          await using client = await SshClient.connect(options(spec, a));
          // `return await`: the client must stay open until the command is done (await using).
          return await runChecked(client, command);
        },
      );
      let failures = 0;
      for (const [index, outcome] of outcomes.entries()) {
        if (outcome.status === "fulfilled") process.stdout.write(outcome.value);
        else {
          failures++;
          process.stderr.write(`${spec.addresses[index]}: ${String(outcome.reason)}\n`);
        }
      }
      report({ failures, rssMb: rssMb() });
      if (failures > 0) process.exitCode = 1;
      return;
    }
    case "leak": {
      await using client = await SshClient.connect(options(spec, first));
      const runOne = async () => (await runChecked(client, command)) === "ok\n";
      report(await probeLeak(runOne, required(spec.count, "count"), spec.warmup ?? 100));
      return;
    }
    default:
      throw new Error(`ssh-core worker has no ${spec.mode} mode`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
