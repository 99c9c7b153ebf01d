import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const TIME_BINARY = "/usr/bin/time";

/** One process to run and measure. */
export interface Command {
  argv: readonly string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run through `bash -c` (pipelines); `argv` is then `[script]`. */
  shell?: boolean;
}

/** What one measured run produced. CPU and RSS cover the whole process tree that was waited for. */
export interface Measurement {
  wallMs: number;
  userMs: number;
  sysMs: number;
  maxRssKb: number;
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

const TIME_FORMAT = "%U %S %M";

/** Parses `/usr/bin/time -f "%U %S %M"` output (seconds, seconds, KiB); the last line wins. */
export function parseTimeOutput(text: string): { userMs: number; sysMs: number; maxRssKb: number } {
  const lines = text.trim().split("\n");
  const last = lines[lines.length - 1] ?? "";
  const match = /^(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (\d+)$/.exec(last.trim());
  if (!match) throw new Error(`unexpected /usr/bin/time output: ${JSON.stringify(text)}`);
  return {
    userMs: Number(match[1]) * 1000,
    sysMs: Number(match[2]) * 1000,
    maxRssKb: Number(match[3]),
  };
}

/**
 * Runs a command under `/usr/bin/time` and measures wall time here (hrtime around spawn → exit),
 * CPU (user+sys of the process and every child it waited for) and peak RSS (largest single process).
 */
export async function measure(command: Command, timeoutMs = 600_000): Promise<Measurement> {
  if (!existsSync(TIME_BINARY)) throw new Error(`${TIME_BINARY} is missing (apt-get install time)`);
  const dir = await mkdtemp(join(tmpdir(), "fabts-bench-time-"));
  const timeFile = join(dir, "time");
  const target = command.shell ? ["/bin/bash", "-c", command.argv[0] ?? "true"] : command.argv;
  try {
    const started = process.hrtime.bigint();
    const result = await new Promise<Omit<Measurement, "wallMs" | "userMs" | "sysMs" | "maxRssKb">>(
      (resolve, reject) => {
        const child = spawn(TIME_BINARY, ["-f", TIME_FORMAT, "-o", timeFile, ...target], {
          env: command.env ?? process.env,
          cwd: command.cwd,
          stdio: ["ignore", "pipe", "pipe"],
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
        const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
        child.on("error", (error) => {
          clearTimeout(timer);
          reject(error);
        });
        child.on("close", (exitCode, signal) => {
          clearTimeout(timer);
          resolve({
            exitCode,
            signal,
            stdout: Buffer.concat(out).toString("utf8"),
            stderr: Buffer.concat(err).toString("utf8"),
          });
        });
      },
    );
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    // time(1) writes "Command exited with non-zero status N" before the format line.
    const usage = parseTimeOutput(await readFile(timeFile, "utf8"));
    return { wallMs, ...usage, ...result };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
