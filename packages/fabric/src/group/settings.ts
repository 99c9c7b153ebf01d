import type { HostOutputOptions, OutputMode } from "../output/host-output.js";

/** The `output` group setting as full options; prefixed lines by default. */
export function groupOutput(output: OutputMode | HostOutputOptions | undefined): HostOutputOptions {
  if (output === undefined) return { mode: "prefixed" };
  return typeof output === "string" ? { mode: output } : output;
}
