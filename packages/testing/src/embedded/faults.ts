/**
 * Faults an embedded host injects on purpose. Every field is read at the moment it matters, so a test can
 * change `host.faults` while clients are connected and the next decision follows the new plan.
 */
export interface FaultPlan {
  /** Wait this long after the TCP accept before sending the SSH identification line (a slow banner). */
  bannerDelayMs?: number;
  /** Wait this long before answering each authentication request. */
  authDelayMs?: number;
  /** Reject every authentication attempt, whatever the credentials. */
  rejectAuth?: boolean;
  /**
   * `true` refuses every channel open; a number N refuses the Nth and later channel opens on a connection
   * (1-based, counting session and `direct-tcpip` channels).
   */
  refuseChannels?: boolean | number;
  /** Refuse a session channel while this many are already open on the connection (sshd's MaxSessions). */
  maxSessions?: number;
  /**
   * Cut the TCP connection once this many bytes have crossed it after authentication, in either direction
   * (SSH packet framing included), which lands in the middle of a command's output or of a transfer.
   */
  dropAfterBytes?: number;
  /** Accept an exec request whose command matches (substring for a string), then cut the connection. */
  dropOnExec?: RegExp | string;
  /** Wait this long between accepting an exec request and starting the command. */
  execDelayMs?: number;
  /** Run the command, forward its output, then close the channel without exit-status or exit-signal. */
  closeChannelAbruptly?: boolean;
  /**
   * Send exit-status (or exit-signal) before EOF instead of after it: the less common order sshd also
   * produces when a command exits before its output pipe drains.
   */
  exitBeforeEof?: boolean;
}

export function delay(ms: number | undefined): Promise<void> | undefined {
  if (!ms || ms <= 0) return undefined;
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

export function matchesDropOnExec(plan: FaultPlan, command: string): boolean {
  const pattern = plan.dropOnExec;
  if (pattern === undefined) return false;
  if (typeof pattern === "string") return command.includes(pattern);
  pattern.lastIndex = 0;
  return pattern.test(command);
}

/** Whether the `ordinal`-th channel open (1-based) on a connection must be refused. */
export function refusesChannel(plan: FaultPlan, ordinal: number): boolean {
  const refuse = plan.refuseChannels;
  if (refuse === undefined || refuse === false) return false;
  if (refuse === true) return true;
  return ordinal >= refuse;
}
