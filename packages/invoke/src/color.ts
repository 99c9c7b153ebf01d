/**
 * The one colour decision of fabric-ts (invoke's echo, fabric's host prefixes and summary table):
 * whether to write ANSI colours to `stream`.
 * 1. `NO_COLOR` set to anything non-empty: never;
 * 2. `FORCE_COLOR` set and non-empty: `0` or `false` never, any other value always;
 * 3. otherwise only when the stream is a terminal and `TERM` is not `dumb`.
 */
export function shouldUseColor(
  stream: object | null | undefined,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== "") return force !== "0" && force !== "false";
  return (stream as { isTTY?: unknown } | null | undefined)?.isTTY === true && env.TERM !== "dumb";
}

// CSI sequences ending in a letter (SGR colours, cursor moves): enough for echo formats.
const ANSI_SEQUENCE = /\u001b\[[0-9;?]*[A-Za-z]/g;

/** `text` without ANSI escape sequences. */
export function stripAnsi(text: string): string {
  return text.replace(ANSI_SEQUENCE, "");
}
