import { isInvokeError } from "@fabric-ts/invoke/errors";
import type { GroupResult } from "../group/group-result.js";
import { hostLabel } from "../group/host-label.js";
import { errorLine } from "../group/outcome.js";
import type { HostOutcome } from "../output/summary.js";
import { FabricError, type FabricErrorCode, tagKind } from "./fabric-error.js";

/** Stands in a group result for a host that never ran (fail-fast stopped the group, or it was aborted). */
export class HostSkipped extends FabricError {
  static {
    tagKind(HostSkipped, "HostSkipped");
  }
  override readonly code: FabricErrorCode = "HOST_SKIPPED";

  constructor(host: string, why: string) {
    super(`${host}: skipped (${why})`);
    this.name = "HostSkipped";
  }
}

/**
 * Thrown by a group operation when any host failed. `result` holds every host's value or error;
 * the message names each failed host on its own line:
 *
 * ```text
 * 1 of 20 hosts failed:
 *   host10: UnexpectedExit: "exit 3" exited 3
 * ```
 */
export class GroupException<V = unknown> extends FabricError {
  static {
    tagKind(GroupException, "GroupException");
  }
  override readonly code: FabricErrorCode = "GROUP_FAILED";
  readonly result: GroupResult<V>;

  constructor(result: GroupResult<V>) {
    const failed = [...result.failed];
    const lines = failed.map(([connection, error]) => `  ${hostLabel(connection)}: ${errorLine(error)}`);
    super(`${failed.length} of ${result.size} hosts failed:\n${lines.join("\n")}`);
    this.name = "GroupException";
    this.result = result;
  }
}

/** `fab -- cmd` without any host to run it on (Fabric's message). */
export class NothingToDo extends FabricError {
  static {
    tagKind(NothingToDo, "NothingToDo");
  }
  override readonly code: FabricErrorCode = "NOTHING_TO_DO";

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
export class HostsFailed extends FabricError {
  static {
    tagKind(HostsFailed, "HostsFailed");
  }
  override readonly code: FabricErrorCode = "HOSTS_FAILED";
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
  if (errors.length !== 1 || !isInvokeError(only, "UnexpectedExit")) return 1;
  // Read defensively: the error may come from another (older or newer) copy of invoke.
  const exited: unknown = only.result?.exited;
  if (typeof exited !== "number") return 1;
  // Killed by signal n (exited -n): 128 + n, as shells report it.
  if (exited < 0 && exited > -128) return 128 - exited;
  return exited > 0 && exited < 256 ? exited : 1;
}
