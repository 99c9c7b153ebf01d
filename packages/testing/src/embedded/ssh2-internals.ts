import type { ServerChannel } from "ssh2";

// The one place this package reaches into ssh2's private server-channel state (lib/Channel.js:
// outgoing.{id,state}, _client._protocol, and the resume slots _chunk/_chunkcb/_chunkErr/_chunkcbErr).
// ssh2 is pinned exactly in package.json. The embedded core suite checks the order on the wire (EOF, then
// exit-status/exit-signal, then close) and stderr written while stdout waits for the window, against that
// version, so an upgrade that moves these internals fails there first.

interface ServerChannelInternals {
  outgoing: { id: number; state: string };
  _client: {
    _protocol: {
      exitStatus(id: number, status: number): void;
      exitSignal(id: number, name: string, coreDumped: boolean, message: string): void;
    };
  };
  // Where ssh2 parks a write that ran out of window, to finish it on the next window adjust.
  _chunk?: Buffer;
  _chunkcb?: () => void;
  _chunkErr?: Buffer;
  _chunkcbErr?: () => void;
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

/**
 * Forgets a parked write once it has completed. ssh2 1.17.0 never clears its resume slots: after stdout
 * once waited for the window, a later stderr write that waits makes the next window adjust send the old
 * stdout chunk again (and call its callback twice) instead of the stderr bytes, which then never go out.
 * Call this after a write's callback, with no other write to the channel in flight.
 */
export function forgetFinishedWrite(channel: ServerChannel): void {
  const raw = channel as unknown as ServerChannelInternals;
  raw._chunk = undefined;
  raw._chunkcb = undefined;
  raw._chunkErr = undefined;
  raw._chunkcbErr = undefined;
}
