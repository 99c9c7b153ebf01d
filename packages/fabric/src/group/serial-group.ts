import { Group, type GroupSettings } from "./group.js";
import { groupOutput } from "./settings.js";

/** Runs each operation on one host after another, in order; later hosts still run after a failure unless `failFast`. */
export class SerialGroup extends Group {
  protected settings(options: GroupSettings) {
    return { concurrency: 1, failFast: options.failFast ?? false, output: groupOutput(options.output) };
  }
}
