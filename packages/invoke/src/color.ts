/**
 * Whether to write ANSI colours to `stream`: never with `NO_COLOR` (any non-empty value), always with
 * `FORCE_COLOR` (other than `0`/`false`), otherwise only when the stream is a terminal.
 */
export function shouldUseColor(
  stream: object | null | undefined,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "" && force !== "0" && force !== "false") return true;
  return (stream as { isTTY?: unknown } | null | undefined)?.isTTY === true;
}

// CSI sequences ending in a letter (SGR colours, cursor moves): enough for echo formats.
const ANSI_SEQUENCE = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** `text` without ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, "");
}
