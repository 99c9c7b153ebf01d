/**
 * The subset of glob(3) that `Include` needs: `~` expansion (GLOB_TILDE, from $HOME), `*`, `?`
 * and `[...]` per path component, no match for dot-files unless the pattern starts with a dot,
 * results sorted bytewise like glob in the C locale.
 */
import { readdirSync, statSync } from "node:fs";

function hasMagic(component: string): boolean {
  return /[*?[]/.test(component);
}

/** fnmatch() without flags beyond the leading-period rule. */
export function fnmatch(pattern: string, name: string): boolean {
  if (name.startsWith(".") && !pattern.startsWith(".")) return false;
  return fnmatchFrom(pattern, 0, name, 0);
}

function fnmatchFrom(p: string, pi: number, s: string, si: number): boolean {
  while (pi < p.length) {
    const c = p[pi]!;
    if (c === "*") {
      for (let k = si; k <= s.length; k++) if (fnmatchFrom(p, pi + 1, s, k)) return true;
      return false;
    }
    if (si >= s.length) return false;
    if (c === "?") {
      pi++;
      si++;
      continue;
    }
    if (c === "[") {
      const close = p.indexOf("]", pi + 2);
      if (close !== -1) {
        let body = p.slice(pi + 1, close);
        const negate = body.startsWith("!") || body.startsWith("^");
        if (negate) body = body.slice(1);
        let hit = false;
        for (let k = 0; k < body.length; k++) {
          if (body[k + 1] === "-" && k + 2 < body.length) {
            if (s[si]! >= body[k]! && s[si]! <= body[k + 2]!) hit = true;
            k += 2;
          } else if (body[k] === s[si]) hit = true;
        }
        if (hit === negate) return false;
        pi = close + 1;
        si++;
        continue;
      }
    }
    if (c === "\\" && pi + 1 < p.length) {
      if (p[pi + 1] !== s[si]) return false;
      pi += 2;
      si++;
      continue;
    }
    if (c !== s[si]) return false;
    pi++;
    si++;
  }
  return si === s.length;
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir === "" ? "/" : dir);
  } catch {
    return [];
  }
}

/** Paths matching `pattern`, sorted; [] when nothing matches. */
export function glob(pattern: string, home: string): string[] {
  let path = pattern;
  if (path === "~" || path.startsWith("~/")) path = home + path.slice(1);
  const absolute = path.startsWith("/");
  const parts = path.split("/").filter((part, i) => part !== "" || i === 0);
  let current: string[] = [absolute ? "" : "."];
  for (const part of absolute ? parts.slice(1) : parts) {
    const next: string[] = [];
    for (const base of current) {
      if (!hasMagic(part)) {
        next.push(base === "." && !absolute ? part : `${base}/${part}`);
        continue;
      }
      for (const entry of listDir(base === "" ? "/" : base)) {
        if (fnmatch(part, entry)) next.push(base === "." && !absolute ? entry : `${base}/${entry}`);
      }
    }
    current = next;
  }
  const found = current.filter((p) => exists(p === "" ? "/" : p));
  const bytes = (s: string) => Buffer.from(s);
  return found.sort((a, b) => Buffer.compare(bytes(a), bytes(b)));
}
