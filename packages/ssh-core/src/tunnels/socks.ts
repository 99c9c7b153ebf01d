import type { Socket } from "node:net";
import { TunnelError } from "../errors.js";

/** Where a SOCKS client asked to go, plus any bytes it sent after the request. */
export interface SocksRequest {
  host: string;
  port: number;
  version: 4 | 5;
  rest: Buffer;
}

/** Buffered reads of exact byte counts from a paused socket, for the handshake only. */
class HandshakeReader {
  #buffer: Buffer = Buffer.alloc(0);
  #want: { count: number; resolve: (bytes: Buffer) => void; reject: (error: Error) => void } | undefined;
  readonly #socket: Socket;
  readonly #onData = (chunk: Buffer) => {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    this.#serve();
  };
  readonly #onEnd = () => this.#want?.reject(protocolError("client closed during the SOCKS handshake"));

  constructor(socket: Socket) {
    this.#socket = socket;
    socket.on("data", this.#onData);
    socket.once("end", this.#onEnd);
    socket.once("error", this.#onEnd);
    socket.resume();
  }

  read(count: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      this.#want = { count, resolve, reject };
      this.#serve();
    });
  }

  /** Read up to and including a NUL byte (SOCKS4 user id and host name). */
  async readCString(limit = 1024): Promise<string> {
    let text = "";
    for (;;) {
      const byte = (await this.read(1))[0];
      if (byte === 0) return text;
      text += String.fromCharCode(byte ?? 0);
      if (text.length > limit) throw protocolError("SOCKS4 string too long");
    }
  }

  #serve(): void {
    const want = this.#want;
    if (!want || this.#buffer.length < want.count) return;
    this.#want = undefined;
    const bytes = this.#buffer.subarray(0, want.count);
    this.#buffer = this.#buffer.subarray(want.count);
    want.resolve(bytes);
  }

  /** Stop reading; returns what arrived beyond the handshake. */
  detach(): Buffer {
    this.#socket.pause();
    this.#socket.off("data", this.#onData);
    this.#socket.off("end", this.#onEnd);
    this.#socket.off("error", this.#onEnd);
    return this.#buffer;
  }
}

function protocolError(message: string): TunnelError {
  return new TunnelError("SOCKS_PROTOCOL", message);
}

/**
 * Read a SOCKS5 (RFC 1928, CONNECT, no authentication; IPv4, domain and IPv6 addresses) or
 * SOCKS4/4a CONNECT request. Unsupported requests get the protocol's refusal and reject.
 */
export async function readSocksRequest(socket: Socket): Promise<SocksRequest> {
  const reader = new HandshakeReader(socket);
  try {
    const [version] = await reader.read(1);
    if (version === 5) return { ...(await readSocks5(reader, socket)), version: 5, rest: reader.detach() };
    if (version === 4) return { ...(await readSocks4(reader, socket)), version: 4, rest: reader.detach() };
    throw protocolError(`unsupported SOCKS version ${version}`);
  } catch (error) {
    reader.detach();
    throw error;
  }
}

async function readSocks5(reader: HandshakeReader, socket: Socket): Promise<{ host: string; port: number }> {
  const [count = 0] = await reader.read(1);
  const methods = await reader.read(count);
  if (!methods.includes(0x00)) {
    socket.end(Buffer.from([5, 0xff]));
    throw protocolError("SOCKS5 client offered no supported authentication method (only 'none' is)");
  }
  socket.write(Buffer.from([5, 0x00]));
  const [, command, , addressType] = await reader.read(4);
  let host: string;
  if (addressType === 1) host = [...(await reader.read(4))].join(".");
  else if (addressType === 3) host = (await reader.read((await reader.read(1))[0] ?? 0)).toString("latin1");
  else if (addressType === 4) host = ipv6(await reader.read(16));
  else {
    socket.end(socks5Reply(8));
    throw protocolError(`unsupported SOCKS5 address type ${addressType}`);
  }
  const port = (await reader.read(2)).readUInt16BE(0);
  if (command !== 1) {
    socket.end(socks5Reply(7));
    throw protocolError(`unsupported SOCKS5 command ${command} (only CONNECT is)`);
  }
  return { host, port };
}

async function readSocks4(reader: HandshakeReader, socket: Socket): Promise<{ host: string; port: number }> {
  const header = await reader.read(7);
  const command = header[0];
  const port = header.readUInt16BE(1);
  const ip = [...header.subarray(3, 7)];
  await reader.readCString(); // user id, ignored
  // SOCKS4a: 0.0.0.x (x != 0) means "a host name follows".
  const host =
    ip[0] === 0 && ip[1] === 0 && ip[2] === 0 && ip[3] !== 0 ? await reader.readCString() : ip.join(".");
  if (command !== 1) {
    socket.end(Buffer.from([0, 0x5b, 0, 0, 0, 0, 0, 0]));
    throw protocolError(`unsupported SOCKS4 command ${command}`);
  }
  return { host, port };
}

function ipv6(bytes: Buffer): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(":");
}

/** SOCKS5 reply with a zero bound address (clients ignore it for CONNECT). */
export function socks5Reply(status: number): Buffer {
  return Buffer.from([5, status, 0, 1, 0, 0, 0, 0, 0, 0]);
}

export function socksSuccess(version: 4 | 5): Buffer {
  return version === 5 ? socks5Reply(0) : Buffer.from([0, 0x5a, 0, 0, 0, 0, 0, 0]);
}

/** The refusal to send when the server could not open the connection (SSH open-failure reason → SOCKS status). */
export function socksFailure(version: 4 | 5, sshReason: number | undefined): Buffer {
  if (version === 4) return Buffer.from([0, 0x5b, 0, 0, 0, 0, 0, 0]);
  // 1 administratively prohibited → 2 "not allowed"; 2 connect failed → 5 "refused"; else general failure.
  return socks5Reply(sshReason === 1 ? 2 : sshReason === 2 ? 5 : 1);
}
