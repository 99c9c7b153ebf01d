let depth = 0;

/**
 * Run `write` so that whatever it writes to `process.stdout` / `process.stderr` goes straight to
 * the stream, past a per-task capture a task runner may have installed (`fab` gives each host's
 * task output that host's prefix). Writers that frame their own output use it: line writers that
 * already added a prefix, prompts that must show before the line ends, progress bars.
 */
export function writeDirect<T>(write: () => T): T {
  depth += 1;
  try {
    return write();
  } finally {
    depth -= 1;
  }
}

/** Whether a {@link writeDirect} call is under way (captures let such writes through). */
export function isWritingDirect(): boolean {
  return depth > 0;
}
