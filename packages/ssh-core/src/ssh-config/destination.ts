/**
 * `[user@]host[:port]` and `ssh://[user@]host[:port]` parsing with OpenSSH's rules (last `@`
 * separates the user, `[...]` brackets an IPv6 address, ports must be 1-65535).
 */
import { SshConfigError } from "./errors.js";
import { parsePort } from "./forward.js";

export interface UserHostPort {
  user?: string;
  host: string;
  port?: number;
}

/** hpdelim2(): splits off the host at the first `:` or `/` (or after a `[...]`). */
function splitHost(text: string): { host: string; rest: string | null; delim: string } | null {
  let end: number;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close === -1) return null;
    end = close + 1;
  } else {
    const m = text.search(/[:/]/);
    end = m === -1 ? text.length : m;
  }
  const c = text[end];
  if (c === undefined) return { host: text, rest: null, delim: "" };
  if (c !== ":" && c !== "/") return null;
  return { host: text.slice(0, end), rest: text.slice(end + 1), delim: c };
}

function cleanHost(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}

/** valid_domain(): letters, digits, `-`, `_` and single dots, starting with a letter or digit. */
export function domainError(name: string): string | null {
  if (name === "") return "empty domain name";
  if (!/^[A-Za-z0-9]/.test(name)) return `domain name "${name}" starts with invalid character`;
  if (name.includes("..")) return `domain name "${name}" contains consecutive separators`;
  if (!/^[A-Za-z0-9._-]*$/.test(name)) return `domain name "${name}" contains invalid characters`;
  return null;
}

/** parse_user_host_port(); null when invalid. */
export function parseUserHostPort(text: string): UserHostPort | null {
  let rest = text;
  let user: string | undefined;
  const at = rest.lastIndexOf("@");
  if (at !== -1) {
    if (at === 0) return null;
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  const split = splitHost(rest);
  if (split === null || split.host === "") return null;
  const result: UserHostPort = { host: cleanHost(split.host) };
  if (user !== undefined) result.user = user;
  if (split.rest !== null && split.rest !== "") {
    const port = parsePort(split.rest);
    if (port <= 0) return null;
    result.port = port;
  }
  return result;
}

/** parse_ssh_uri(): "not-uri" when the text has no ssh:// scheme, null when it is an invalid URI. */
export function parseSshUri(text: string): UserHostPort | null | "not-uri" {
  if (!text.startsWith("ssh://")) return "not-uri";
  let rest = text.slice(6);
  let user: string | undefined;
  const at = rest.indexOf("@");
  if (at !== -1) {
    let userPart = rest.slice(0, at);
    const semi = userPart.indexOf(";");
    if (semi !== -1) userPart = userPart.slice(0, semi);
    if (userPart === "") return null;
    try {
      user = decodeURIComponent(userPart);
    } catch {
      return null;
    }
    rest = rest.slice(at + 1);
  }
  const split = splitHost(rest);
  if (split === null || split.host === "") return null;
  const host = cleanHost(split.host);
  if (domainError(host) !== null) return null;
  const result: UserHostPort = { host };
  if (user !== undefined) result.user = user;
  let tail = split.rest;
  if (tail !== null && tail !== "") {
    if (split.delim === ":") {
      const slash = tail.indexOf("/");
      const portText = slash === -1 ? tail : tail.slice(0, slash);
      const port = parsePort(portText);
      if (port <= 0) return null;
      result.port = port;
      tail = slash === -1 ? null : tail.slice(slash + 1);
    }
    // A path is not allowed in ssh:// destinations.
    if (tail !== null && tail !== "") return null;
  }
  return result;
}

/** One hop as written: `ssh://` URI or `[user@]host[:port]`. */
export function parseHop(text: string): UserHostPort | null {
  const uri = parseSshUri(text);
  return uri === "not-uri" ? parseUserHostPort(text) : uri;
}

/**
 * Splits a ProxyJump value into hops in connection order (the first hop is dialled first), as
 * OpenSSH does. Returns [] for `none`; throws an SshConfigError (INVALID_OPTIONS) on an invalid hop.
 */
export function parseProxyJump(value: string): UserHostPort[] {
  const hash = value.indexOf("#");
  const text = (hash === -1 ? value : value.slice(0, hash)).trimEnd();
  if (text.toLowerCase() === "none") return [];
  return text.split(",").map((hop) => {
    const parsed = parseHop(hop);
    if (parsed === null) throw new SshConfigError("INVALID_OPTIONS", `Invalid ProxyJump hop "${hop}"`);
    return parsed;
  });
}
