// The fabric-ts side through its public API (Connection, ThreadingGroup, put/get). Hosts, keys and
// known_hosts come from ~/.ssh of the bench's HOME, as they would for a user. Exits with
// EXIT_UNAVAILABLE when the API it needs has not landed yet, so the table can say so.
import { probeLeak } from "./leak-probe.js";
import { EXIT_UNAVAILABLE, readSpec, report, required, rssMb } from "./spec.js";

interface RunResultLike {
  stdout: string;
  exited?: number;
  exitCode?: number | null;
}
interface ConnectionLike {
  run(command: string, options?: Record<string, unknown>): Promise<RunResultLike>;
  put(local: string, remote?: string): Promise<unknown>;
  get(remote: string, local?: string): Promise<unknown>;
  close(): Promise<void>;
}
type ConnectionClass = new (host: string) => ConnectionLike;
type GroupClass = new (
  ...hosts: (string | { concurrency?: number })[]
) => {
  run(command: string, options?: Record<string, unknown>): Promise<Map<unknown, unknown>>;
  close(): Promise<void>;
};

function unavailable(what: string): never {
  process.stdout.write(`not available yet: @fabric-ts/fabric does not export ${what}\n`);
  process.exit(EXIT_UNAVAILABLE);
}

async function main(): Promise<void> {
  const spec = readSpec();
  const fabric = (await import("@fabric-ts/fabric")) as Record<string, unknown>;
  const Connection = fabric.Connection as ConnectionClass | undefined;
  const first = required(spec.addresses[0], "addresses[0]");
  const hidden = { hide: true };

  if (spec.mode === "group") {
    const ThreadingGroup = fabric.ThreadingGroup as GroupClass | undefined;
    if (!ThreadingGroup) unavailable("ThreadingGroup");
    const limit = spec.concurrency ?? spec.addresses.length;
    const group = new ThreadingGroup(...spec.addresses, { concurrency: limit });
    try {
      const results = await group.run(required(spec.command, "command"), hidden);
      for (const value of results.values()) {
        const result = value as RunResultLike;
        if (value instanceof Error) process.stderr.write(`${value.message}\n`);
        else process.stdout.write(result.stdout);
      }
    } finally {
      await group.close();
    }
    report({ rssMb: rssMb() });
    return;
  }

  if (!Connection) unavailable("Connection");
  const connection = new Connection(first);
  try {
    switch (spec.mode) {
      case "one":
      case "seq": {
        const command = required(spec.command, "command");
        const count = spec.mode === "one" ? 1 : required(spec.count, "count");
        const out: string[] = [];
        for (let i = 0; i < count; i++) out.push((await connection.run(command, hidden)).stdout);
        process.stdout.write(out.join(""));
        return;
      }
      case "leak": {
        const command = required(spec.command, "command");
        const runOne = async () => (await connection.run(command, hidden)).stdout === "ok\n";
        report(await probeLeak(runOne, required(spec.count, "count"), spec.warmup ?? 100));
        return;
      }
      case "put":
        await connection.put(required(spec.local, "local"), required(spec.remote, "remote"));
        return;
      case "get":
        await connection.get(required(spec.remote, "remote"), required(spec.local, "local"));
        return;
    }
  } finally {
    await connection.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
