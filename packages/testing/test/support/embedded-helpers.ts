import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createServer, type Socket, connect as tcpConnect } from "node:net";
import { Client, type ClientChannel, type ConnectConfig, type ExecOptions, type SFTPWrapper } from "ssh2";
import type { EmbeddedHosts } from "../../src/embedded/index.js";

/** What the shared core tests need to reach one SSH host, embedded or real sshd. */
export interface CoreTarget {
  sshConfigPath: string;
  alias: string;
  address: string;
  port: number;
  user: string;
  privateKey: string;
  knownHostsPath: string;
  /** The login's home directory (cwd of commands, base of relative SFTP paths). */
  home: string;
}

export interface ProcessResult {
  stdout: string;
  stderr: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs a local program without blocking the event loop (the embedded server lives in this process). */
export function runProgram(
  file: string,
  args: string[],
  input?: string | Buffer,
  env?: NodeJS.ProcessEnv,
): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, ...env } });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", reject);
    child.on("close", (code, signal) =>
      resolve({
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
        code,
        signal,
      }),
    );
    child.stdin.on("error", () => {});
    child.stdin.end(input ?? "");
  });
}

export function sshArgs(target: CoreTarget, extra: string[] = []): string[] {
  // OpenSSH keeps the first value given for an option, so the caller's options go first.
  return ["-F", target.sshConfigPath, ...extra, "-o", "BatchMode=yes", "-o", "ConnectTimeout=10"];
}

/** `ssh -F <config> <alias> <command>` with the OpenSSH client. */
export function ssh(target: CoreTarget, command: string, input?: string | Buffer): Promise<ProcessResult> {
  return runProgram("ssh", [...sshArgs(target), target.alias, command], input);
}

async function knownKeys(target: CoreTarget): Promise<Set<string>> {
  const name = target.port === 22 ? target.address : `[${target.address}]:${target.port}`;
  const lines = (await readFile(target.knownHostsPath, "utf8")).split("\n");
  const keys = lines
    .map((line) => line.trim().split(/\s+/))
    .filter((fields) => fields[0]?.split(",").includes(name))
    .map((fields) => fields[2] ?? "");
  return new Set(keys);
}

/** An ssh2 client logged in with the target's key, checking the host key against its known_hosts. */
export async function connectClient(target: CoreTarget, extra: Partial<ConnectConfig> = {}): Promise<Client> {
  const keys = await knownKeys(target);
  const client = new Client();
  return new Promise((resolve, reject) => {
    client.once("ready", () => resolve(client));
    // Keep listening: a failed client may report more errors after the first one.
    client.on("error", (error) => {
      reject(error);
      client.end();
    });
    client.connect({
      host: target.address,
      port: target.port,
      username: target.user,
      privateKey: target.privateKey,
      hostVerifier: (key: Buffer) => keys.has(key.toString("base64")),
      readyTimeout: 10_000,
      ...extra,
    });
  });
}

export interface ChannelResult {
  stdout: string;
  stderr: string;
  code: number | null | undefined;
  signal: string | undefined;
}

/** Collects a channel's output until it closes, with the exit status or signal if one was sent. */
export function collect(channel: ClientChannel): Promise<ChannelResult> {
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let code: number | null | undefined;
    let signal: string | undefined;
    channel.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    channel.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    channel.on("exit", (exitCode: number | null, exitSignal?: string) => {
      code = exitCode;
      signal = exitSignal;
    });
    // A fast command's exit-status can arrive before this listener is attached (the channel callback and
    // the status come in one chunk); ssh2 repeats it as the close event's arguments.
    channel.on("close", (closeCode?: number | null, closeSignal?: string) => {
      if (code === undefined && closeCode !== undefined) {
        code = closeCode;
        signal = closeSignal ?? undefined;
      }
      resolve({ stdout, stderr, code, signal });
    });
  });
}

export function openExec(client: Client, command: string, options: ExecOptions = {}): Promise<ClientChannel> {
  return new Promise((resolve, reject) => {
    client.exec(command, options, (error, channel) => (error ? reject(error) : resolve(channel)));
  });
}

export async function exec(
  client: Client,
  command: string,
  options: ExecOptions & { input?: string } = {},
): Promise<ChannelResult> {
  const { input, ...execOptions } = options;
  const channel = await openExec(client, command, execOptions);
  const result = collect(channel);
  channel.end(input ?? "");
  return result;
}

export function openSftp(client: Client): Promise<SFTPWrapper> {
  return new Promise((resolve, reject) =>
    client.sftp((error, sftp) => (error ? reject(error) : resolve(sftp))),
  );
}

/** Turns a node-style SFTP call into a promise: `call((cb) => sftp.stat(p, cb))`. */
export function call<T = unknown>(
  run: (cb: (error: Error | null | undefined, value?: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) =>
    run((error, value) => (error ? reject(error) : resolve(value as T))),
  );
}

/** A TCP server on 127.0.0.1 that answers every chunk with `echo:` + chunk. */
export async function startEchoServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => {});
    socket.on("data", (chunk) => socket.write(Buffer.concat([Buffer.from("echo:"), chunk])));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Sends `message` over a fresh TCP connection to 127.0.0.1:port and returns the first reply. */
export function roundTrip(port: number, message: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host: "127.0.0.1", port }, () => socket.write(message));
    socket.once("data", (chunk) => {
      resolve(chunk.toString("utf8"));
      socket.destroy();
    });
    socket.once("error", reject);
  });
}

/** Retries a round trip until a forward is listening (ssh -L/-R start asynchronously). */
export async function roundTripWhenReady(port: number, message: string, attempts = 100): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await roundTrip(port, message);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** A free TCP port on 127.0.0.1 (closed again before returning). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

/** The core-test view of one embedded host. */
export function embeddedTarget(group: EmbeddedHosts, name: string, user?: string): CoreTarget {
  const host = group.host(name);
  return {
    sshConfigPath: group.sshConfigPath,
    alias: host.name,
    address: host.address,
    port: host.port,
    user: user ?? host.user,
    privateKey: group.clientKey.privateKey,
    knownHostsPath: group.knownHostsPath,
    home: host.dir,
  };
}

/** Polls `check` until it returns true (for effects that land asynchronously, like a killed process). */
export async function eventually(check: () => boolean | Promise<boolean>, attempts = 200): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error("condition never became true");
}
