import { spawn } from "node:child_process";
import type { Writable } from "node:stream";
import type { ServerChannel } from "ssh2";
import { copyOutput } from "./channel-output.js";
import { signalGroup, trackGroup } from "./process-groups.js";
import type { PtyModule } from "./pty.js";
import { signalName } from "./signals.js";

/** How a command ended: an exit code, or the signal (with `SIG`) that killed it. */
export interface CommandExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface PtySize {
  term: string;
  cols: number;
  rows: number;
}

export interface CommandSpec {
  file: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  /** Run on a pseudo-terminal of this size instead of pipes. */
  pty?: PtySize;
}

export interface RunningCommand {
  readonly exited: Promise<CommandExit>;
  signal(name: NodeJS.Signals): void;
  resize(cols: number, rows: number): void;
  /** The channel went away: hang up the process group, then kill it if it lingers. */
  hangup(): void;
}

const HANGUP_GRACE_MS = 2000;

/** Resolves once everything written so far has been handed to the SSH layer (or the channel is gone). */
export function flushed(stream: Writable): Promise<void> {
  if (stream.writableLength === 0 || !stream.writable) return Promise.resolve();
  return new Promise((resolve) => {
    stream.once("close", resolve);
    stream.write(Buffer.alloc(0), () => resolve());
  });
}

function groupControl(pid: number | undefined, exited: Promise<unknown>) {
  let done = false;
  const untrack = pid === undefined ? () => {} : trackGroup(pid);
  void exited.then(() => {
    done = true;
    untrack();
  });
  return {
    signal(name: NodeJS.Signals) {
      if (pid !== undefined && !done) signalGroup(pid, name);
    },
    hangup() {
      if (pid === undefined || done) return;
      signalGroup(pid, "SIGHUP");
      setTimeout(() => {
        if (!done) signalGroup(pid, "SIGKILL");
      }, HANGUP_GRACE_MS).unref();
    },
  };
}

function runPiped(spec: CommandSpec, channel: ServerChannel): RunningCommand {
  const child = spawn(spec.file, spec.args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: "pipe" });
  const output = copyOutput(child.stdout, child.stderr, channel);
  const ended = new Promise<CommandExit>((resolve) => {
    child.once("error", (error) => {
      channel.stderr.write(`${spec.file}: ${error.message}\n`);
      resolve({ code: 127, signal: null });
    });
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
  // The exit is reported only after the last output chunk went out.
  const exited = ended.then(async (exit) => {
    await output;
    return exit;
  });
  // EOF from the client ends the command's stdin; EPIPE after the command stopped reading is expected.
  child.stdin.on("error", () => {});
  channel.pipe(child.stdin);
  const group = groupControl(child.pid, exited);
  return { exited, signal: group.signal, hangup: group.hangup, resize() {} };
}

function runOnPty(spec: CommandSpec, size: PtySize, channel: ServerChannel, pty: PtyModule): RunningCommand {
  const term = pty.spawn(spec.file, spec.args, {
    name: size.term,
    cols: size.cols,
    rows: size.rows,
    cwd: spec.cwd,
    env: spec.env,
  });
  const exited = new Promise<CommandExit>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      const name = signal ? signalName(signal) : null;
      resolve(name ? { code: null, signal: name } : { code: exitCode, signal: null });
    });
  });
  term.onData((data) => {
    if (!channel.write(data)) {
      term.pause();
      channel.once("drain", () => term.resume());
    }
  });
  channel.on("data", (data: Buffer) => term.write(data.toString("utf8")));
  // A terminal has no half-close: EOF from the client becomes the EOF character, like typing Ctrl-D.
  channel.on("end", () => term.write("\x04"));
  const group = groupControl(term.pid, exited);
  return {
    exited,
    signal: group.signal,
    hangup: group.hangup,
    resize(cols, rows) {
      try {
        term.resize(cols, rows);
      } catch {
        // The terminal closed in the meantime.
      }
    },
  };
}

export function runCommand(
  spec: CommandSpec,
  channel: ServerChannel,
  pty: PtyModule | undefined,
): RunningCommand {
  return spec.pty && pty ? runOnPty(spec, spec.pty, channel, pty) : runPiped(spec, channel);
}
