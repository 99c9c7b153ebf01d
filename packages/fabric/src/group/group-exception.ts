import type { GroupResult } from "./group-result.js";
import { hostLabel } from "./host-label.js";
import { errorLine } from "./outcome.js";

/**
 * Thrown by a group operation when any host failed. `result` holds every host's value or error;
 * the message names each failed host on its own line:
 *
 * ```text
 * 1 of 20 hosts failed:
 *   host10: UnexpectedExit: "exit 3" exited 3
 * ```
 */
export class GroupException<V = unknown> extends Error {
  readonly code = "GROUP_FAILED";
  readonly result: GroupResult<V>;

  constructor(result: GroupResult<V>) {
    const failed = [...result.failed];
    const lines = failed.map(([connection, error]) => `  ${hostLabel(connection)}: ${errorLine(error)}`);
    super(`${failed.length} of ${result.size} hosts failed:\n${lines.join("\n")}`);
    this.name = "GroupException";
    this.result = result;
  }
}
