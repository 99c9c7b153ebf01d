// What the helpers share with the `fab` run around them, without importing each other: the
// session's config (prompt answers, `--yes`) and the per-host changed/ok counts of the summary.
import { AsyncLocalStorage } from "node:async_hooks";

/** What the idempotent helpers did during one task on one host (Ansible's `changed` / `ok`). */
export interface ChangeCounts {
  /** Helper calls that changed something on the host. */
  changed: number;
  /** Helper calls that found everything already as asked. */
  ok: number;
}

/** The part of a Config the helpers read. */
export interface ConfigReader {
  get<T = unknown>(path: string, fallback?: T): T;
}

export interface HelperSession {
  /** Where prompts look for answers (`prompts.<name>`, `prompts.yes`). */
  config?: ConfigReader;
  /** Where helper calls are counted. */
  counts?: ChangeCounts;
}

// One store per process even if this module is loaded twice (a bundle and its sources, or two
// copies of the package): the executor and a fabfile's helpers must meet in the same store.
const KEY = Symbol.for("fabric-ts.helpers.session");
const holder = globalThis as { [KEY]?: AsyncLocalStorage<HelperSession> };
holder[KEY] ??= new AsyncLocalStorage<HelperSession>();
const storage: AsyncLocalStorage<HelperSession> = holder[KEY];

/** Run `body` with `session` (merged over the surrounding one) visible to every helper it calls. */
export function withHelperSession<T>(session: HelperSession, body: () => Promise<T>): Promise<T> {
  return storage.run({ ...storage.getStore(), ...session }, body);
}

/** The session around the caller, if any. */
export function helperSession(): HelperSession | undefined {
  return storage.getStore();
}

/**
 * Run `body` with fresh counts that every helper called inside it (at any depth of awaits) adds
 * to; resolves to the body's value and the counts. The `fab` executor wraps each host's task in it.
 */
export async function countingChanges<T>(
  body: () => Promise<T>,
): Promise<{ value: T; counts: ChangeCounts }> {
  const counts: ChangeCounts = { changed: 0, ok: 0 };
  const value = await withHelperSession({ counts }, body);
  return { value, counts };
}

/** Count one helper call as changed or ok in the surrounding {@link countingChanges}, if any. */
export function recordChange(changed: boolean): boolean {
  const counts = storage.getStore()?.counts;
  if (counts) counts[changed ? "changed" : "ok"] += 1;
  return changed;
}
