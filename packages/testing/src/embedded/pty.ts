import type * as NodePty from "node-pty";

export type PtyModule = typeof NodePty;

let loading: Promise<PtyModule | undefined> | undefined;

/**
 * node-pty is optional: when it cannot be loaded (not installed, native build missing) hosts refuse pty
 * requests instead of failing. Loaded once, before any connection, because a pty request must be answered
 * in order with the requests that follow it.
 */
export function loadPty(): Promise<PtyModule | undefined> {
  loading ??= import("node-pty").then(
    (mod) => {
      const candidate = mod as PtyModule & { default?: PtyModule };
      return typeof candidate.spawn === "function" ? candidate : candidate.default;
    },
    () => undefined,
  );
  return loading;
}
