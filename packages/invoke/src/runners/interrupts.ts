/**
 * Commands run in their own process group (so a timeout can kill a whole tree), which means the
 * terminal's Ctrl-C no longer reaches them. While commands run, SIGINT is forwarded to them instead
 * (as Invoke does: Ctrl-C interrupts the command, not the caller), and if this process exits while
 * they are still running they are terminated rather than orphaned.
 *
 * One SIGINT listener serves every command. It is removed once no command has been running for a
 * turn of the event loop, so back-to-back commands do not add and remove it each time; a SIGINT
 * that lands in that short idle window gets Node's default behaviour (see {@link onSigint}).
 */

export interface RunningCommand {
  interrupt(): void;
  terminate(): void;
}

const running = new Set<RunningCommand>();
let exitHookInstalled = false;
let sigintInstalled = false;
let removalScheduled = false;

const onSigint = () => {
  if (running.size > 0) {
    for (const command of running) command.interrupt();
    return;
  }
  // Idle: behave as if we were not listening (Node exits on SIGINT when nobody listens).
  removeSigintListener();
  if (process.listenerCount("SIGINT") === 0) process.kill(process.pid, "SIGINT");
};

const onExit = () => terminateRunningCommands();

/** Ask every running command to terminate (SIGTERM, or a remote command's bounded stop). */
export function terminateRunningCommands(): void {
  for (const command of running) command.terminate();
}

function removeSigintListener(): void {
  if (!sigintInstalled) return;
  process.off("SIGINT", onSigint);
  sigintInstalled = false;
}

function removeSigintListenerIfIdle(): void {
  removalScheduled = false;
  if (running.size === 0) removeSigintListener();
}

/** Register a running command; returns the function that unregisters it. */
export function trackRunning(command: RunningCommand): () => void {
  if (!sigintInstalled) {
    process.on("SIGINT", onSigint);
    sigintInstalled = true;
  }
  if (!exitHookInstalled) {
    process.on("exit", onExit);
    exitHookInstalled = true;
  }
  running.add(command);
  return () => {
    if (!running.delete(command) || running.size > 0 || removalScheduled) return;
    removalScheduled = true;
    setImmediate(removeSigintListenerIfIdle).unref();
  };
}
