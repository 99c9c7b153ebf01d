/**
 * Numeric host names as getaddrinfo(AI_NUMERICHOST) + getnameinfo(NI_NUMERICHOST) normalise
 * them: "127.1" and "0x7f.1" become "127.0.0.1", "::0001" becomes "::1". ssh does this even
 * without CanonicalizeHostname.
 */
import { readdirSync, readFileSync } from "node:fs";
import { isIPv6 } from "node:net";
import { networkInterfaces } from "node:os";

function part(text: string): number | undefined {
  if (/^0[xX][0-9a-fA-F]*$/.test(text)) return text.length === 2 ? 0 : Number.parseInt(text.slice(2), 16);
  if (/^0[0-7]*$/.test(text)) return Number.parseInt(text, 8);
  if (/^[1-9][0-9]*$/.test(text)) return Number(text);
  return undefined;
}

/** inet_aton(): one to four parts, the last one filling the remaining bytes. */
function ipv4(text: string): string | undefined {
  const pieces = text.split(".");
  if (pieces.length > 4) return undefined;
  const values = pieces.map(part);
  if (values.some((v) => v === undefined)) return undefined;
  const nums = values as number[];
  const last = nums[nums.length - 1]!;
  const head = nums.slice(0, -1);
  if (head.some((v) => v > 255)) return undefined;
  const lastBytes = 4 - head.length;
  if (last >= 256 ** lastBytes) return undefined;
  const bytes = [...head];
  for (let i = lastBytes - 1; i >= 0; i--) bytes.push(Math.floor(last / 256 ** i) % 256);
  return bytes.join(".");
}

/** The eight 16-bit words of an IPv6 address (no scope), or undefined when it is not one. */
function ipv6Words(text: string): number[] | undefined {
  if (!isIPv6(text) || text.includes("%")) return undefined;
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let hex = text;
  if (dotted !== null) {
    const bytes = dotted[2]!.split(".").map(Number);
    hex = `${dotted[1]}${((bytes[0]! << 8) | bytes[1]!).toString(16)}:${((bytes[2]! << 8) | bytes[3]!).toString(16)}`;
  }
  const [head = "", tail] = hex.split("::");
  const words = (part: string) => (part === "" ? [] : part.split(":").map((w) => Number.parseInt(w, 16)));
  const left = words(head);
  if (tail === undefined) return left;
  const right = words(tail);
  return [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/**
 * inet_ntop()'s text for IPv6 words, as glibc writes it: lower-case hex, the longest run of two or
 * more zero words (the first one on a tie) as `::`, and the last 32 bits dotted for IPv4-mapped
 * (`::ffff:a.b.c.d`) and IPv4-compatible (`::a.b.c.d`) addresses.
 */
function formatIpv6(words: readonly number[]): string {
  let best = { base: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let end = i;
    while (end < 8 && words[end] === 0) end++;
    if (end - i > best.len) best = { base: i, len: end - i };
    i = end;
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  const embedsV4 = best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff));
  let out = "";
  for (let i = 0; i < 8; i++) {
    if (best.base !== -1 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ":";
      continue;
    }
    if (i !== 0) out += ":";
    if (i === 6 && embedsV4) {
      out += [words[6]! >> 8, words[6]! & 0xff, words[7]! >> 8, words[7]! & 0xff].join(".");
      return out;
    }
    out += words[i]!.toString(16);
  }
  if (best.base !== -1 && best.base + best.len === 8) out += ":";
  return out;
}

/** Network interface names by index (Linux), for `%1` scopes; empty elsewhere. */
function interfaceNames(): Map<string, string> {
  const names = new Map<string, string>();
  try {
    for (const name of readdirSync("/sys/class/net")) {
      names.set(readFileSync(`/sys/class/net/${name}/ifindex`, "utf8").trim(), name);
    }
  } catch {
    // Not Linux, or no sysfs: numeric scopes stay numbers.
  }
  return names;
}

/**
 * `addr%scope` as getaddrinfo + getnameinfo give it back: a numeric scope becomes the interface's
 * name when there is one; a named scope must name an interface, else the text is no address at all.
 */
function ipv6(text: string): string | undefined {
  const percent = text.indexOf("%");
  const words = ipv6Words(percent === -1 ? text : text.slice(0, percent));
  if (words === undefined) return undefined;
  const address = formatIpv6(words);
  if (percent === -1) return address;
  const scope = text.slice(percent + 1);
  if (scope === "") return undefined;
  const names = interfaceNames();
  if (/^[0-9]+$/.test(scope)) return `${address}%${names.get(String(Number(scope))) ?? Number(scope)}`;
  return [...names.values()].includes(scope) || scope in networkInterfaces()
    ? `${address}%${scope}`
    : undefined;
}

/**
 * The canonical numeric form, or undefined when `host` is not a numeric address. Like ssh, a form
 * that differs from `host` only in letter case is not a change: `2001:DB8::1` stays as written.
 */
export function numericAddress(host: string): string | undefined {
  const normal = ipv4(host) ?? ipv6(host);
  return normal !== undefined && normal.toLowerCase() === host.toLowerCase() ? host : normal;
}

/** is_addr_fast(): looks like an address (contains ':' or only digits and dots). */
export function looksLikeAddress(host: string): boolean {
  return host.includes(":") || /^[0-9.]+$/.test(host);
}
