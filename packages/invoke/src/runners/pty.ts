import { constants } from "node:os";
import { PassThrough, Writable } from "node:stream";
import type { ProcessExit, StartedProcess, StartOptions } from "./process.js";

/** The part of `node-pty` we use. */
export interface PtyModule {
  spawn(
    file: string,
    args: string[],
    options: {
      name: string;
      cols: number;
      rows: number;
      cwd: string;
      env: Record<string, string>;
      encoding: null;
    },
  ): PtyProcess;
}

interface PtyProcess {
  readonly pid: number;
  onData(listener: (data: string | Buffer) => void): unknown;
  onExit(listener: (event: { exitCode: number; signal?: number }) => void): unknown;
  write(data: string | Buffer): void;
  resize(columns: number, rows: number): void;
  kill(signal?: string): void;
}

export type PtyLoad =
  | { readonly ok: true; readonly module: PtyModule }
  | { readonly ok: false; readonly reason: string };

let cached: Promise<PtyLoad> | undefined;

/** Load `node-pty` (an optional dependency) once. */
export function loadNodePty(): Promise<PtyLoad> {
  cached ??= import("node-pty").then(
    (mod) => ({ ok: true, module: (mod.default ?? mod) as unknown as PtyModule }),
    (error: unknown) => ({ ok: false, reason: ptyLoadFailure(error) }),
  );
  return cached;
}

/** Why node-pty did not load; a missing package names the fix (it is an optional peer dependency). */
function ptyLoadFailure(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
    return "node-pty is not installed (an optional peer dependency of @fabric-ts/invoke: npm install node-pty)";
  }
  return error instanceof Error ? error.message : String(error);
}

/** Start `shell -c command` in a new pseudo-terminal (its own session, so its own process group). */
export function startInPty(pty: PtyModule, command: string, options: StartOptions): StartedProcess {
  const term = pty.spawn(options.shell, ["-c", command], {
    name: options.env.TERM ?? "xterm",
    cols: options.size.columns,
    rows: options.size.rows,
    cwd: options.cwd ?? process.cwd(),
    env: { ...options.env },
    encoding: null,
  });
  const stdout = new PassThrough();
  term.onData((data) => stdout.write(data));
  // node-pty reports exit only after the terminal's output has been drained.
  const exited = new Promise<ProcessExit>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      stdout.end();
      resolve(signal ? { exitCode: null, signal: signalName(signal) } : { exitCode, signal: null });
    });
  });
  const stdin = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      term.write(chunk);
      callback();
    },
  });
  return {
    pid: term.pid,
    stdout,
    stderr: null,
    stdin,
    wait: () => exited,
    kill(signal = "SIGTERM") {
      try {
        process.kill(-term.pid, signal);
      } catch {
        try {
          term.kill(signal);
        } catch {
          // already gone
        }
      }
    },
    // A pty has no separate stdin to close; send the terminal's EOF character instead.
    closeStdin: () => term.write("\x04"),
    resize: (size) => term.resize(size.columns, size.rows),
  };
}

function signalName(number: number): string {
  const entry = Object.entries(constants.signals).find(([, value]) => value === number);
  return entry?.[0] ?? `SIG${number}`;
}
