/**
 * Port-forward specifications (LocalForward, RemoteForward, DynamicForward) parsed and printed
 * the way OpenSSH does: `[listen_host:]port|path` and `host:port|path`, brackets for IPv6.
 */
export const STREAMLOCAL = -2;

export interface Forward {
  listenHost: string | null;
  listenPort: number;
  listenPath: string | null;
  connectHost: string | null;
  connectPort: number;
  connectPath: string | null;
}

/** a2port(): 1-65535 or 0, else -1. */
export function parsePort(text: string): number {
  if (!/^[0-9]+$/.test(text)) return -1;
  const value = Number(text);
  return value > 65535 ? -1 : value;
}

interface Field {
  arg: string;
  isPath: boolean;
}

function splitFields(spec: string): Field[] | null {
  const fields: Field[] = [];
  let i = 0;
  while (i < spec.length && fields.length < 4) {
    if (spec[i] === "[") {
      const close = spec.indexOf("]", i + 1);
      if (close === -1) return null;
      const after = spec[close + 1];
      if (after !== ":" && after !== undefined) return null;
      const arg = spec.slice(i + 1, close);
      fields.push({ arg, isPath: arg.includes("/") });
      i = after === undefined ? close + 1 : close + 2;
      continue;
    }
    let arg = "";
    let isPath = false;
    let ended = false;
    for (; i < spec.length; i++) {
      const c = spec[i]!;
      if (c === "\\") {
        i++;
        if (i >= spec.length) return null;
        arg += spec[i];
      } else if (c === ":") {
        i++;
        ended = true;
        break;
      } else {
        if (c === "/") isPath = true;
        arg += c;
      }
    }
    fields.push({ arg, isPath });
    if (!ended) break;
  }
  if (i < spec.length) return null;
  return fields;
}

/** parse_forward(): null when the specification is invalid. */
export function parseForward(spec: string, dynamic: boolean, remote: boolean): Forward | null {
  const fields = splitFields(spec.trimStart());
  if (fields === null) return null;
  const f: Forward = {
    listenHost: null,
    listenPort: 0,
    listenPath: null,
    connectHost: null,
    connectPort: 0,
    connectPath: null,
  };
  const [a, b, c, d] = fields;
  switch (fields.length) {
    case 1:
      if (a!.isPath) {
        f.listenPath = a!.arg;
        f.listenPort = STREAMLOCAL;
      } else f.listenPort = parsePort(a!.arg);
      f.connectHost = "socks";
      break;
    case 2:
      if (a!.isPath && b!.isPath) {
        f.listenPath = a!.arg;
        f.listenPort = STREAMLOCAL;
        f.connectPath = b!.arg;
        f.connectPort = STREAMLOCAL;
      } else if (b!.isPath) {
        f.listenPort = parsePort(a!.arg);
        f.connectPath = b!.arg;
        f.connectPort = STREAMLOCAL;
      } else {
        f.listenHost = a!.arg;
        f.listenPort = parsePort(b!.arg);
        f.connectHost = "socks";
      }
      break;
    case 3:
      if (a!.isPath) {
        f.listenPath = a!.arg;
        f.listenPort = STREAMLOCAL;
        f.connectHost = b!.arg;
        f.connectPort = parsePort(c!.arg);
      } else if (c!.isPath) {
        f.listenHost = a!.arg;
        f.listenPort = parsePort(b!.arg);
        f.connectPath = c!.arg;
        f.connectPort = STREAMLOCAL;
      } else {
        f.listenPort = parsePort(a!.arg);
        f.connectHost = b!.arg;
        f.connectPort = parsePort(c!.arg);
      }
      break;
    case 4:
      f.listenHost = a!.arg;
      f.listenPort = parsePort(b!.arg);
      f.connectHost = c!.arg;
      f.connectPort = parsePort(d!.arg);
      break;
    default:
      return null;
  }
  const n = fields.length;
  if (dynamic) {
    if (n !== 1 && n !== 2) return null;
  } else {
    if (n !== 3 && n !== 4 && f.connectPath === null && f.listenPath === null) return null;
    if (f.connectPort <= 0 && f.connectPath === null) return null;
  }
  if ((f.listenPort < 0 && f.listenPath === null) || (!remote && f.listenPort === 0)) return null;
  if ((f.connectHost?.length ?? 0) >= 1025 || (f.listenHost?.length ?? 0) >= 1025) return null;
  if ((f.connectPath?.length ?? 0) >= 108 || (f.listenPath?.length ?? 0) >= 108) return null;
  return f;
}

export function forwardsEqual(a: Forward, b: Forward): boolean {
  return (
    a.listenHost === b.listenHost &&
    a.listenPort === b.listenPort &&
    a.listenPath === b.listenPath &&
    a.connectHost === b.connectHost &&
    a.connectPort === b.connectPort &&
    a.connectPath === b.connectPath
  );
}

function formatEnd(host: string | null, port: number, path: string | null): string {
  if (port === STREAMLOCAL) return path ?? "";
  if (host === null) return String(port);
  return `[${host}]:${port}`;
}

/** The value `ssh -G` prints after the keyword (`dynamicforward` prints only the listen side). */
export function formatForward(f: Forward, dynamic: boolean): string {
  const listen = formatEnd(f.listenHost, f.listenPort, f.listenPath);
  return dynamic ? listen : `${listen} ${formatEnd(f.connectHost, f.connectPort, f.connectPath)}`;
}
