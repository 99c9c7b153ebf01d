/** Host label colours: no red (kept for failures), bright variants after the plain ones. */
const HOST_COLORS = [36, 35, 33, 34, 32, 96, 95, 93, 94, 92] as const;

export interface ColorStream {
  readonly isTTY?: boolean;
}

/**
 * Whether to write ANSI colour to `stream`: never with a non-empty `NO_COLOR`; always with
 * `FORCE_COLOR` (unless it is `0`/`false`); otherwise only on a terminal that is not `TERM=dumb`.
 */
export function colorEnabled(stream: ColorStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return stream.isTTY === true && env.TERM !== "dumb";
}

/** SGR code of the `index`-th host's colour (cycles through the palette). */
export function hostColor(index: number): number {
  return HOST_COLORS[Math.abs(Math.trunc(index)) % HOST_COLORS.length] ?? 36;
}

/** Wrap `text` in an SGR colour when `enabled`. */
export function paint(text: string, code: number, enabled: boolean): string {
  return enabled ? `\u001b[${code}m${text}\u001b[0m` : text;
}

export const RED = 31;
export const GREEN = 32;
export const YELLOW = 33;
export const DIM = 2;
