import { PatternError } from "../errors/index.js";
import { hostsOf, type InventoryData, type InventoryHost } from "./model.js";

/**
 * Ansible's host patterns over an inventory: `a:b` / `a,b` (union), `a:&b` (intersection), `a:!b`
 * (exclusion), `web*` (fnmatch, case-sensitive), `~re` (regular expression, matched from the
 * start), `g[0]`, `g[-1]`, `g[1:3]` (inclusive), `g[2:]`, `all`, `*`. Unions come first, then
 * intersections, then exclusions, whatever the order written; only exclusions mean "all but".
 */
export function splitPattern(pattern: string | readonly string[]): string[] {
  if (typeof pattern !== "string") return pattern.flatMap((p) => splitPattern(p));
  const text = pattern.trim();
  if (text.includes(","))
    return text
      .split(",")
      .map((p) => p.trim())
      .filter(Boolean);
  // `:` separates terms, except inside `[x:y]` subscripts/ranges and in IPv6 addresses.
  if (/^[0-9a-fA-F]*:[0-9a-fA-F:]*:[0-9a-fA-F.]*$/.test(text) && (text.match(/:/g) ?? []).length >= 2)
    return [text];
  return text.match(/(?:[^\s:[\]]|\[[^\]]*\])+/g) ?? [];
}

/** Regular terms, then `&` terms, then `!` terms; `all` when only modifiers were given. */
function orderTerms(terms: string[]): string[] {
  const regular = terms.filter((t) => !t.startsWith("&") && !t.startsWith("!"));
  const and = terms.filter((t) => t.startsWith("&"));
  const not = terms.filter((t) => t.startsWith("!"));
  return [...(regular.length ? regular : and.length || not.length ? ["all"] : []), ...and, ...not];
}

export interface PatternResult {
  hosts: InventoryHost[];
  /** Terms that matched nothing (Ansible warns "Could not match supplied host pattern"). */
  unmatched: string[];
}

/** The hosts a pattern selects, in Ansible's order, each once. */
export function matchPattern(data: InventoryData, pattern: string | readonly string[]): PatternResult {
  const unmatched: string[] = [];
  let hosts: InventoryHost[] = [];
  for (const term of orderTerms(splitPattern(pattern))) {
    const exact = data.hosts.get(term);
    if (exact) {
      // A plain host name is that host, even where a group has the same name.
      hosts.push(exact);
    } else if (term.startsWith("!")) {
      const those = new Set(matchTerm(data, term.slice(1), unmatched));
      hosts = hosts.filter((h) => !those.has(h));
    } else if (term.startsWith("&")) {
      const those = new Set(matchTerm(data, term.slice(1), unmatched));
      hosts = hosts.filter((h) => those.has(h));
    } else {
      const existing = new Set(hosts);
      hosts.push(...matchTerm(data, term, unmatched).filter((h) => !existing.has(h)));
    }
  }
  return { hosts: [...new Set(hosts)], unmatched };
}

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

function matchTerm(data: InventoryData, term: string, unmatched: string[]): InventoryHost[] {
  let expression = term;
  let subscript: [number, number | undefined] | undefined;
  if (!term.startsWith("~")) {
    const m = SUBSCRIPT.exec(term);
    if (m) {
      expression = m[1]!;
      subscript = m[2] !== undefined ? [Number(m[2]), undefined] : [Number(m[3]), m[5] ? Number(m[5]) : -1];
    }
  }
  let hosts = enumerate(data, expression);
  if (subscript) hosts = applySubscript(hosts, subscript, term);
  if (hosts.length === 0) unmatched.push(term);
  return hosts;
}

function applySubscript(
  hosts: InventoryHost[],
  [start, end]: [number, number | undefined],
  pattern: string,
): InventoryHost[] {
  const at = (i: number) => (i < 0 ? hosts.length + i : i);
  // As Ansible: an end of 0 (`g[1:0]`) means a single host, an open end (`g[1:]`) the last one.
  if (end) {
    const last = end === -1 ? hosts.length - 1 : end;
    return hosts.slice(start, last + 1);
  }
  const host = hosts[at(start)];
  if (!host) throw new PatternError(`No hosts matched the subscripted pattern '${pattern}'`);
  return [host];
}

function enumerate(data: InventoryData, expression: string): InventoryHost[] {
  const matcher = compile(expression);
  const results: InventoryHost[] = [];
  const groups = [...data.groups.keys()].filter((name) => matcher(name));
  for (const name of groups) results.push(...hostsOf(data.groups.get(name)!));
  if (groups.length === 0 || expression.startsWith("~") || /[.?*[]/.test(expression)) {
    for (const [name, host] of data.hosts) if (matcher(name)) results.push(host);
  }
  return results;
}

/** `~regex` matched from the start (Python's re.match), else a shell glob matching the whole name. */
function compile(expression: string): (name: string) => boolean {
  if (expression.startsWith("~")) {
    const source = expression
      .slice(1)
      .replace(/\(\?P<(\w+)>/g, "(?<$1>")
      .replace(/\(\?P=(\w+)\)/g, "\\k<$1>");
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${source})`, "s");
    } catch (error) {
      throw new PatternError(`Invalid host list pattern: ${expression}: ${(error as Error).message}`);
    }
    return (name) => regex.test(name);
  }
  const regex = new RegExp(`^${globToRegex(expression)}$`, "s");
  return (name) => regex.test(name);
}

/** Python's fnmatch.translate: `*`, `?`, `[seq]`, `[!seq]`; an unclosed `[` is literal. */
function globToRegex(glob: string): string {
  let out = "";
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i]!;
    if (c === "*") out += ".*";
    else if (c === "?") out += ".";
    else if (c === "[") {
      let j = i + 1;
      if (glob[j] === "!") j += 1;
      if (glob[j] === "]") j += 1;
      while (j < glob.length && glob[j] !== "]") j += 1;
      if (j >= glob.length) {
        out += "\\[";
        continue;
      }
      let body = glob.slice(i + 1, j).replaceAll("\\", "\\\\");
      if (body.startsWith("!")) body = `^${body.slice(1)}`;
      else if (body.startsWith("^")) body = `\\${body}`;
      out += `[${body.replace(/\[/g, "\\[")}]`;
      i = j;
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  return out;
}
