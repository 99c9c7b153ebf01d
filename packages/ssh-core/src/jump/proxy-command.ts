import { type ChildProcess, spawn } from "node:child_process";
import { Duplex } from "node:stream";

export interface ProxyCommandOptions {
  /** Shell that runs the command. Default /bin/sh. */
  shell?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Receives the command's stderr (by default it is only kept for error messages). */
  onStderr?: (chunk: Buffer) => void;
}

const STDERR_TAIL = 4096;

/**
 * A ProxyCommand as a socket: `sh -c 'exec <command>'` with its stdin/stdout as the two directions
 * (what OpenSSH does). Destroying the socket kills the command.
 */
export class ProxyCommandSocket extends Duplex {
  readonly command: string;
  readonly child: ChildProcess;
  #stderr = "";
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;

  constructor(command: string, options: ProxyCommandOptions = {}) {
    super({ allowHalfOpen: true });
    this.command = command;
    this.child = spawn(options.shell ?? "/bin/sh", ["-c", `exec ${command}`], {
      stdio: ["pipe", "pipe", "pipe"],
      ...(options.env ? { env: options.env } : {}),
      ...(options.cwd ? { cwd: options.cwd } : {}),
    });
    const { stdin, stdout, stderr } = this.child;
    stdout?.on("data", (chunk: Buffer) => {
      if (!this.push(chunk)) stdout.pause();
    });
    stdout?.on("end", () => this.push(null));
    stderr?.on("data", (chunk: Buffer) => {
      this.#stderr = (this.#stderr + chunk.toString("utf8")).slice(-STDERR_TAIL);
      options.onStderr?.(chunk);
    });
    stdin?.on("error", () => {}); // EPIPE once the command exited; the exit is what matters
    this.child.on("error", (error) => this.destroy(error));
    this.child.on("exit", (code, signal) => {
      this.exitCode = code;
      this.exitSignal = signal;
    });
  }

  /** The last few KiB the command wrote to stderr. */
  get stderrTail(): string {
    return this.#stderr.trim();
  }

  /** Resolves when the command has exited. */
  get exited(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => this.child.once("exit", () => resolve()));
  }

  override _read(): void {
    this.child.stdout?.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const stdin = this.child.stdin;
    if (!stdin || stdin.destroyed) {
      callback(new Error(`ProxyCommand exited: ${this.command}`));
      return;
    }
    if (stdin.write(chunk)) callback();
    else stdin.once("drain", () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin?.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.child.stdin?.destroy();
    this.child.stdout?.destroy();
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    callback(error);
  }

  // ssh2 calls this on real sockets; pipes have no Nagle to turn off.
  setNoDelay(): this {
    return this;
  }
}

/** Start `command` (tokens already expanded) and use it as the transport for `SshClient.connect({ sock })`. */
export function proxyCommandSocket(command: string, options: ProxyCommandOptions = {}): ProxyCommandSocket {
  return new ProxyCommandSocket(command, options);
}
