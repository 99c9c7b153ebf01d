const live = new Set<number>();
let hooked = false;

/** Sends a signal to a whole process group; a group that is already gone is not an error. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group exited between our check and the kill.
  }
}

/**
 * Commands run in their own process group (so signals reach pipelines), which also means they would outlive
 * a test process that dies without calling `stop()`. Track them and kill what is left on exit.
 */
export function trackGroup(pid: number): () => void {
  live.add(pid);
  if (!hooked) {
    hooked = true;
    process.once("exit", () => {
      for (const group of live) signalGroup(group, "SIGKILL");
    });
  }
  return () => live.delete(pid);
}
