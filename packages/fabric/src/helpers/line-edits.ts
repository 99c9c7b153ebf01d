// The text side of the file helpers: pure functions from old content to new content, so every rule
// (what counts as present, where a line goes) is tested without a server. Line-based like sed and
// Ansible's lineinfile: "\n" separates lines and a missing final newline is kept missing unless
// lines are added at the end.

/** `text` as a pattern matching exactly it (valid with every flag, `u` included). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A pattern: a regular expression's source (JavaScript syntax) or a RegExp. */
export type Pattern = string | RegExp;

interface Lines {
  lines: string[];
  /** Whether the text ended with "\n". */
  newlineAtEnd: boolean;
}

export function splitLines(text: string): Lines {
  if (text === "") return { lines: [], newlineAtEnd: false };
  const newlineAtEnd = text.endsWith("\n");
  const lines = (newlineAtEnd ? text.slice(0, -1) : text).split("\n");
  return { lines, newlineAtEnd };
}

export function joinLines({ lines, newlineAtEnd }: Lines): string {
  if (lines.length === 0) return "";
  return `${lines.join("\n")}${newlineAtEnd ? "\n" : ""}`;
}

/** A RegExp without the `g`/`y` state (safe for repeated `.test()`), from a source or a RegExp. */
export function toRegExp(pattern: Pattern, extraFlags = ""): RegExp {
  if (pattern instanceof RegExp) {
    const flags = [...new Set(`${pattern.flags}${extraFlags}`.replace(/[gy]/g, ""))].join("");
    return new RegExp(pattern.source, flags);
  }
  if (typeof pattern !== "string")
    throw new TypeError("a pattern must be a string (regular expression) or a RegExp");
  try {
    return new RegExp(pattern, extraFlags);
  } catch (error) {
    throw new TypeError(`invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
}

/** Text items as blocks of lines: each item is one line, or several when it holds "\n". */
function blocksOf(items: string | readonly string[]): string[][] {
  const list = typeof items === "string" ? [items] : [...items];
  for (const item of list) if (typeof item !== "string") throw new TypeError("lines must be strings");
  return list.map((item) => (item.endsWith("\n") ? item.slice(0, -1) : item).split("\n"));
}

/** Index where `block` appears as whole consecutive lines (each line a prefix with `partial`), or -1. */
function findBlock(lines: readonly string[], block: readonly string[], partial: boolean): number {
  const same = (line: string, wanted: string) => (partial ? line.startsWith(wanted) : line === wanted);
  for (let i = 0; i + block.length <= lines.length; i++) {
    if (block.every((wanted, k) => same(lines[i + k] as string, wanted))) return i;
  }
  return -1;
}

export interface ContainsOptions {
  /** The whole line must be the text (or match the pattern), not just part of it. @default false */
  exact?: boolean;
  /** Take `text` literally; `false` makes it a regular expression (JavaScript syntax). @default true */
  escape?: boolean;
  /** @default true */
  caseSensitive?: boolean;
}

/** Fabric 1's `contains`: does the text hold `needle` (on one line, or as consecutive lines)? */
export function textContains(text: string, needle: string, options: ContainsOptions = {}): boolean {
  const { exact = false, escape: literal = true, caseSensitive = true } = options;
  if (typeof needle !== "string") throw new TypeError("contains() looks for a string");
  if (literal) {
    if (!caseSensitive) return textContains(text.toLowerCase(), needle.toLowerCase(), { exact });
    if (!exact) return text.includes(needle);
    return findBlock(splitLines(text).lines, blocksOf(needle)[0] as string[], false) !== -1;
  }
  const flags = `m${caseSensitive ? "" : "i"}`;
  return toRegExp(exact ? `^(?:${needle})$` : needle, flags).test(text);
}

export interface AppendOptions {
  /** A line already counts as there when a line of the file starts with it (Fabric 1's `partial`). @default false */
  partial?: boolean;
}

/**
 * Fabric 1's `append`: add each line (or block of lines) at the end unless the file already has it
 * as whole lines. A file without a final newline gets one first.
 */
export function appendLines(
  text: string,
  items: string | readonly string[],
  options: AppendOptions = {},
): string {
  const parsed = splitLines(text);
  const lines = [...parsed.lines];
  let added = false;
  for (const block of blocksOf(items)) {
    if (findBlock(lines, block, options.partial ?? false) !== -1) continue;
    lines.push(...block);
    added = true;
  }
  return added ? joinLines({ lines, newlineAtEnd: true }) : text;
}

export interface SedOptions {
  /** Only lines matching this pattern are edited (sed's address). */
  limit?: Pattern;
  /** Regular-expression flags besides `g` (always on): `i`, `m`, `s`, `u`. */
  flags?: string;
  /** Take `before` and `after` literally (no pattern, no `$1`). @default false */
  literal?: boolean;
}

/** The replacement: JavaScript's `$1` / `$<name>` / `$&` / `$$` patterns, or a function of the match. */
export type Replacement = string | ((match: string, ...groups: unknown[]) => string);

/** Fabric 1's `sed`: replace every match of `before` on each line (optionally only on `limit` lines). */
export function sedText(text: string, before: Pattern, after: Replacement, options: SedOptions = {}): string {
  const flags = options.flags ?? "";
  if (!/^[imsu]*$/.test(flags)) throw new TypeError(`sed flags may be i, m, s, u (g is always on): ${flags}`);
  if (typeof after !== "string" && typeof after !== "function")
    throw new TypeError("sed's after is a string or a function");
  const source = options.literal && typeof before === "string" ? escapeRegExp(before) : before;
  const base = toRegExp(source, flags);
  const regex = new RegExp(base.source, `${base.flags}g`);
  const limit = options.limit === undefined ? undefined : toRegExp(options.limit);
  const replacement = options.literal && typeof after === "string" ? () => after : after;
  const parsed = splitLines(text);
  const lines = parsed.lines.map((line) =>
    limit && !limit.test(line) ? line : line.replace(regex, replacement as (substring: string) => string),
  );
  return joinLines({ lines, newlineAtEnd: parsed.newlineAtEnd });
}

function commentPrefix(char: string): RegExp {
  if (typeof char !== "string" || char === "" || char.includes("\n")) {
    throw new TypeError("a comment marker must be a non-empty single-line string");
  }
  return new RegExp(`^(\\s*)${escapeRegExp(char)}[ \\t]?`);
}

/** Fabric 1's `comment`: put `char` in front of every line matching `pattern` that is not commented yet. */
export function commentLines(text: string, pattern: Pattern, char = "#"): string {
  const commented = commentPrefix(char);
  const regex = toRegExp(pattern);
  const parsed = splitLines(text);
  const lines = parsed.lines.map((line) =>
    regex.test(line) && !commented.test(line) ? `${char}${line}` : line,
  );
  return joinLines({ lines, newlineAtEnd: parsed.newlineAtEnd });
}

/**
 * Fabric 1's `uncomment`: remove `char` (and one blank after it), keeping the indentation, from every
 * commented line whose text (without the marker) or whole line matches `pattern`.
 */
export function uncommentLines(text: string, pattern: Pattern, char = "#"): string {
  const commented = commentPrefix(char);
  const regex = toRegExp(pattern);
  const parsed = splitLines(text);
  const lines = parsed.lines.map((line) => {
    const marker = commented.exec(line);
    if (!marker) return line;
    const rest = `${marker[1]}${line.slice(marker[0].length)}`;
    return regex.test(rest.trimStart()) || regex.test(line) ? rest : line;
  });
  return joinLines({ lines, newlineAtEnd: parsed.newlineAtEnd });
}

/** Ansible `lineinfile` options (camelCase). */
export interface LineOptions {
  /** The line that must be there (`state: "present"`), or that must go (`"absent"`, without `regexp`). */
  line?: string;
  /** Lines matching this are replaced by `line` (present: the last match) or removed (absent). */
  regexp?: Pattern;
  /** Like `regexp`, but a literal substring. */
  searchString?: string;
  /** @default "present" */
  state?: "present" | "absent";
  /** Where a new line goes: after the last line matching this, or `"EOF"` (the default; also when nothing matches). */
  insertAfter?: Pattern;
  /** Where a new line goes: before the last line matching this, or `"BOF"`. */
  insertBefore?: Pattern;
  /** Use the first matching line (for `regexp` and `insertAfter`/`insertBefore`) instead of the last. @default false */
  firstMatch?: boolean;
  /** `line` is a template of `regexp`'s groups (`$1`, `$<name>`); when nothing matches, nothing changes. @default false */
  backrefs?: boolean;
}

/** `$1`, `$<name>`, `$&`, `$$` of `template`, from one match. */
function expand(template: string, match: RegExpExecArray): string {
  return template.replace(/\$(\$|&|\d{1,2}|<([^>]*)>)/g, (token, what: string, name: string | undefined) => {
    if (what === "$") return "$";
    if (what === "&") return match[0];
    if (name !== undefined) return match.groups?.[name] ?? "";
    const index = Number(what);
    return index < match.length ? (match[index] ?? "") : token;
  });
}

/** The index of the last (or first) line `matches` accepts, or -1. */
function pick(lines: readonly string[], matches: (line: string) => boolean, first: boolean): number {
  if (first) return lines.findIndex(matches);
  for (let i = lines.length - 1; i >= 0; i--) if (matches(lines[i] as string)) return i;
  return -1;
}

/** Check a {@link LineOptions} for contradictions before anything is read. */
export function checkLineOptions(options: LineOptions): void {
  const state = options.state ?? "present";
  if (state !== "present" && state !== "absent")
    throw new TypeError(`state must be "present" or "absent": ${String(state)}`);
  if (options.line !== undefined && (typeof options.line !== "string" || options.line.includes("\n"))) {
    throw new TypeError(
      "line must be one line of text (no newline); use append() or uploadTemplate() for blocks",
    );
  }
  if (state === "present" && options.line === undefined) throw new TypeError('state "present" needs a line');
  if (
    state === "absent" &&
    options.line === undefined &&
    options.regexp === undefined &&
    options.searchString === undefined
  ) {
    throw new TypeError('state "absent" needs a line, a regexp or a searchString');
  }
  if (options.regexp !== undefined && options.searchString !== undefined)
    throw new TypeError("give regexp or searchString, not both");
  if (options.insertAfter !== undefined && options.insertBefore !== undefined) {
    throw new TypeError("give insertAfter or insertBefore, not both");
  }
  if (options.backrefs && options.regexp === undefined) throw new TypeError("backrefs needs a regexp");
}

/** Ansible's `lineinfile` on text: returns the new text (the same string when nothing changes). */
export function lineInText(text: string, options: LineOptions): string {
  checkLineOptions(options);
  const parsed = splitLines(text);
  const lines = [...parsed.lines];
  const regex = options.regexp === undefined ? undefined : toRegExp(options.regexp);
  const search = options.searchString;
  const matches = (line: string) =>
    regex ? regex.test(line) : search !== undefined ? line.includes(search) : line === options.line;

  if ((options.state ?? "present") === "absent") {
    const kept = lines.filter((line) => !matches(line));
    return kept.length === lines.length
      ? text
      : joinLines({ lines: kept, newlineAtEnd: parsed.newlineAtEnd || kept.length > 0 });
  }

  const line = options.line as string;
  const first = options.firstMatch ?? false;
  const found = regex || search !== undefined ? pick(lines, matches, first) : -1;
  if (found !== -1) {
    const current = lines[found] as string;
    const wanted = options.backrefs && regex ? expand(line, regex.exec(current) as RegExpExecArray) : line;
    if (current === wanted) return text;
    lines[found] = wanted;
    return joinLines({ lines, newlineAtEnd: parsed.newlineAtEnd });
  }
  if (options.backrefs) return text;
  if (lines.includes(line)) return text;

  let at = lines.length;
  const { insertAfter, insertBefore } = options;
  if (insertBefore !== undefined) {
    if (insertBefore === "BOF") at = 0;
    else {
      const anchor = pick(lines, (l) => toRegExp(insertBefore).test(l), first);
      if (anchor !== -1) at = anchor;
    }
  } else if (insertAfter !== undefined && insertAfter !== "EOF") {
    const anchor = pick(lines, (l) => toRegExp(insertAfter).test(l), first);
    if (anchor !== -1) at = anchor + 1;
  }
  lines.splice(at, 0, line);
  // A line added at the end ends with a newline; elsewhere the file keeps its own ending.
  return joinLines({ lines, newlineAtEnd: at === lines.length - 1 ? true : parsed.newlineAtEnd });
}
