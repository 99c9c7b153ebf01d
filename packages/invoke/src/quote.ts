/**
 * POSIX shell quoting for the local layer: `sudo` command lines and the `cd` prefix of
 * `Context.cd` are built here, and every upper layer (fabric) quotes with this module too.
 *
 * ssh-core has its own copy of `shellQuote`/`shellJoin` (ssh-core/src/quote.ts) for the inline
 * environment of remote commands: invoke and ssh-core are independent layers and neither may import
 * the other. The two follow the same rules (same safe characters, same single-quoting); a property
 * test (fabric/test/unit/shell-quote.test.ts) checks they give identical output and that `sh -c`
 * reads every result back as the original text.
 */

/** Characters no POSIX shell treats specially: a word made only of these needs no quotes. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quote `value` as a single shell word: safe words stay bare (unless `always`), anything else is
 * single-quoted, each embedded `'` becoming `'\''`.
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
