import { Readable } from "node:stream";
import type { ClientChannel, PseudoTtyOptions } from "ssh2";
import { SshAbortError, type SshError } from "../errors.js";
import { inlineEnvCommand, isValidEnvName } from "../quote.js";
import { sendSignal, sendWindowChange } from "./channel-control.js";
import type { ChannelQueue } from "./channel-queue.js";
import { ChannelInput } from "./input-stream.js";
import { ChannelOutput } from "./output-stream.js";
import { type StopTransport, stopExec } from "./stop.js";
import type { EnvMode, ExecExit, ExecHandle, ExecOptions, ExecStopOutcome } from "./types.js";

/** What an exec needs from its connection; implemented by SshClient. */
export interface ExecTransport extends StopTransport {
  readonly queue: ChannelQueue;
  /** Open a session channel and start `command` on it (one attempt, no queueing). */
  openExecChannel(
    command: string,
    request: { env?: Record<string, string>; pty?: PseudoTtyOptions; agentForward?: boolean },
  ): Promise<ClientChannel>;
  /** Whether an open failure means "too many sessions" (retry later) rather than a hard error. */
  isSessionRefusal(error: unknown): boolean;
  /** Translate an ssh2 channel-open error into a typed one. */
  toChannelError(error: unknown): SshError;
  /** The error that ended the connection, or null while it is up. */
  connectionError(): SshError | null;
  readonly defaultEnvMode: EnvMode;
}

const EXIT = Symbol("exit status");
type WatchedChannel = ClientChannel & { [EXIT]?: ExecExit | null };

/**
 * Record the channel's exit status from now on. Call it as soon as the channel exists: ssh2 parses
 * every message of a received chunk synchronously, so when a short command's whole answer arrives at
 * once (common through a jump host), "exit-status" is emitted before any promise continuation runs.
 */
export function watchExit(channel: ClientChannel): void {
  const watched = channel as WatchedChannel;
  if (watched[EXIT] !== undefined) return;
  watched[EXIT] = null;
  channel.on("exit", (code: number | null, signalName?: string) => {
    watched[EXIT] = { exitCode: code ?? null, signal: code === null ? (signalName ?? null) : null };
  });
}

function recordedExit(channel: ClientChannel): ExecExit | null {
  return (channel as WatchedChannel)[EXIT] ?? null;
}

export function startExec(transport: ExecTransport, command: string, options: ExecOptions = {}): ExecHandle {
  const envMode = options.envMode ?? transport.defaultEnvMode;
  const env = options.env ?? {};
  for (const name of Object.keys(env)) {
    if (!isValidEnvName(name))
      throw new TypeError(`Invalid environment variable name: ${JSON.stringify(name)}`);
  }
  const wire = envMode === "inline" ? inlineEnvCommand(env, command) : command;
  const pty = ptyRequest(options.pty);
  const abortSignalName = options.abortSignalName ?? "TERM";

  const stdout = new ChannelOutput();
  const stderr = new ChannelOutput();
  let channel: ClientChannel | null = null;
  let release: (() => void) | null = null;
  let aborted: SshAbortError | null = null;

  const opened = (async () => {
    const slot = await transport.queue
      .open(
        () =>
          transport.openExecChannel(wire, {
            ...(envMode === "setenv" && Object.keys(env).length > 0 ? { env: { ...env } } : {}),
            ...(pty ? { pty } : {}),
            ...(options.agentForward === undefined ? {} : { agentForward: options.agentForward }),
          }),
        {
          isRefusal: (error) => transport.isSessionRefusal(error),
          ...(options.signal ? { signal: options.signal } : {}),
        },
      )
      .catch((error: unknown) => {
        throw error instanceof SshAbortError ? error : transport.toChannelError(error);
      });
    release = slot.release;
    channel = slot.value;
    if (aborted) {
      sendSignal(channel, abortSignalName);
      channel.close();
    }
    return channel;
  })();

  const stdin = new ChannelInput(
    opened.then(
      (c) => c,
      () => null,
    ),
  );
  const started = opened.then(() => undefined);

  let abandon = () => {};
  const done = new Promise<ExecExit>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener("abort", onAbort);
      fn();
    };
    const onAbort = () => {
      aborted = new SshAbortError(`Command aborted: ${command}`, { cause: options.signal?.reason });
      if (channel) {
        sendSignal(channel, abortSignalName);
        channel.close();
      }
      const error = aborted;
      settle(() => reject(error));
    };
    if (options.signal?.aborted) onAbort();
    else options.signal?.addEventListener("abort", onAbort, { once: true });
    abandon = () => {
      stdout.detach();
      stderr.detach();
      const exit = channel ? recordedExit(channel) : null;
      settle(() => resolve(exit ?? { exitCode: null, signal: null }));
    };

    opened.then(
      (ch) => {
        const exitOf = () => recordedExit(ch) ?? { exitCode: null, signal: null };
        watchExit(ch);
        const outputsDone = Promise.all([
          stdout.attach(ch, options.onStdout),
          stderr.attach(ch.stderr, options.onStderr),
        ]);
        const closed = new Promise<void>((resolveClose) => ch.once("close", () => resolveClose()));
        void Promise.all([outputsDone, closed]).then(() => {
          release?.();
          const lost = transport.connectionError();
          const exit = recordedExit(ch);
          if (!exit && lost) settle(() => reject(lost));
          else settle(() => resolve(exitOf()));
        });
      },
      (error: unknown) => {
        stdout.finish();
        stderr.finish();
        settle(() => reject(error));
      },
    );
  });
  // `done` is always observable via the handle; this keeps an ignored failure from crashing the process.
  done.catch(() => {});
  started.catch(() => {});

  if (options.stdin !== undefined) feedStdin(stdin, options.stdin);

  const signal = (name: string) => {
    if (channel) sendSignal(channel, name);
  };
  const close = () => {
    if (channel) channel.close();
    else
      void opened.then(
        (c) => c.close(),
        () => {},
      );
  };
  let stopping: Promise<ExecStopOutcome> | null = null;
  const settled = done.then(
    () => {},
    () => {},
  );

  return {
    command,
    stdout,
    stderr,
    stdin,
    started,
    done,
    resize(cols, rows) {
      if (channel) sendWindowChange(channel, cols, rows);
    },
    signal,
    close,
    stop(stopOptions) {
      stopping ??= stopExec(
        {
          hasPty: pty !== undefined,
          settled,
          writeInterrupt: () => {
            if (channel?.writable && !channel.writableEnded) channel.write("\x03");
          },
          signal,
          close,
          abandon: () => abandon(),
        },
        transport,
        stopOptions,
      );
      return stopping;
    },
  };
}

function ptyRequest(pty: ExecOptions["pty"]): PseudoTtyOptions | undefined {
  if (!pty) return undefined;
  const options = pty === true ? {} : pty;
  const cols = options.cols ?? 80;
  const rows = options.rows ?? 24;
  return {
    cols,
    rows,
    width: cols * 8,
    height: rows * 16,
    term: options.term ?? "vt100",
    ...(options.modes ? { modes: options.modes } : {}),
  };
}

function feedStdin(stdin: ChannelInput, source: NonNullable<ExecOptions["stdin"]> | null): void {
  if (source === null) {
    stdin.end();
  } else if (typeof source === "string" || source instanceof Uint8Array) {
    stdin.end(source);
  } else {
    const readable = source instanceof Readable ? source : Readable.from(source as AsyncIterable<Buffer>);
    readable.pipe(stdin);
  }
}
