import { once } from "node:events";
import type { Writable } from "node:stream";
import type ssh2 from "ssh2";
import type { ClientChannel, PseudoTtyOptions, ServerChannel } from "ssh2";
import type { SshClient } from "../client/ssh-client.js";

type Upstream = Pick<SshClient, "queue" | "openExecChannel" | "isSessionRefusal" | "ssh2Client">;

/**
 * Serve one local client of a master: every channel and request it makes is made again on the
 * upstream connection, and the two channels are joined (data both ways, EOF, exit status, signals,
 * window changes). Server-initiated channels of remote forwards the client asked for are relayed
 * back to it. Returns a function that forgets the client's forwards once it has gone.
 */
export function relayClient(local: ssh2.Connection, upstream: Upstream): () => void {
  const forwards = new Set<string>();
  // Upstream channels of this client: closed when it goes (a killed `fab` leaves no command running).
  const channels = new Set<ClientChannel>();
  const track = (channel: ClientChannel) => {
    channels.add(channel);
    channel.once("close", () => channels.delete(channel));
  };
  local.on("session", (accept) => relaySession(accept(), upstream, track));
  local.on("tcpip", (accept, reject, info) => {
    upstream.ssh2Client.forwardOut(info.srcIP, info.srcPort, info.destIP, info.destPort, (error, channel) => {
      if (error) return reject();
      join(accept(), channel);
    });
  });
  local.on("openssh.streamlocal", (accept, reject, info) => {
    upstream.ssh2Client.openssh_forwardOutStreamLocal(info.socketPath, (error, channel) => {
      if (error) return reject();
      join(accept(), channel);
    });
  });
  local.on("request", (accept, reject, name, info) => {
    const raw = upstream.ssh2Client;
    if (name === "tcpip-forward" && "bindPort" in info) {
      raw.forwardIn(info.bindAddr, info.bindPort, (error, port) => {
        if (error) return reject?.();
        const bound = info.bindPort === 0 ? port : info.bindPort;
        forwards.add(key(info.bindAddr, bound));
        routeForward(raw, key(info.bindAddr, bound), local);
        accept?.(bound);
      });
    } else if (name === "cancel-tcpip-forward" && "bindPort" in info) {
      raw.unforwardIn(info.bindAddr, info.bindPort, (error) => {
        forwards.delete(key(info.bindAddr, info.bindPort));
        unroute(raw, key(info.bindAddr, info.bindPort));
        if (error) reject?.();
        else (accept as (() => void) | undefined)?.();
      });
    } else {
      reject?.();
    }
  });
  return () => {
    for (const channel of channels) channel.close();
    channels.clear();
    const raw = upstream.ssh2Client;
    for (const bound of forwards) {
      unroute(raw, bound);
      const [address, port] = splitKey(bound);
      try {
        raw.unforwardIn(address, port, () => {});
      } catch {
        // the upstream is gone too
      }
    }
    forwards.clear();
  };
}

interface SessionState {
  env: Record<string, string>;
  pty: PseudoTtyOptions | undefined;
  agent: boolean;
  channel: ClientChannel | null;
}

function relaySession(
  session: ssh2.Session,
  upstream: Upstream,
  track: (channel: ClientChannel) => void,
): void {
  const state: SessionState = { env: {}, pty: undefined, agent: false, channel: null };
  session.on("env", (accept, _reject, info) => {
    state.env[info.key] = info.val;
    accept?.();
  });
  session.on("pty", (accept, _reject, info) => {
    state.pty = {
      rows: info.rows,
      cols: info.cols,
      height: info.height,
      width: info.width,
      modes: info.modes,
    };
    const term = (info as { term?: string }).term;
    if (term) (state.pty as { term?: string }).term = term;
    accept?.();
  });
  session.on("window-change", (accept, _reject, info) => {
    state.channel?.setWindow(info.rows, info.cols, info.height, info.width);
    accept?.();
  });
  session.on("signal", (accept, _reject, info) => {
    state.channel?.signal(info.name);
    accept?.();
  });
  session.on("auth-agent", (accept) => {
    state.agent = true;
    accept?.();
  });
  const start = (
    open: () => Promise<ClientChannel>,
    accept: () => ServerChannel,
    reject: (() => void) | undefined,
  ) => {
    upstream.queue.open(open, { isRefusal: (error) => upstream.isSessionRefusal(error) }).then(
      (slot) => {
        state.channel = slot.value;
        track(slot.value);
        slot.value.once("close", () => slot.release());
        join(accept(), slot.value, true);
      },
      () => reject?.(),
    );
  };
  const request = () => ({
    ...(Object.keys(state.env).length > 0 ? { env: { ...state.env } } : {}),
    ...(state.pty ? { pty: state.pty } : {}),
    agentForward: state.agent,
  });
  session.on("exec", (accept, reject, info) =>
    start(() => upstream.openExecChannel(info.command, request()), accept, reject),
  );
  session.on("shell", (accept, reject) =>
    start(
      () =>
        new Promise((resolve, fail) => {
          const { pty, env } = request();
          upstream.ssh2Client.shell(pty ?? false, env ? { env } : {}, (error, channel) =>
            error ? fail(error) : resolve(channel),
          );
        }),
      accept,
      reject,
    ),
  );
  session.on("subsystem", (accept, reject, info) =>
    start(
      () =>
        new Promise((resolve, fail) => {
          upstream.ssh2Client.subsys(info.name, (error, channel) => (error ? fail(error) : resolve(channel)));
        }),
      accept,
      reject,
    ),
  );
}

/**
 * Join a local (server-side) channel to its upstream twin. Input flows up with its EOF; output flows
 * down, and for sessions the exit status follows only once all output has been handed over, so the
 * client never sees the exit before the last bytes.
 */
function join(local: ServerChannel, remote: ClientChannel, session = false): void {
  if (!session) {
    joinStreams(local, remote);
    return;
  }
  let exit: unknown[] | null = null;
  remote.on("exit", (...args: unknown[]) => {
    exit = args;
  });
  local.on("error", () => {});
  remote.on("error", () => {});
  local.pipe(remote);
  remote.pipe(local, { end: false });
  const stderrDone = pipeStderr(remote, local);
  const outDone = once(remote, "end").catch(() => {});
  let closed = false;
  const finish = async () => {
    if (closed) return;
    closed = true;
    await Promise.race([Promise.all([outDone, stderrDone]), once(local, "close")]);
    await Promise.all([flushed(local), flushed(local.stderr)]);
    if (exit) {
      const [code, signal, coreDumped, message] = exit as [number | null, string?, boolean?, string?];
      if (typeof code === "number") local.exit(code);
      else if (signal) local.exit(signal.replace(/^SIG/, ""), coreDumped ?? false, message ?? "");
    }
    local.end();
  };
  // ssh2 passes the exit status (or signal) to "close" as well: "exit" may have been emitted before
  // this listener existed, when the whole answer of a short command came in one read.
  remote.once("close", (...args: unknown[]) => {
    if (exit === null && (typeof args[0] === "number" || typeof args[1] === "string")) exit = args;
    void finish();
  });
  local.once("close", () => {
    remote.unpipe(local);
    if (!closed) remote.close();
  });
}

/** A forwarded connection: bytes and EOF both ways; when either side closes, so does the other. */
function joinStreams(local: ServerChannel, remote: ClientChannel): void {
  local.on("error", () => {});
  remote.on("error", () => {});
  local.pipe(remote);
  remote.pipe(local);
  local.once("close", () => remote.close());
  remote.once("close", () => local.close());
}

function pipeStderr(remote: ClientChannel, local: ServerChannel): Promise<void> {
  remote.stderr.on("data", (chunk: Buffer) => {
    if (!local.stderr.write(chunk)) remote.stderr.pause();
  });
  local.stderr.on("drain", () => remote.stderr.resume());
  return once(remote.stderr, "end").then(
    () => {},
    () => {},
  );
}

/** Resolves once `stream` has handed all it was given to the transport. */
function flushed(stream: Writable): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return Promise.resolve();
  return Promise.race([once(stream, "drain"), once(stream, "close")]).then(() => {});
}

/** Remote forwards per upstream connection: bound address → the local client that asked. */
const routes = new WeakMap<ssh2.Client, Map<string, ssh2.Connection>>();

function routeForward(raw: ssh2.Client, bound: string, local: ssh2.Connection): void {
  let table = routes.get(raw);
  if (!table) {
    const created = new Map<string, ssh2.Connection>();
    table = created;
    routes.set(raw, created);
    raw.on("tcp connection", (info, accept, reject) => {
      const client = created.get(key(info.destIP, info.destPort));
      if (!client) return reject();
      client.forwardOut(info.destIP, info.destPort, info.srcIP, info.srcPort, (error, channel) => {
        if (error) return reject();
        join(channel as unknown as ServerChannel, accept() as unknown as ClientChannel);
      });
    });
  }
  table.set(bound, local);
}

function unroute(raw: ssh2.Client, bound: string): void {
  routes.get(raw)?.delete(bound);
}

const key = (address: string, port: number) => `${address}\u0000${port}`;
function splitKey(value: string): [string, number] {
  const [address = "", port = "0"] = value.split("\u0000");
  return [address, Number(port)];
}
