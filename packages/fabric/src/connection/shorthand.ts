import { ConnectionSpecError } from "../errors/index.js";

/** What `user@host:port` shorthand yields; missing parts are undefined. */
export interface Shorthand {
  user: string | undefined;
  host: string;
  port: number | undefined;
}

/**
 * Fabric's host shorthand: split on the last `@` (an empty user is no user); then, unless the rest
 * holds more than one `:` (an IPv6 address, which is never given a port), split on the last `:`.
 * @example
 * deriveShorthand("u@s@host:22") // { user: "u@s", host: "host", port: 22 }
 * deriveShorthand("user@::1")    // { user: "user", host: "::1", port: undefined }
 */
export function deriveShorthand(text: string): Shorthand {
  const at = text.lastIndexOf("@");
  const user = at === -1 ? undefined : text.slice(0, at) || undefined;
  const hostPort = at === -1 ? text : text.slice(at + 1);
  const colons = hostPort.split(":").length - 1;
  if (colons !== 1) return { user, host: hostPort, port: undefined };
  const colon = hostPort.lastIndexOf(":");
  const portText = hostPort.slice(colon + 1);
  return {
    user,
    host: hostPort.slice(0, colon),
    port: portText === "" ? undefined : parsePort(portText, text),
  };
}

function parsePort(text: string, spec: string): number {
  const port = /^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConnectionSpecError(`Invalid port ${JSON.stringify(text)} in host ${JSON.stringify(spec)}`);
  }
  return port;
}

/** The value given both ways is an error: "You supplied the user via both shorthand and kwarg!". */
export function pickOne<T>(
  what: "user" | "port",
  shorthand: T | undefined,
  option: T | undefined,
): T | undefined {
  if (shorthand !== undefined && option !== undefined) {
    throw new ConnectionSpecError(`You supplied the ${what} via both shorthand and kwarg! Please pick one.`);
  }
  return option ?? shorthand;
}
