/**
 * OpenSSH wildcard matching: `*` is any run of characters, `?` exactly one character.
 * `matchPattern` is case-sensitive and knows no lists (used by `Host`, whose arguments are
 * separate patterns); `matchPatternList` handles comma lists with `!` negation (Match criteria).
 */
export function matchPattern(text: string, pattern: string): boolean {
  return matchFrom(text, 0, pattern, 0);
}

function matchFrom(s: string, si: number, p: string, pi: number): boolean {
  for (;;) {
    if (pi === p.length) return si === s.length;
    const pc = p[pi]!;
    if (pc === "*") {
      while (p[pi + 1] === "*") pi++;
      if (pi + 1 === p.length) return true;
      const nextLiteral = p[pi + 1]!;
      for (let k = si; k < s.length; k++) {
        if ((nextLiteral === "?" || s[k] === nextLiteral) && matchFrom(s, k, p, pi + 1)) return true;
      }
      return false;
    }
    if (si === s.length) return false;
    if (pc !== "?" && pc !== s[si]) return false;
    si++;
    pi++;
  }
}

/** 1 for a positive match, -1 when a negated sub-pattern matches, 0 otherwise (OpenSSH semantics). */
export function matchPatternList(text: string, patterns: string, lowercasePatterns = false): -1 | 0 | 1 {
  let gotPositive = false;
  for (const raw of patterns.split(",")) {
    if (raw === "" && !patterns.includes(",")) continue;
    const negated = raw.startsWith("!");
    let sub = negated ? raw.slice(1) : raw;
    if (lowercasePatterns) sub = sub.toLowerCase();
    if (matchPattern(text, sub)) {
      if (negated) return -1;
      gotPositive = true;
    }
  }
  return gotPositive ? 1 : 0;
}

/** Host-name matching for `Match host/originalhost`: case-insensitive on both sides. */
export function matchHostname(host: string, patterns: string): -1 | 0 | 1 {
  return matchPatternList(host.toLowerCase(), patterns, true);
}
