const COUNT_BRAND = Symbol.for("fabric-ts.invoke.count-arg");

/** A counter argument: takes no value, each occurrence adds one (`-vvv` → 3). */
export interface CountArg {
  readonly [COUNT_BRAND]: true;
  readonly default: number;
  readonly description: string | undefined;
}

/**
 * Declare a counter argument for `task({ args })`: `verbose: count()` accepts `-v`, `-vv`,
 * `--verbose --verbose`, and the handler receives a number.
 *
 * @example
 * export const build = task({ args: { verbose: count("Louder output") } }, async (c, { verbose }) => {});
 */
export function count(description?: string, options: { default?: number } = {}): CountArg {
  return { [COUNT_BRAND]: true, default: options.default ?? 0, description };
}

export function isCountArg(value: unknown): value is CountArg {
  return (
    typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[COUNT_BRAND] === true
  );
}
