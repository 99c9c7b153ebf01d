/**
 * Numeric host names as getaddrinfo(AI_NUMERICHOST) + getnameinfo(NI_NUMERICHOST) normalise
 * them: "127.1" and "0x7f.1" become "127.0.0.1", "::0001" becomes "::1". ssh does this even
 * without CanonicalizeHostname.
 */
import { isIPv6 } from "node:net";

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

function ipv6(text: string): string | undefined {
  if (!isIPv6(text)) return undefined;
  const mapped = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  const normal = new URL(`http://[${text}]`).hostname.slice(1, -1);
  if (mapped !== null && /^::ffff:/i.test(normal)) return `::ffff:${mapped[2]}`;
  return normal;
}

/** The canonical numeric form, or undefined when `host` is not a numeric address. */
export function numericAddress(host: string): string | undefined {
  return ipv4(host) ?? ipv6(host);
}

/** is_addr_fast(): looks like an address (contains ':' or only digits and dots). */
export function looksLikeAddress(host: string): boolean {
  return host.includes(":") || /^[0-9.]+$/.test(host);
}
