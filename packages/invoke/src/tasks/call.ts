import type { AnyTask, TaskArgShape, TaskArgsInput } from "./task.js";

const CALL_BRAND = Symbol.for("fabric-ts.invoke.call");

/**
 * A task plus the arguments to call it with: what the Executor runs, and how pre/post tasks get
 * arguments (`pre: [call(clean, { which: "all" })]`).
 */
export class Call<T extends AnyTask = AnyTask> {
  readonly [CALL_BRAND] = true;
  readonly task: T;
  /** Argument values by key (camelCase, as declared in `task({ args })`). */
  readonly args: Readonly<Record<string, unknown>>;
  /** The name the task was invoked as on the command line (primary name or alias, dotted). */
  readonly calledAs: string | undefined;
  /** Given directly on the command line (not reached through pre/post). */
  readonly direct: boolean;

  constructor(
    task: T,
    options: { args?: Record<string, unknown>; calledAs?: string; direct?: boolean } = {},
  ) {
    this.task = task;
    this.args = { ...(options.args ?? {}) };
    this.calledAs = options.calledAs;
    this.direct = options.direct ?? false;
  }

  /** Same task and same arguments (`calledAs` does not matter): used for deduplication. */
  equals(other: Call): boolean {
    return this.task === other.task && stableJson(this.args) === stableJson(other.args);
  }

  /** A copy with some fields replaced (subclasses such as per-host calls override this). */
  clone(changes: { args?: Record<string, unknown>; calledAs?: string; direct?: boolean } = {}): Call<T> {
    return new Call(this.task, {
      args: changes.args ?? { ...this.args },
      calledAs: changes.calledAs ?? this.calledAs,
      direct: changes.direct ?? this.direct,
    });
  }

  toString(): string {
    const calledAs =
      this.calledAs && this.calledAs !== this.task.name ? ` (called as: '${this.calledAs}')` : "";
    return `<Call '${this.task.name ?? "?"}'${calledAs}, args: ${JSON.stringify(this.args)}>`;
  }
}

/**
 * Parameterise a task for `pre`/`post` (Invoke's `call()`).
 * @example export const build = task({ pre: [call(clean, { which: "all" })] }, async (c) => {});
 */
export function call<A extends TaskArgShape>(
  task: AnyTask & { readonly args: A },
  args?: TaskArgsInput<A>,
): Call {
  return new Call(task, { args: (args ?? {}) as Record<string, unknown> });
}

export function isCall(value: unknown): value is Call {
  return (
    typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[CALL_BRAND] === true
  );
}

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
