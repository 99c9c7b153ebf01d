import type { ServerChannel, Session } from "ssh2";
import { type CommandExit, flushed, type PtySize, type RunningCommand, runCommand } from "./command.js";
import type { ConnectionState } from "./connection-state.js";
import { reportExit } from "./exit-report.js";
import { delay, matchesDropOnExec } from "./faults.js";
import type { HostRuntime } from "./runtime.js";
import { serveSftp } from "./sftp/server.js";
import { localSignal } from "./signals.js";
import type { ExecLogEntry } from "./types.js";

function commandEnv(
  host: HostRuntime,
  state: ConnectionState,
  requested: Record<string, string>,
  pty: PtySize | undefined,
): Record<string, string> {
  const user = state.user ?? "";
  return {
    HOME: host.dir,
    USER: user,
    LOGNAME: user,
    SHELL: host.shell,
    LANG: "C.UTF-8",
    SSH_CLIENT: `${state.remoteAddress} ${state.remotePort} ${host.port}`,
    SSH_CONNECTION: `${state.remoteAddress} ${state.remotePort} ${host.address} ${host.port}`,
    ...(pty ? { TERM: pty.term } : {}),
    ...host.baseEnv,
    ...requested,
  };
}

/** Serves one accepted session channel: env/pty/signal requests, then exec, shell or the sftp subsystem. */
export function serveSession(session: Session, state: ConnectionState, host: HostRuntime): void {
  const env: Record<string, string> = {};
  let pty: PtySize | undefined;
  let running: RunningCommand | undefined;
  let closed = false;

  const onClosed = () => {
    if (closed) return;
    closed = true;
    state.openSessions--;
    running?.hangup();
    forget();
  };
  const forget = state.onClose(onClosed);
  session.on("close", onClosed);

  // Requests sent without want-reply come with no accept/reject functions, whatever the typings say.
  session.on("env", (accept, _reject, info) => {
    env[info.key] = info.val;
    accept?.();
  });
  session.on("pty", (accept, reject, info) => {
    if (!host.pty) return reject?.();
    pty = { term: info.term || "vt100", cols: info.cols || 80, rows: info.rows || 24 };
    accept?.();
  });
  session.on("window-change", (accept, _reject, info) => {
    if (pty) Object.assign(pty, { cols: info.cols, rows: info.rows });
    running?.resize(info.cols, info.rows);
    accept?.();
  });
  session.on("signal", (accept, reject, info) => {
    const signal = localSignal(info.name);
    if (!signal || !running) return reject?.();
    running.signal(signal);
    accept?.();
  });

  const start = async (kind: "exec" | "shell", command: string, accept: () => ServerChannel) => {
    const entry: ExecLogEntry = {
      command,
      user: state.user ?? "",
      env: { ...env },
      pty: pty !== undefined,
      kind,
      startedAt: new Date(),
    };
    host.log.push(entry);
    if (kind === "exec" && matchesDropOnExec(host.faults, command)) {
      accept();
      entry.dropped = true;
      host.emit("exec", { connection: state, entry });
      state.drop();
      return;
    }
    const channel = accept();
    channel.on("close", onClosed);
    host.emit("exec", { connection: state, entry });
    const wait = delay(host.faults.execDelayMs);
    if (wait) await wait;
    if (closed) return;

    const args = kind === "exec" ? ["-c", command] : ["-l"];
    const spec = { file: host.shell, args, cwd: host.dir, env: commandEnv(host, state, env, pty) };
    let exit: CommandExit;
    try {
      running = runCommand(pty ? { ...spec, pty } : spec, channel, host.pty);
      exit = await running.exited;
    } catch (error) {
      // node-pty throws synchronously when it cannot start the program; report it like a shell would.
      channel.stderr.write(`${host.shell}: ${error instanceof Error ? error.message : String(error)}\n`);
      exit = { code: 127, signal: null };
    }
    await Promise.all([flushed(channel), flushed(channel.stderr)]);
    if (exit.signal) entry.signal = exit.signal.replace(/^SIG/, "");
    else entry.exitCode = exit.code ?? 255;
    host.emit("exit", { connection: state, entry });
    if (!closed) {
      reportExit(channel, exit, {
        abrupt: host.faults.closeChannelAbruptly === true,
        exitBeforeEof: host.faults.exitBeforeEof === true,
      });
    }
  };

  session.on("exec", (accept, _reject, info) => void start("exec", info.command, accept));
  session.on("shell", (accept) => void start("shell", "", accept));
  session.on("sftp", (accept) => {
    const sftp = accept();
    serveSftp(sftp, state, host);
  });
}
