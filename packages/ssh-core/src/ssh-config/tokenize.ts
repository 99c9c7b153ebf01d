/**
 * OpenSSH's two line tokenisers: `strdelim` (keyword and Match criteria: whitespace or one `=`,
 * double quotes) and `argv_split` (arguments: single or double quotes, backslash escapes,
 * `#` starting a token ends the line).
 */
const WHITESPACE = " \t\r\n";

/** Removes trailing whitespace (and form feeds) like readconf.c does before tokenising. */
export function stripLineEnd(line: string): string {
  let end = line.length;
  while (end > 1 && " \t\r\n\f".includes(line[end - 1]!)) end--;
  return line.slice(0, end);
}

function skipWhitespace(s: string, from: number): number {
  let i = from;
  while (i < s.length && WHITESPACE.includes(s[i]!)) i++;
  return i;
}

export interface Cursor {
  rest: string | null;
}

/** Next token of `cursor.rest`, advancing it; null when nothing is left or a quote is unmatched. */
export function strdelim(cursor: Cursor, splitEquals = true): string | null {
  const s = cursor.rest;
  if (s === null) return null;
  const stops = splitEquals ? `${WHITESPACE}"=` : `${WHITESPACE}"`;
  let at = -1;
  for (let i = 0; i < s.length; i++) {
    if (stops.includes(s[i]!)) {
      at = i;
      break;
    }
  }
  if (at === -1) {
    cursor.rest = null;
    return s;
  }
  if (s[at] === '"') {
    const afterQuote = s.slice(0, at) + s.slice(at + 1);
    const close = afterQuote.indexOf('"', at);
    if (close === -1) {
      cursor.rest = null;
      return null;
    }
    cursor.rest = afterQuote.slice(skipWhitespace(afterQuote, close + 1));
    return afterQuote.slice(0, close);
  }
  const token = s.slice(0, at);
  const sawEquals = splitEquals && s[at] === "=";
  let next = skipWhitespace(s, at + 1);
  if (splitEquals && s[next] === "=" && !sawEquals) next = skipWhitespace(s, next + 1);
  cursor.rest = s.slice(next);
  return token;
}

/** Splits arguments like OpenSSH's argv_split(..., terminate_on_comment=1); null on unbalanced quotes. */
export function argvSplit(s: string): string[] | null {
  const args: string[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === " " || c === "\t") {
      i++;
      continue;
    }
    if (c === "#") break;
    let quote = "";
    let arg = "";
    for (; i < s.length; i++) {
      const ch = s[i]!;
      const next = s[i + 1];
      if (ch === "\\") {
        if (next === "'" || next === '"' || next === "\\" || (quote === "" && next === " ")) {
          i++;
          arg += next;
        } else {
          arg += ch;
        }
      } else if (quote === "" && (ch === " " || ch === "\t")) {
        break;
      } else if (quote === "" && (ch === '"' || ch === "'")) {
        quote = ch;
      } else if (quote !== "" && ch === quote) {
        quote = "";
      } else {
        arg += ch;
      }
    }
    if (i >= s.length && quote !== "") return null;
    args.push(arg);
  }
  return args;
}
