import type { HostOutputOptions, OutputMode } from "../output/host-output.js";
import { currentTaskSession } from "../tasks/task-session.js";

/**
 * The `output` group setting as full options; prefixed lines by default, JSON events when the
 * group is made inside a `fab --json` task (so stdout stays NDJSON).
 */
export function groupOutput(output: OutputMode | HostOutputOptions | undefined): HostOutputOptions {
  if (output === undefined) {
    const events = currentTaskSession()?.events;
    return events ? { mode: "json", events } : { mode: "prefixed" };
  }
  return typeof output === "string" ? { mode: output } : output;
}
