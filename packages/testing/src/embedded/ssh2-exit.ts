import type { ServerChannel } from "ssh2";

// The one place this package reaches into ssh2's private channel state (lib/Channel.js: outgoing.{id,state},
// _client._protocol), server side only. ssh2 is pinned exactly in package.json, and the embedded core suite
// checks the order on the wire (EOF, then exit-status/exit-signal, then close) against that version, so an
// upgrade that moves these internals fails there first.

interface ServerChannelInternals {
  outgoing: { id: number; state: string };
  _client: {
    _protocol: {
      exitStatus(id: number, status: number): void;
      exitSignal(id: number, name: string, coreDumped: boolean, message: string): void;
    };
  };
}

/**
 * Ends a server channel in sshd's order: EOF, then exit-status or exit-signal, then close. ssh2's public
 * `exit()` refuses to send after EOF. Returns false (nothing sent) when the channel is no longer open.
 */
export function sendExitAfterEof(
  channel: ServerChannel,
  exit: { status: number } | { signal: string },
): boolean {
  const raw = channel as unknown as ServerChannelInternals;
  if (raw.outgoing.state !== "open") return false;
  channel.eof();
  if ("signal" in exit) raw._client._protocol.exitSignal(raw.outgoing.id, exit.signal, false, "");
  else raw._client._protocol.exitStatus(raw.outgoing.id, exit.status);
  channel.end();
  return true;
}
