import { constants } from "node:os";
import { interruption, markInterrupted } from "../interruption.js";

/** How long the run may take to unwind after the first signal before `fab` exits regardless. */
const UNWIND_GRACE_MS = 1500;

const INSTALLED = Symbol.for("fabric-ts.cli-signals");

/** `fab`'s exit code after `signal`: 128 + its number (130 for SIGINT, 143 for SIGTERM), as shells do. */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + (constants.signals[signal] ?? 0);
}

/**
 * How `fab` ends on Ctrl-C (SIGINT) and SIGTERM, once installed:
 * - the first signal asks the remote side to stop: Ctrl-C is forwarded to running commands by the
 *   runners (a `signal` request, or `\x03` on a pty); SIGTERM stops them here (a `signal` request,
 *   then their channels are closed). Transfers abort and remove their temporary files;
 * - the run then unwinds, and `fab` exits 130 (SIGINT) or 143 (SIGTERM), never 0;
 * - if it has not unwound within {@link UNWIND_GRACE_MS} (sshd refuses signals on root logins; a
 *   command may ignore them; the server may be frozen), or on a second signal, `fab` exits at once,
 *   which closes every connection (sshd then hangs up remote ptys).
 *
 * Returns the function that uninstalls it (before a hand-over to another copy of the CLI).
 */
export function installCliSignals(stderr: NodeJS.WritableStream = process.stderr): () => void {
  // Once per process (a second copy of this module must not add its own listeners).
  const holder = globalThis as { [INSTALLED]?: true };
  if (holder[INSTALLED]) return () => {};
  holder[INSTALLED] = true;
  const exitNow = () => {
    const signal = interruption() ?? "SIGINT";
    stderr.write(`\nInterrupted by ${signal}: closing connections.\n`);
    process.exit(signalExitCode(signal));
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruption()) return exitNow();
    markInterrupted(signal);
    // Should the event loop empty before the explicit exit, the exit code still tells.
    process.exitCode = signalExitCode(signal);
    // Loaded lazily: this module is on the CLI's start-up path, before the runners are.
    if (signal === "SIGTERM") void import("@fabric-ts/invoke").then((m) => m.terminateRunningCommands());
    setTimeout(exitNow, UNWIND_GRACE_MS);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    delete holder[INSTALLED];
  };
}

/** The exit code for a run that returned `code`: the signal's when `fab` was interrupted. */
export function exitCodeAfter(code: number): number {
  const signal = interruption();
  return signal ? signalExitCode(signal) : code;
}
