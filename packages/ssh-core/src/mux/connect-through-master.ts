import { unlinkSync } from "node:fs";
import { connect as connectUnix, type Socket } from "node:net";
import type { SshClientOptions } from "../client/options.js";
import { SshClient } from "../client/ssh-client.js";
import { ControlDirError, controlSocketPath, defaultControlDir, ensureControlDir } from "./control-dir.js";
import { masterClientOptions } from "./master-spec.js";
import { spawnMaster } from "./spawn-master.js";

/** How `connectThroughMaster()` finds, starts and waits for masters. Times are milliseconds. */
export interface WarmConnectionOptions {
  /** A master exits after this long without clients (ControlPersist); 0 keeps it until stopped. */
  idleMs: number;
  /** The control directory. Default {@link defaultControlDir}. */
  dir?: string;
  /** Connect plus SSH handshake on the socket; past it the master is replaced. Default 5000. */
  socketTimeout?: number;
  /** Wait for a new master's upstream connection. Default: the connect timeout plus 10 s, else 60 s. */
  startTimeout?: number;
  /** Told why the master was not used (the caller then connects directly). */
  onFallback?: (reason: string, error: unknown) => void;
}

/**
 * Connect through this user's master for the destination, starting one when there is none (like
 * OpenSSH's `ControlMaster auto` + `ControlPersist`). The returned SshClient speaks SSH over the
 * master's socket and works as any other: exec, SFTP, forwarding. A stale socket (dead master) or one
 * that does not answer in time (frozen master) is replaced. Resolves null when no master can be used
 * (the control directory fails its check, the master cannot connect in batch mode, it cannot be
 * started): the caller should connect directly.
 */
export async function connectThroughMaster(
  options: SshClientOptions,
  warm: WarmConnectionOptions,
): Promise<SshClient | null> {
  const fallback = (reason: string, error: unknown = null): null => {
    warm.onFallback?.(reason, error);
    return null;
  };
  let dir: string;
  try {
    dir = ensureControlDir(warm.dir ?? defaultControlDir());
  } catch (error) {
    if (error instanceof ControlDirError) return fallback(error.message, error);
    throw error;
  }
  const port = options.port ?? 22;
  const username = options.username ?? (await import("node:os")).userInfo().username;
  const socketPath = controlSocketPath(dir, { host: options.host, port, username });
  const socketTimeout = warm.socketTimeout ?? 5000;

  const existing = await tryMaster(socketPath, options, socketTimeout);
  if (existing.client) return existing.client;
  if (existing.replace) removeSocket(socketPath);

  const startTimeout =
    warm.startTimeout ?? (options.connectTimeout ? options.connectTimeout + 10_000 : 60_000);
  const answer = await spawnMaster(
    { client: masterClientOptions(options), socketPath, idleMs: warm.idleMs },
    startTimeout,
  );
  // EEXIST: another run started a master for this destination first; use that one.
  if (!answer.ok && answer.code !== "EEXIST") {
    return fallback(`the master could not connect: ${answer.message}`, answer);
  }
  const started = await tryMaster(socketPath, options, socketTimeout);
  return started.client ?? fallback(`the new master did not answer: ${started.reason}`, started.error);
}

interface Attempt {
  client: SshClient | null;
  /** The socket is there but useless (dead or frozen master): unlink it before starting another. */
  replace: boolean;
  reason: string;
  error: unknown;
}

async function tryMaster(socketPath: string, options: SshClientOptions, timeout: number): Promise<Attempt> {
  let socket: Socket;
  try {
    socket = await openUnixSocket(socketPath, timeout);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { client: null, replace: code !== "ENOENT", reason: String((error as Error).message), error };
  }
  try {
    const client = await SshClient.connect({
      host: options.host,
      port: options.port ?? 22,
      ...(options.username ? { username: options.username } : {}),
      sock: socket,
      // The master is a local process of this user, reached through a 0700 directory of this user;
      // the real host key was checked by the master.
      strictHostKeyChecking: "no",
      userKnownHostsFiles: ["/dev/null"],
      globalKnownHostsFiles: [],
      identityFiles: [],
      identitiesOnly: true,
      batchMode: true,
      connectTimeout: timeout,
      ...(options.agent === undefined ? {} : { agent: options.agent }),
      ...(options.agentForward === undefined ? {} : { agentForward: options.agentForward }),
      ...(options.envMode ? { envMode: options.envMode } : {}),
      ...(options.channels ? { channels: options.channels } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return { client, replace: false, reason: "", error: null };
  } catch (error) {
    socket.destroy();
    return { client: null, replace: true, reason: String((error as Error).message), error };
  }
}

function openUnixSocket(path: string, timeout: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connectUnix(path);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`no answer on ${path} within ${timeout} ms`), { code: "ETIMEDOUT" }));
    }, timeout);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.off("error", reject);
      resolve(socket);
    });
    socket.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function removeSocket(path: string): void {
  for (const file of [path, `${path}.json`]) {
    try {
      unlinkSync(file);
    } catch {}
  }
}
