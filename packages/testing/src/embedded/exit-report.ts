import type { ServerChannel } from "ssh2";
import type { CommandExit } from "./command.js";
import { exitCodeForSignal, sshSignalName } from "./signals.js";
import { sendExitAfterEof } from "./ssh2-internals.js";

type ExitMessage = { status: number } | { signal: string };

function exitMessage(exit: CommandExit): ExitMessage {
  if (!exit.signal) return { status: exit.code ?? 255 };
  const name = sshSignalName(exit.signal);
  return name ? { signal: name } : { status: exitCodeForSignal(exit.signal) };
}

/**
 * Ends the channel in sshd's usual order: EOF, then exit-status or exit-signal, then close. ssh2's public
 * `exit()` refuses to run after EOF, so that order goes through the private channel state (ssh2-internals.ts); a channel no longer
 * open falls back to exit-status before EOF (which clients accept just as well).
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
  if (!order.exitBeforeEof && sendExitAfterEof(channel, message)) return;
  if ("signal" in message) channel.exit(message.signal, false, "");
  else channel.exit(message.status);
  channel.end();
}
