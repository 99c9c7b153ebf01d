/** Synchronous clean-up run when the Node process exits normally (stop() was never called). */
type ExitTask = () => void;

const tasks = new Set<ExitTask>();
let installed = false;

function runAll(): void {
  for (const task of tasks) {
    try {
      task();
    } catch {
      // Best effort: one failed clean-up must not prevent the others.
    }
  }
  tasks.clear();
}

/** Registers a synchronous task for process exit; returns a function that unregisters it. */
export function onProcessExit(task: ExitTask): () => void {
  if (!installed) {
    installed = true;
    process.once("exit", runAll);
  }
  tasks.add(task);
  return () => {
    tasks.delete(task);
  };
}
