import { shellQuote } from "@fabric-ts/invoke";

export interface AttributeOptions {
  /** Permission bits (e.g. 0o640). */
  mode?: number;
  /** Owner and group (names or ids). */
  owner?: string | number;
  group?: string | number;
}

/** Check a mode before it reaches a command line. */
export function checkMode(mode: number | undefined): void {
  if (mode !== undefined && (!Number.isInteger(mode) || mode < 0 || mode > 0o7777)) {
    throw new TypeError(`mode must be permission bits such as 0o644: ${mode}`);
  }
}

/**
 * Shell lines that set mode and owner of the (already quoted) path and append what changed to `$c`
 * (GNU `chmod -c`/`chown -c` print only actual changes). Empty when nothing is asked for.
 */
export function attributeLines(quotedPath: string, options: AttributeOptions): string[] {
  checkMode(options.mode);
  const owner =
    options.owner !== undefined || options.group !== undefined
      ? `${options.owner ?? ""}${options.group !== undefined ? `:${options.group}` : ""}`
      : undefined;
  return [
    ...(options.mode !== undefined
      ? [`c="$c$(chmod -c ${options.mode.toString(8)} -- ${quotedPath})" || exit 1`]
      : []),
    ...(owner !== undefined ? [`c="$c$(chown -c ${shellQuote(owner)} -- ${quotedPath})" || exit 1`] : []),
  ];
}
