import { Group, type GroupSettings } from "./group.js";
import { groupOutput } from "./settings.js";

/** Default number of hosts a ThreadingGroup works on at once (Fabric has no limit; sshd's MaxStartups does). */
export const DEFAULT_CONCURRENCY = 64;

/**
 * Runs each operation on many hosts at once (async I/O, no threads), at most `concurrency` at a
 * time; the result is complete once every host is done.
 * @example const result = await new ThreadingGroup("web1", "web2", { concurrency: 10, failFast: true }).run("uptime");
 */
export class ThreadingGroup extends Group {
  protected settings(options: GroupSettings) {
    const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
    if (!(concurrency >= 1)) throw new RangeError(`concurrency must be at least 1, got ${concurrency}`);
    return { concurrency, failFast: options.failFast ?? false, output: groupOutput(options.output) };
  }
}
