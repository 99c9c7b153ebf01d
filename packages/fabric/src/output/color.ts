/** Host label colours: no red (kept for failures), bright variants after the plain ones. */
const HOST_COLORS = [36, 35, 33, 34, 32, 96, 95, 93, 94, 92] as const;

/** Whether to colour a stream: invoke's one rule (NO_COLOR, FORCE_COLOR, a TTY not `TERM=dumb`). */
export { shouldUseColor as colorEnabled } from "@fabric-ts/invoke";

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
