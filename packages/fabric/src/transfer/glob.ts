/**
 * Glob patterns for transfers, matched against `/`-separated paths relative to the transfer root.
 *
 * - `*` any run of characters except `/`; `?` one such character; `[abc]`, `[a-z]`, `[!x]` classes;
 *   `{a,b}` alternatives; `**` as a whole segment matches any number of segments.
 * - A pattern without `/` matches the last segment at any depth (`*.log`, `node_modules`), as in
 *   .gitignore and rsync; a pattern with `/` is anchored at the root (a leading `/` is dropped).
 * - A trailing `/` matches directories only.
 */
export interface GlobPattern {
  readonly source: string;
  readonly directoryOnly: boolean;
  /** Whether `path` (relative, no leading `/`) matches. */
  matches(path: string, isDirectory: boolean): boolean;
}

export function compileGlob(pattern: string): GlobPattern {
  let body = pattern.trim();
  const directoryOnly = body.endsWith("/");
  if (directoryOnly) body = body.replace(/\/+$/, "");
  const anchored = body.includes("/");
  body = body.replace(/^\/+/, "");
  const regex = new RegExp(`^${anchored ? "" : "(?:.*/)?"}${globBody(body)}$`, "s");
  return {
    source: pattern,
    directoryOnly,
    matches: (path, isDirectory) => (!directoryOnly || isDirectory) && regex.test(path),
  };
}

/** True when `text` has glob syntax (so a remote path is a pattern, not a file name). */
export function hasGlobSyntax(text: string): boolean {
  return /[*?[{]/.test(text);
}

function globBody(glob: string): string {
  let out = "";
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i] as string;
    if (char === "*") {
      if (glob[i + 1] === "*") {
        const atStart = i === 0 || glob[i - 1] === "/";
        const next = glob[i + 2];
        if (atStart && next === "/") {
          out += "(?:[^/]*(?:/|$))*";
          i += 2;
          continue;
        }
        if (atStart && next === undefined) {
          out += ".*";
          i += 1;
          continue;
        }
      }
      out += "[^/]*";
    } else if (char === "?") {
      out += "[^/]";
    } else if (char === "[") {
      const end = glob.indexOf("]", i + 2);
      if (end === -1) {
        out += "\\[";
        continue;
      }
      let set = glob.slice(i + 1, end);
      const negate = set.startsWith("!") || set.startsWith("^");
      if (negate) set = set.slice(1);
      out += `[${negate ? "^/" : ""}${set.replace(/[\\\]^]/g, "\\$&")}]`;
      i = end;
    } else if (char === "{") {
      braces++;
      out += "(?:";
    } else if (char === "}" && braces > 0) {
      braces--;
      out += ")";
    } else if (char === "," && braces > 0) {
      out += "|";
    } else if (char === "\\" && i + 1 < glob.length) {
      i++;
      out += escapeRegex(glob[i] as string);
    } else {
      out += escapeRegex(char);
    }
  }
  return out + ")".repeat(braces);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

/** Include/exclude lists as given in transfer options. */
export interface FilterOptions {
  /** Only files matching one of these are transferred (directories are still walked). */
  include?: string | readonly string[];
  /** Files and directories matching one of these are skipped (a directory with everything below). */
  exclude?: string | readonly string[];
}

/** Decides what a tree walk keeps. Exclusion wins over inclusion. */
export class PathFilter {
  readonly #include: GlobPattern[];
  readonly #exclude: GlobPattern[];

  constructor(options: FilterOptions = {}) {
    this.#include = list(options.include).map(compileGlob);
    this.#exclude = list(options.exclude).map(compileGlob);
  }

  get isEmpty(): boolean {
    return this.#include.length === 0 && this.#exclude.length === 0;
  }

  /** Whether the walk should look at `path` at all (false: skip it, and below it for a directory). */
  visits(path: string, isDirectory: boolean): boolean {
    return !this.#exclude.some((glob) => glob.matches(path, isDirectory));
  }

  /** Whether a visited non-directory entry is transferred. */
  keeps(path: string): boolean {
    return this.#include.length === 0 || this.#include.some((glob) => glob.matches(path, false));
  }

  /** Whether include patterns decide which directories exist on the other side. */
  get selective(): boolean {
    return this.#include.length > 0;
  }
}

function list(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  return (typeof value === "string" ? [value] : [...value]).filter((p) => p.trim() !== "");
}
