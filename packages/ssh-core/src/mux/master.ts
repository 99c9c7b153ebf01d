import { linkSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import ssh2 from "ssh2";
import { SshClient } from "../client/ssh-client.js";
import type { MasterInfo, MasterSpec } from "./master-spec.js";
import { relayClient } from "./relay.js";

/** A running master: the upstream connection, and the local SSH server on the control socket. */
export interface RunningMaster {
  /** Resolves when the master has stopped (idle, stopped, or upstream lost), with why. */
  readonly stopped: Promise<string>;
  stop(reason: string): void;
}

/**
 * Connect upstream, then serve the connection on `spec.socketPath` to clients of this user. The
 * socket is bound under a temporary name and hard-linked into place (atomic, as OpenSSH does), so two
 * masters started at once for one destination never both serve it: the loser stops and its caller
 * uses the winner. Rejects when the upstream connection or the socket cannot be had.
 */
export async function startMaster(spec: MasterSpec, log: (line: string) => void): Promise<RunningMaster> {
  const upstream = await SshClient.connect({ ...spec.client, batchMode: true });
  const where = `${upstream.username}@${upstream.host}:${upstream.port}`;
  log(`connected to ${where}`);
  const hostKey = ssh2.utils.generateKeyPairSync("ed25519").private;
  const sshServer = new ssh2.Server({ hostKeys: [hostKey] });
  let clients = 0;
  let idleTimer: NodeJS.Timeout | undefined;
  let resolveStopped: (reason: string) => void = () => {};
  const stopped = new Promise<string>((resolve) => {
    resolveStopped = resolve;
  });
  const temporary = `${spec.socketPath}.${process.pid}.tmp`;
  const infoPath = `${spec.socketPath}.json`;
  let linked = false;

  const armIdle = () => {
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = undefined;
    if (clients === 0 && spec.idleMs > 0) {
      idleTimer = setTimeout(() => stop(`idle for ${spec.idleMs} ms`), spec.idleMs);
    }
  };

  const listener: Server = createServer((socket) => {
    clients++;
    if (idleTimer) clearTimeout(idleTimer);
    socket.on("error", () => {});
    // ssh2's Server only accepts TCP servers' connections through `injectSocket`.
    (sshServer as unknown as { injectSocket(socket: unknown): void }).injectSocket(socket);
    socket.once("close", () => {
      clients--;
      armIdle();
    });
  });
  sshServer.on("connection", (client) => {
    client.on("error", () => {});
    // The socket's directory is the access check (0700, ours): no credentials here.
    client.on("authentication", (context) => context.accept());
    client.on("ready", () => {
      const forget = relayClient(client, upstream);
      client.once("close", forget);
    });
  });

  const stop = (reason: string) => {
    if (idleTimer) clearTimeout(idleTimer);
    if (linked) {
      try {
        unlinkSync(spec.socketPath);
      } catch {}
      rmSync(infoPath, { force: true });
      linked = false;
    }
    listener.close();
    void upstream.close().finally(() => resolveStopped(reason));
  };
  upstream.once("close", ({ error }) => stop(error ? `upstream lost: ${error.message}` : "upstream closed"));

  rmSync(temporary, { force: true });
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(temporary, () => {
      listener.off("error", reject);
      resolve();
    });
  });
  try {
    linkSync(temporary, spec.socketPath);
    linked = true;
  } catch (error) {
    listener.close();
    await upstream.close();
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  const info: MasterInfo = {
    pid: process.pid,
    socketPath: spec.socketPath,
    host: upstream.host,
    port: upstream.port,
    username: upstream.username,
    startedAt: Date.now(),
    idleMs: spec.idleMs,
    logPath: `${spec.socketPath}.log`,
  };
  writeFileSync(infoPath, `${JSON.stringify(info)}\n`, { mode: 0o600 });
  log(`serving ${where} on ${spec.socketPath} (idle expiry ${spec.idleMs ? `${spec.idleMs} ms` : "none"})`);
  armIdle();
  return { stopped, stop };
}
