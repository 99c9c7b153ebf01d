import { AsyncLocalStorage } from "node:async_hooks";
import type { FabricConfig } from "../config/fabric-config.js";
import type { JsonEvents } from "../output/events.js";

/** What the running `fab` session hands to Connections and groups its tasks create. */
export interface TaskSession {
  /** The session's config: `-S`, `-i`, `-t`, `--set`, prompted passwords, config files. */
  config: FabricConfig;
  /** Set under `--json`: groups made in a task write events too, so stdout stays NDJSON. */
  events?: JsonEvents;
}

const running = new AsyncLocalStorage<TaskSession>();

/** Run `body` (the session's tasks) with `session` as what Connections and groups made inside inherit. */
export function withTaskSession<T>(session: TaskSession, body: () => T): T {
  return running.run(session, body);
}

/**
 * The session whose task is running here, if any. `new Connection(host)` and
 * `new ThreadingGroup(...hosts)` without a `config` of their own start from a copy of its config.
 */
export function currentTaskSession(): TaskSession | undefined {
  return running.getStore();
}
