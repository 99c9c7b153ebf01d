import { spawn } from "node:child_process";
import { PlatformError } from "../errors.js";
import type { ProcessExit, StartedProcess, StartOptions } from "./process.js";
import { loadNodePty, type PtyLoad, startInPty } from "./pty.js";
import { Runner } from "./runner.js";

/**
 * Runs commands on this machine as `shell -c command`, each in its own process group so timeouts and
 * aborts kill the whole tree. `pty: true` uses a real pseudo-terminal through `node-pty`.
 */
export class Local extends Runner {
  protected override async shouldUsePty(pty: boolean, fallback: boolean): Promise<boolean> {
    if (!pty) return false;
    const loaded = await this.loadPty();
    if (loaded.ok) return true;
    if (!fallback) {
      throw new PlatformError(
        `You indicated pty: true, but no pseudo-terminal is available (${loaded.reason})`,
      );
    }
    if (!Runner.warnedAboutPtyFallback) {
      Runner.warnedAboutPtyFallback = true;
      process.stderr.write(
        `WARNING: no pseudo-terminal available (${loaded.reason}); falling back to non-pty execution!\n`,
      );
    }
    return false;
  }

  /** How `node-pty` is obtained (overridable, e.g. to simulate a platform without one). */
  protected loadPty(): Promise<PtyLoad> {
    return loadNodePty();
  }

  protected async start(command: string, options: StartOptions): Promise<StartedProcess> {
    if (options.disown) return startDisowned(command, options);
    if (options.pty) {
      const loaded = await this.loadPty();
      if (!loaded.ok) throw new PlatformError(`Cannot allocate a pseudo-terminal: ${loaded.reason}`);
      return startInPty(loaded.module, command, options);
    }
    return startPiped(await loadExeca(), command, options);
  }

  /** Ctrl-C: a pty turns `\x03` into SIGINT itself; without one, signal the process group. */
  protected override sendInterrupt(started: StartedProcess, usingPty: boolean): void {
    if (usingPty) super.sendInterrupt(started, usingPty);
    else started.kill("SIGINT");
  }
}

type Execa = typeof import("execa").execa;
let execaModule: Promise<Execa> | undefined;

/** execa is ~100 modules: loaded on the first local command, not by everything importing invoke. */
function loadExeca(): Promise<Execa> {
  execaModule ??= import("execa").then((module) => module.execa);
  return execaModule;
}

function startPiped(execa: Execa, command: string, options: StartOptions): StartedProcess {
  const child = execa(options.shell, ["-c", command], {
    env: options.env,
    extendEnv: false,
    cwd: options.cwd,
    detached: true,
    cleanup: false,
    buffer: false,
    encoding: "buffer",
    stdin: "pipe",
    stdout: "pipe",
    stderr: "pipe",
    reject: false,
    stripFinalNewline: false,
  });
  const exited = child.then((result): ProcessExit => {
    if (result.exitCode === undefined && result.signal === undefined) {
      throw result.cause ?? new Error(result.shortMessage ?? "the process could not be started");
    }
    return { exitCode: result.exitCode ?? null, signal: result.signal ?? null };
  });
  return {
    pid: child.pid,
    stdout: child.stdout,
    stderr: child.stderr,
    stdin: child.stdin,
    wait: () => exited,
    kill: (signal = "SIGTERM") => killGroup(child.pid, signal, () => child.kill(signal)),
  };
}

/** A disowned command has nothing to pipe or wait for, so plain `spawn` is all it needs. */
function startDisowned(command: string, options: StartOptions): StartedProcess {
  const child = spawn(options.shell, ["-c", command], {
    env: options.env,
    cwd: options.cwd,
    detached: true,
    stdio: "ignore",
  });
  child.on("error", () => {});
  child.unref();
  return {
    pid: child.pid,
    stdout: null,
    stderr: null,
    stdin: null,
    wait: () => new Promise<never>(() => {}),
    kill: (signal = "SIGTERM") => killGroup(child.pid, signal, () => child.kill(signal)),
  };
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals, fallback: () => void): void {
  try {
    if (pid === undefined) throw new Error("no pid");
    process.kill(-pid, signal);
  } catch {
    try {
      fallback();
    } catch {
      // already gone
    }
  }
}
