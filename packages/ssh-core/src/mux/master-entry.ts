// The warm-connection master's process entry (started by spawnMaster, detached). It reads its
// MasterSpec as JSON on stdin, answers one line on stdout — `ready` or `error <json>` — then closes
// stdout and lives on in the background; its stderr is the log file beside the socket.
import { startMaster } from "./master.js";
import type { MasterSpec } from "./master-spec.js";

const log = (line: string) => process.stderr.write(`${new Date().toISOString()} [${process.pid}] ${line}\n`);

async function readSpec(): Promise<MasterSpec> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as MasterSpec;
}

function answer(line: string): Promise<void> {
  return new Promise((resolve) => process.stdout.write(`${line}\n`, () => resolve()));
}

try {
  const spec = await readSpec();
  const master = await startMaster(spec, log);
  for (const signal of ["SIGTERM", "SIGINT", "SIGHUP"] as const) {
    process.once(signal, () => master.stop(`stopped by ${signal}`));
  }
  await answer("ready");
  process.stdout.end();
  const reason = await master.stopped;
  log(`exiting: ${reason}`);
  process.exit(0);
} catch (error) {
  const err = error as Error & { code?: unknown };
  log(`failed: ${err.message}`);
  await answer(`error ${JSON.stringify({ name: err.name, code: err.code ?? null, message: err.message })}`);
  process.exit(1);
}
