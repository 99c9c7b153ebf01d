import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { rmSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { askpassEnv, noAskpassEnv } from "./sshd/askpass.js";
import { requireProgram } from "./sshd/binaries.js";
import { runCommand } from "./sshd/exec.js";
import { onProcessExit } from "./sshd/exit-cleanup.js";
import { startReaper } from "./sshd/reaper.js";

/** One identity as listed by `ssh-add -l`. */
export interface AgentIdentity {
  bits: number;
  fingerprint: string;
  comment: string;
  type: string;
}

export interface StartAgentOptions {
  /** How long to wait for the socket to accept connections; default 10 s. */
  startTimeoutMs?: number;
}

function canConnect(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A real `ssh-agent` on a private Unix socket. Create it with `startAgent()`. */
export class SshAgent {
  /** Value for SSH_AUTH_SOCK / IdentityAgent. */
  readonly socket: string;
  readonly dir: string;
  readonly #child: ChildProcess;
  readonly #exited: Promise<unknown>;
  readonly #unregisterExit: () => void;
  #stopping: Promise<void> | undefined;

  constructor(dir: string, child: ChildProcess, exited: Promise<unknown>, unregisterExit: () => void) {
    this.dir = dir;
    this.socket = join(dir, "agent.sock");
    this.#child = child;
    this.#exited = exited;
    this.#unregisterExit = unregisterExit;
  }

  get pid(): number | undefined {
    return this.#child.pid;
  }

  /** Environment for a child process that should use this agent. */
  env(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
    return { ...base, SSH_AUTH_SOCK: this.socket };
  }

  /** Adds a private key; an encrypted key needs its passphrase (given to ssh-add via SSH_ASKPASS). */
  async add(keyPath: string, passphrase?: string): Promise<void> {
    const env = { ...this.env(), ...(passphrase === undefined ? noAskpassEnv() : askpassEnv(passphrase)) };
    const result = await runCommand(requireProgram("ssh-add"), [keyPath], { env });
    if (result.code !== 0) {
      // ssh-add's message names the file, not the passphrase.
      throw new Error(`ssh-add ${keyPath} failed: ${result.stderr.trim() || `exit ${result.code}`}`);
    }
  }

  /** The identities the agent holds (`ssh-add -l`). */
  async list(): Promise<AgentIdentity[]> {
    const result = await runCommand(requireProgram("ssh-add"), ["-l", "-E", "sha256"], { env: this.env() });
    // Exit 1 with "The agent has no identities." is an empty list, not an error.
    if (result.code === 1 && /no identities/i.test(result.stdout + result.stderr)) return [];
    if (result.code !== 0) throw new Error(`ssh-add -l failed: ${result.stderr.trim()}`);
    return result.stdout
      .trim()
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const match = /^(\d+) (\S+) (.*) \((\S+)\)$/.exec(line);
        if (!match) throw new Error(`unexpected ssh-add -l line: ${line}`);
        return {
          bits: Number(match[1]),
          fingerprint: match[2] ?? "",
          comment: match[3] ?? "",
          type: match[4] ?? "",
        };
      });
  }

  /** Removes every identity (`ssh-add -D`). */
  async removeAll(): Promise<void> {
    const result = await runCommand(requireProgram("ssh-add"), ["-D"], { env: this.env() });
    if (result.code !== 0) throw new Error(`ssh-add -D failed: ${result.stderr.trim()}`);
  }

  /** Stops the agent and removes its socket dir. Idempotent. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      if (this.#child.exitCode === null && this.#child.signalCode === null) {
        this.#child.kill("SIGTERM");
        await this.#exited;
      }
      this.#unregisterExit();
      await rm(this.dir, { recursive: true, force: true });
    })();
    return this.#stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

/** Starts `ssh-agent -D -a <socket>` in a private temp dir and waits until the socket answers. */
export async function startAgent(options: StartAgentOptions = {}): Promise<SshAgent> {
  const agentPath = requireProgram("ssh-agent");
  requireProgram("ssh-add");
  const dir = await mkdtemp(join(tmpdir(), "fabts-agent-"));
  const socket = join(dir, "agent.sock");
  const child = spawn(agentPath, ["-D", "-a", socket], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, "exit").catch(() => undefined);
  const reaper = child.pid === undefined ? undefined : startReaper(child.pid, dir);
  const unregister = onProcessExit(() => {
    reaper?.dismiss();
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });
  const agent = new SshAgent(dir, child, exited, () => {
    reaper?.dismiss();
    unregister();
  });
  child.on("error", (error) => {
    stderr += String(error);
  });
  const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
  while (!(await canConnect(socket))) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await agent.stop();
      throw new Error(`ssh-agent did not start: ${stderr.trim() || "socket never accepted a connection"}`);
    }
    await delay(10);
  }
  return agent;
}
