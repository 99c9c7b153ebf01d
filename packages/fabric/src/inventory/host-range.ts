/**
 * Host names as an inventory writes them: `web[01:20].example.com` (zero-padded numbers),
 * `db-[a:f]` (letters), `node[0:10:2]` (a stride), several ranges in one name, and an optional
 * `:port` (`web1:2222`, `[::1]:2222`).
 */
export class HostRangeError extends Error {}

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Whether a host name holds a range to expand (Ansible treats any `[` as one). */
export function hasRange(name: string): boolean {
  return name.includes("[");
}

/** Every host name a pattern with ranges stands for, in order. */
export function expandHostRange(name: string): string[] {
  const open = name.indexOf("[");
  const close = name.indexOf("]", open);
  if (open === -1) return [name];
  if (close === -1) throw new HostRangeError(`host range must be closed with ']': ${name}`);
  const head = name.slice(0, open);
  const tail = name.slice(close + 1);
  const bounds = name.slice(open + 1, close).split(":");
  if (bounds.length < 2 || bounds.length > 3)
    throw new HostRangeError("host range must be begin:end or begin:end:step");
  const begin = bounds[0] || "0";
  const end = bounds[1] ?? "";
  const stepText = bounds[2] ?? "1";
  if (!end) throw new HostRangeError("host range must specify end value");
  const step = pythonInt(stepText);
  if (step === undefined) throw new HostRangeError(`invalid range step: ${stepText}`);
  if (step === 0) throw new HostRangeError("host range step cannot be zero");
  let width = 0;
  if (begin.startsWith("0") && begin.length > 1) {
    if (begin.length !== end.length)
      throw new HostRangeError("host range must specify equal-length begin and end formats");
    width = begin.length;
  }
  let items: string[];
  const from = LETTERS.indexOf(begin);
  const to = LETTERS.indexOf(end);
  if (begin.length === 1 && end.length === 1 && from !== -1 && to !== -1) {
    if (from > to) throw new HostRangeError("host range must have begin <= end");
    items = [];
    if (step > 0) for (let i = from; i <= to; i += step) items.push(LETTERS[i]!);
  } else {
    const first = pythonInt(begin);
    const last = pythonInt(end);
    if (first === undefined || last === undefined)
      throw new HostRangeError(`invalid range bounds: ${begin}:${end}`);
    items = [];
    if (step > 0) for (let i = first; i <= last; i += step) items.push(String(i).padStart(width, "0"));
    else for (let i = first; i > last + 1; i += step) items.push(String(i).padStart(width, "0"));
  }
  return items.flatMap((item) => {
    const host = `${head}${item}${tail}`;
    return hasRange(host) ? expandHostRange(host) : [host];
  });
}

/** Python's int() of a decimal string (blanks and `_` between digits allowed), else undefined. */
function pythonInt(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^[+-]?[0-9](?:_?[0-9])*$/.test(trimmed)) return undefined;
  return Number(trimmed.replaceAll("_", ""));
}

/**
 * A host pattern split into name and port, as Ansible's address parser does: `[v6]:port`,
 * `name:port`, a bare IPv6 address; anything it does not recognise is the name as given.
 */
export function splitHostPort(pattern: string): { name: string; port: number | undefined } {
  const bracketed = /^\[([^\]]+)\](?::([0-9]+))?$/.exec(pattern);
  if (bracketed && bracketed[1]!.includes(":") && !/^[^:]*\[/.test(bracketed[1]!)) {
    return { name: bracketed[1]!, port: bracketed[2] === undefined ? undefined : Number(bracketed[2]) };
  }
  const withPort = /^(.+):([0-9]+)$/.exec(pattern);
  if (withPort && !outsideBrackets(withPort[1]!).includes(":")) {
    return { name: withPort[1]!, port: Number(withPort[2]) };
  }
  return { name: pattern, port: undefined };
}

/** The text with every `[...]` part removed (colons inside ranges do not count). */
function outsideBrackets(text: string): string {
  return text.replace(/\[[^\]]*\]/g, "");
}
