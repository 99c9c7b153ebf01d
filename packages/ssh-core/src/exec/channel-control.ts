import type { ClientChannel } from "ssh2";
import { sendSignalRequest, sendWindowChangeRequest } from "../ssh2-internals.js";

// RFC 4254 allows `signal` and `window-change` after our stdin EOF; ssh2's public methods drop them
// then, so these go through ssh2-internals.ts.

export function sendSignal(channel: ClientChannel, name: string): void {
  sendSignalRequest(channel, name);
}

export function sendWindowChange(channel: ClientChannel, cols: number, rows: number): void {
  sendWindowChangeRequest(channel, { rows, cols, height: rows * 16, width: cols * 8 });
}
