/**
 * POSIX shell quoting. Everything that builds a command line (cd, sudo, remote env) goes through here,
 * so there is exactly one place to get quoting right.
 */

const SAFE_WORD = /^[A-Za-z0-9_\-.,:+@%=/]+$/;

/**
 * Quote `value` as a single shell word. Safe words stay bare (unless `always`); anything else is single-quoted.
 * @example shellQuote("it's") // 'it'\''s'
 */
export function shellQuote(value: string, always = false): string {
  if (!always && value !== "" && SAFE_WORD.test(value)) return value;
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** Quote every word and join with spaces. */
export function shellJoin(words: readonly string[]): string {
  return words.map((word) => shellQuote(word)).join(" ");
}

const TILDE_PREFIX = /^~[A-Za-z0-9._-]*(?=\/|$)/;
// Only ASCII punctuation and blanks are special to a POSIX shell; other characters stay as they are.
const UNSAFE_PATH_CHAR = /[^A-Za-z0-9_\-.,:+@%=/\u0080-\u{10ffff}]/gu;

/**
 * Quote a path for `cd`, leaving a leading `~` or `~user` bare so the shell still expands it.
 * Unsafe characters are backslash-escaped (so `/tmp/sub dir` reads `/tmp/sub\ dir`, as in Invoke);
 * a path holding a newline or other control character is single-quoted instead, because a
 * backslash-newline is a line continuation, not a literal newline. A relative path starting with `-`
 * gets `./` in front, so `cd` cannot take it for an option.
 */
export function quotePath(path: string): string {
  const tilde = TILDE_PREFIX.exec(path)?.[0] ?? "";
  // A leading "-" would be read as an option of `cd` (`cd -P`, `cd -` = previous directory).
  const rest = tilde === "" && path.startsWith("-") ? `./${path}` : path.slice(tilde.length);
  if (rest === "") return tilde === "" ? "''" : tilde;
  if (/[\u0000-\u001f\u007f]/.test(rest)) return tilde + shellQuote(rest);
  return tilde + rest.replace(UNSAFE_PATH_CHAR, "\\$&");
}

/** Escape `text` for literal use inside a regular expression. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}
