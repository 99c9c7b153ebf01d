import type { ClientChannel } from "ssh2";

/**
 * ssh2 only sends `signal` and `window-change` requests while the channel is writable and its outgoing
 * side still open, i.e. before our stdin EOF. RFC 4254 allows both after EOF, and a command whose stdin we closed must still
 * be signallable, so when the public method would drop the request we send it through the protocol.
 */
interface ChannelInternals {
  writable: boolean;
  outgoing: { id: number; state: string };
  _client: {
    _protocol: {
      signal(id: number, name: string): void;
      windowChange(id: number, rows: number, cols: number, height: number, width: number): void;
    };
  };
}

function internals(channel: ClientChannel): ChannelInternals {
  return channel as unknown as ChannelInternals;
}

/** ssh2's own method would send it (else it would silently drop it). */
function publicMethodSends(raw: ChannelInternals): boolean {
  return raw.writable && raw.outgoing.state === "open";
}

function requestsAllowed(channel: ClientChannel): boolean {
  const state = internals(channel).outgoing.state;
  return state === "open" || state === "eof";
}

export function sendSignal(channel: ClientChannel, name: string): void {
  if (!requestsAllowed(channel)) return;
  const raw = internals(channel);
  if (publicMethodSends(raw)) channel.signal(name);
  else raw._client._protocol.signal(raw.outgoing.id, name);
}

export function sendWindowChange(channel: ClientChannel, cols: number, rows: number): void {
  if (!requestsAllowed(channel)) return;
  const raw = internals(channel);
  const width = cols * 8;
  const height = rows * 16;
  if (publicMethodSends(raw)) channel.setWindow(rows, cols, height, width);
  else raw._client._protocol.windowChange(raw.outgoing.id, rows, cols, height, width);
}
