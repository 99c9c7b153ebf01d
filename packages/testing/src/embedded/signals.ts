import { constants } from "node:os";

// The signal names RFC 4254 defines for exit-signal; OpenSSH sends only these.
const SSH_SIGNALS = new Set([
  "ABRT",
  "ALRM",
  "FPE",
  "HUP",
  "ILL",
  "INT",
  "KILL",
  "PIPE",
  "QUIT",
  "SEGV",
  "TERM",
  "USR1",
  "USR2",
]);

export function signalName(signo: number): NodeJS.Signals | null {
  const entry = Object.entries(constants.signals).find(([, value]) => value === signo);
  return entry ? (entry[0] as NodeJS.Signals) : null;
}

/** The exit-signal name (`TERM`) for a Node signal (`SIGTERM`), or undefined when SSH has no name for it. */
export function sshSignalName(signal: NodeJS.Signals): string | undefined {
  const bare = signal.replace(/^SIG/, "");
  return SSH_SIGNALS.has(bare) ? bare : undefined;
}

/** The local signal for a `signal` channel request (`TERM` → `SIGTERM`), if this platform has it. */
export function localSignal(sshName: string): NodeJS.Signals | undefined {
  const name = `SIG${sshName.replace(/^SIG/, "")}`;
  return name in constants.signals ? (name as NodeJS.Signals) : undefined;
}

/** Shell convention for a death by signal when no exit-signal name exists: 128 + signal number. */
export function exitCodeForSignal(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}
