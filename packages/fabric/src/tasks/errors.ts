import { errorLine } from "../group/outcome.js";
import type { HostOutcome } from "../output/summary.js";

/** `fab -- cmd` without any host to run it on (Fabric's message). */
export class NothingToDo extends Error {
  readonly code = "NOTHING_TO_DO";

  constructor(message = "Was told to run a command, but not given any hosts to run it on!") {
    super(message);
    this.name = "NothingToDo";
  }
}

/**
 * A `fab` session in which tasks failed on some hosts. The message names each failed host on its
 * own line. `exitCode`: the command's exit code when exactly one host failed and it failed with a
 * non-zero exit (128 + n when signal n killed it); otherwise 1.
 */
export class HostsFailed extends Error {
  readonly code = "HOSTS_FAILED";
  readonly outcomes: readonly HostOutcome[];
  readonly errors: readonly Error[];
  readonly exitCode: number;

  constructor(outcomes: readonly HostOutcome[], failures: readonly { host: string; error: Error }[]) {
    // Counted against every host given, run or not: "1 of 3 hosts failed … (1 not run …)".
    const lines = failures.map(({ host, error }) => `  ${host}: ${errorLine(error)}`);
    const skipped = outcomes.filter((o) => o.status === "skipped").length;
    const tail = skipped > 0 ? `\n  (${skipped} not run after the failure)` : "";
    super(`${failures.length} of ${outcomes.length} hosts failed:\n${lines.join("\n")}${tail}`);
    this.name = "HostsFailed";
    this.outcomes = outcomes;
    this.errors = failures.map((f) => f.error);
    this.exitCode = exitCodeFor(failures.map((f) => f.error));
  }
}

function exitCodeFor(errors: readonly Error[]): number {
  const [only] = errors;
  if (errors.length !== 1 || only?.name !== "UnexpectedExit") return 1;
  const exited = (only as { result?: { exited?: unknown } }).result?.exited;
  if (typeof exited !== "number") return 1;
  // Killed by signal n (exited -n): 128 + n, as shells report it.
  if (exited < 0 && exited > -128) return 128 - exited;
  return exited > 0 && exited < 256 ? exited : 1;
}
