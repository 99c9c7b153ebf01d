import type { ServerChannel } from "ssh2";
import type { CommandExit } from "./command.js";
import { exitCodeForSignal, sshSignalName } from "./signals.js";

/** The parts of ssh2's channel internals needed to send exit-status after EOF. */
interface ChannelInternals {
  outgoing?: { id?: number; state?: string };
  _client?: {
    _protocol?: {
      exitStatus?(channelId: number, status: number): void;
      exitSignal?(channelId: number, name: string, coreDumped: boolean, message: string): void;
    };
  };
}

type ExitMessage = { status: number } | { signal: string };

function exitMessage(exit: CommandExit): ExitMessage {
  if (!exit.signal) return { status: exit.code ?? 255 };
  const name = sshSignalName(exit.signal);
  return name ? { signal: name } : { status: exitCodeForSignal(exit.signal) };
}

/**
 * Ends the channel in sshd's usual order: EOF, then exit-status or exit-signal, then close. ssh2's public
 * `exit()` refuses to run after EOF, so the request goes through the protocol object when it is there;
 * otherwise it falls back to exit-status before EOF (which clients accept just as well).
 */
export function reportExit(
  channel: ServerChannel,
  exit: CommandExit,
  order: { abrupt: boolean; exitBeforeEof: boolean },
): void {
  if (order.abrupt) {
    channel.end();
    return;
  }
  const message = exitMessage(exit);
  const internals = channel as unknown as ChannelInternals;
  const protocol = internals._client?._protocol;
  const id = internals.outgoing?.id;
  const canSendAfterEof =
    id !== undefined &&
    typeof protocol?.exitStatus === "function" &&
    typeof protocol.exitSignal === "function";
  if (order.exitBeforeEof || !canSendAfterEof || internals.outgoing?.state !== "open") {
    if ("signal" in message) channel.exit(message.signal, false, "");
    else channel.exit(message.status);
    channel.end();
    return;
  }
  channel.eof();
  if ("signal" in message) protocol.exitSignal?.(id, message.signal, false, "");
  else protocol.exitStatus?.(id, message.status);
  channel.end();
}
