/**
 * Commands run in their own process group (so a timeout can kill a whole tree), which means the
 * terminal's Ctrl-C no longer reaches them. While commands run, SIGINT is forwarded to them instead
 * (as Invoke does: Ctrl-C interrupts the command, not the caller), and if this process exits while
 * they are still running they are terminated rather than orphaned.
 */

export interface RunningCommand {
  interrupt(): void;
  terminate(): void;
}

const running = new Set<RunningCommand>();
let exitHookInstalled = false;

const onSigint = () => {
  for (const command of running) command.interrupt();
};

const onExit = () => {
  for (const command of running) command.terminate();
};

/** Register a running command; returns the function that unregisters it. */
export function trackRunning(command: RunningCommand): () => void {
  if (running.size === 0) process.on("SIGINT", onSigint);
  if (!exitHookInstalled) {
    process.on("exit", onExit);
    exitHookInstalled = true;
  }
  running.add(command);
  return () => {
    if (!running.delete(command)) return;
    if (running.size === 0) process.off("SIGINT", onSigint);
  };
}
