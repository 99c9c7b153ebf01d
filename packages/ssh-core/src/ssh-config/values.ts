/**
 * Value syntaxes shared by several directives: multistate keywords, times, integers, sizes,
 * IPQoS names and tunnel devices, with OpenSSH 9.2's spellings.
 */
export type Multistate = readonly (readonly [string, number])[];

export const FLAG: Multistate = [
  ["true", 1],
  ["false", 0],
  ["yes", 1],
  ["no", 0],
];
export const YES_NO_ASK: Multistate = [...FLAG, ["ask", 2]];
export const STRICT_HOSTKEY: Multistate = [
  ["true", 2],
  ["false", 0],
  ["yes", 2],
  ["no", 0],
  ["ask", 3],
  ["off", 0],
  ["accept-new", 1],
];
export const YES_NO_ASK_CONFIRM: Multistate = [...FLAG, ["ask", 2], ["confirm", 3]];
export const ADDRESS_FAMILY: Multistate = [
  ["inet", 2],
  ["inet6", 10],
  ["any", 0],
];
export const CONTROL_MASTER: Multistate = [
  ["true", 1],
  ["yes", 1],
  ["false", 0],
  ["no", 0],
  ["auto", 2],
  ["ask", 3],
  ["autoask", 4],
];
export const TUNNEL: Multistate = [
  ["ethernet", 2],
  ["point-to-point", 1],
  ["true", 1],
  ["yes", 1],
  ["false", 0],
  ["no", 0],
];
export const REQUEST_TTY: Multistate = [
  ["true", 2],
  ["yes", 2],
  ["false", 1],
  ["no", 1],
  ["force", 3],
  ["auto", 0],
];
export const SESSION_TYPE: Multistate = [
  ["none", 0],
  ["subsystem", 1],
  ["default", 2],
];
export const CANONICALIZE_HOSTNAME: Multistate = [...FLAG, ["always", 2]];
export const PUBKEY_AUTH: Multistate = [
  ["true", 3],
  ["false", 0],
  ["yes", 3],
  ["no", 0],
  ["unbound", 1],
  ["host-bound", 2],
];
export const COMPRESSION: Multistate = [
  ["yes", 1],
  ["no", 0],
];

export function multistateValue(arg: string, table: Multistate): number | undefined {
  const lower = arg.toLowerCase();
  return table.find(([name]) => name === lower)?.[1];
}

/** fmt_multistate_int(): the first spelling with that value. */
export function multistateName(value: number, table: Multistate): string {
  return table.find(([, v]) => v === value)?.[0] ?? "UNKNOWN";
}

const INT_MAX = 2147483647;

/** convtime(): "90", "1m30s", "2h" … in seconds; undefined when invalid. */
export function parseTime(text: string): number | undefined {
  if (text === "") return undefined;
  const units: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  let total = 0;
  let rest = text;
  while (rest !== "") {
    const m = /^[ \t\n\r\f\v]*([+-]?)(\d+)(.?)/.exec(rest);
    if (m === null) return undefined;
    if (m[1] === "-" && Number(m[2]) !== 0) return undefined;
    const unit = (m[3] ?? "").toLowerCase();
    const multiplier = unit === "" ? 1 : units[unit];
    if (multiplier === undefined) return undefined;
    const secs = Number(m[2]);
    if (secs > Math.floor(INT_MAX / multiplier)) return undefined;
    total += secs * multiplier;
    if (total > INT_MAX) return undefined;
    rest = rest.slice(m[0].length);
  }
  return total;
}

/** atoi_err(): the error word OpenSSH prints, or the value. */
export function parseInteger(text: string | undefined): { error: string } | { value: number } {
  if (text === undefined || text === "") return { error: "missing" };
  const m = /^[ \t\n\r\f\v]*([+-]?\d+)$/.exec(text);
  if (m === null) return { error: "invalid" };
  const value = Number(m[1]);
  if (value < 0) return { error: "too small" };
  if (value > INT_MAX) return { error: "too large" };
  return { value };
}

/** scan_scaled(): "1G", "512M", "1.5K" → bytes; undefined when invalid. */
export function parseScaled(text: string): number | undefined {
  const m = /^(\d+)(?:\.(\d+))?([bkmgtpe])?$/i.exec(text);
  if (m === null) return undefined;
  const scale = 1024 ** "bkmgtpe".indexOf((m[3] ?? "b").toLowerCase());
  const fraction = m[2] === undefined ? 0 : Math.floor((Number(`0.${m[2]}`) * scale) as number);
  if (m[2] !== undefined && m[3] === undefined) return undefined;
  return Number(m[1]) * scale + fraction;
}

export const IPQOS: Multistate = [
  ["af11", 0x28],
  ["af12", 0x30],
  ["af13", 0x38],
  ["af21", 0x48],
  ["af22", 0x50],
  ["af23", 0x58],
  ["af31", 0x68],
  ["af32", 0x70],
  ["af33", 0x78],
  ["af41", 0x88],
  ["af42", 0x90],
  ["af43", 0x98],
  ["cs0", 0x00],
  ["cs1", 0x20],
  ["cs2", 0x40],
  ["cs3", 0x60],
  ["cs4", 0x80],
  ["cs5", 0xa0],
  ["cs6", 0xc0],
  ["cs7", 0xe0],
  ["ef", 0xb8],
  ["le", 0x04],
  ["lowdelay", 0x10],
  ["throughput", 0x08],
  ["reliability", 0x04],
];

export function parseIpqos(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const named = multistateValue(text, IPQOS);
  if (named !== undefined) return named;
  let value: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(text)) value = Number.parseInt(text.slice(2), 16);
  else if (/^0[0-7]*$/.test(text)) value = Number.parseInt(text, 8);
  else if (/^[1-9][0-9]*$/.test(text)) value = Number(text);
  else return undefined;
  return value >= 0 && value <= 255 ? value : undefined;
}

export function ipqosName(value: number): string {
  const named = IPQOS.find(([, v]) => v === value);
  return named === undefined ? `0x${value.toString(16).padStart(2, "0")}` : named[0];
}

export const TUN_ANY = 0x7fffffff;
const TUN_MAX = TUN_ANY - 2;

function tunOne(text: string): number | undefined {
  if (text.toLowerCase() === "any") return TUN_ANY;
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n <= TUN_MAX ? n : undefined;
}

/** a2tun(): "any", "N" or "local:remote". */
export function parseTunnelDevice(text: string): { local: number; remote: number } | undefined {
  const colon = text.indexOf(":");
  if (colon === -1) {
    const local = tunOne(text);
    return local === undefined ? undefined : { local, remote: TUN_ANY };
  }
  const remote = tunOne(text.slice(colon + 1));
  const local = tunOne(text.slice(0, colon));
  if (remote === undefined || local === undefined) return undefined;
  return { local, remote };
}

// ssh accepts QUIET and SILENT and prints level 0 as SILENT.
export const LOG_LEVELS: Multistate = [
  ["SILENT", 0],
  ["QUIET", 0],
  ["FATAL", 1],
  ["ERROR", 2],
  ["INFO", 3],
  ["VERBOSE", 4],
  ["DEBUG", 5],
  ["DEBUG1", 5],
  ["DEBUG2", 6],
  ["DEBUG3", 7],
];

export const LOG_FACILITIES = [
  "DAEMON",
  "USER",
  "AUTH",
  "AUTHPRIV",
  "LOCAL0",
  "LOCAL1",
  "LOCAL2",
  "LOCAL3",
  "LOCAL4",
  "LOCAL5",
  "LOCAL6",
  "LOCAL7",
] as const;

/** vis(c, VIS_WHITE): how `ssh -G` prints the escape character. */
export function visChar(code: number): string {
  const ch = String.fromCharCode(code);
  if (code === 0x5c) return "\\\\";
  if (code === 0x20 || code === 0x09 || code === 0x0a) return `\\${code.toString(8).padStart(3, "0")}`;
  if (code > 0x20 && code < 0x7f) return ch;
  let out = "\\";
  let c = code;
  if (c & 0x80) {
    out += "M-";
    c &= 0x7f;
  }
  if (c === 0x7f) return `${out}^?`;
  if (c < 0x20) return `${out}^${String.fromCharCode(c + 64)}`;
  return out + String.fromCharCode(c);
}
