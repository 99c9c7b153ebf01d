import type { SshClientOptions } from "../client/options.js";

/** The client options a master can be given: plain data only (callbacks cannot cross processes). */
export type MasterClientOptions = Omit<
  SshClientOptions,
  | "sock"
  | "earlyDial"
  | "signal"
  | "debug"
  | "promptPassphrase"
  | "promptPassword"
  | "onKeyboardInteractive"
  | "onUnknownHostKey"
  | "privateKeys"
>;

/** What a master process is told on its stdin (JSON) when it is started. */
export interface MasterSpec {
  /** The upstream connection: where, how to authenticate and check the host key. */
  client: MasterClientOptions;
  /** Where to serve: the destination's socket in the control directory. */
  socketPath: string;
  /** Exit after this many ms without a client; 0: only when stopped or the upstream is lost. */
  idleMs: number;
}

/** What `masters` lists: written beside each socket (`<socket>.json`) by its master. */
export interface MasterInfo {
  pid: number;
  socketPath: string;
  host: string;
  port: number;
  username: string;
  /** ms since the epoch. */
  startedAt: number;
  idleMs: number;
  logPath: string;
}

const DROPPED = [
  "sock",
  "earlyDial",
  "signal",
  "debug",
  "promptPassphrase",
  "promptPassword",
  "onKeyboardInteractive",
  "onUnknownHostKey",
  "privateKeys",
] as const;

/**
 * The part of `options` a master can use. The master has no terminal: it runs in batch mode, so a
 * connection that needs a prompt (unknown host key in `ask` mode, keyboard-interactive) fails there
 * and the caller connects directly instead, where the prompt can be answered.
 */
export function masterClientOptions(options: SshClientOptions): MasterClientOptions {
  const copy: Record<string, unknown> = { ...options };
  for (const key of DROPPED) delete copy[key];
  return { ...(copy as MasterClientOptions), batchMode: true };
}
