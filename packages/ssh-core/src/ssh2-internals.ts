import { createRequire } from "node:module";
import type { ClientChannel, ServerChannel, SFTPWrapper } from "ssh2";

// Every use of ssh2's private internals in the libraries goes through this module, and only this one
// (the test server in @fabric-ts/testing has its own, embedded/ssh2-internals.ts, server side only).
// They are private, so they are pinned: ssh2 is an exact dependency (`SSH2_VERSION`), and
// test/integration/ssh2-internals.test.ts checks each internal relied on here against that version, so an
// upgrade that moves one fails there first. Nothing here changes ssh2's own code paths for callers
// that do not use our features: the one prototype wrapper (userauth with certificates) passes every
// other key through unchanged.

const require = createRequire(import.meta.url);

/** The ssh2 release whose internals this module was written and tested against. */
export const SSH2_VERSION = "1.17.0";

/** The version of the ssh2 that `import "ssh2"` loads here. */
export function installedSsh2Version(): string {
  return (require("ssh2/package.json") as { version: string }).version;
}

// ---------------------------------------------------------------------------------------------
// Algorithm tables (lib/protocol/constants.js): what ssh2 offers by default and what it supports.
// ---------------------------------------------------------------------------------------------

export interface Ssh2AlgorithmTables {
  DEFAULT_KEX: string[];
  SUPPORTED_KEX: string[];
  DEFAULT_SERVER_HOST_KEY: string[];
  SUPPORTED_SERVER_HOST_KEY: string[];
  DEFAULT_CIPHER: string[];
  SUPPORTED_CIPHER: string[];
  DEFAULT_MAC: string[];
  SUPPORTED_MAC: string[];
  DEFAULT_COMPRESSION: string[];
  SUPPORTED_COMPRESSION: string[];
}

let tables: Ssh2AlgorithmTables | undefined;
export function ssh2AlgorithmTables(): Ssh2AlgorithmTables {
  tables ??= require("ssh2/lib/protocol/constants.js") as Ssh2AlgorithmTables;
  return tables;
}

// ---------------------------------------------------------------------------------------------
// Public-key userauth (lib/protocol/Protocol.js: authPK, _packetRW, _authsQueue, _kexinit, _queue,
// _cipher). ssh2 writes one algorithm name into both the request and the signature; a certificate
// needs the certificate algorithm in the request and the plain one in the signature. The hook
// decides per key; keys it does not claim go through ssh2 unchanged. Applied when ssh2 loads.
// ---------------------------------------------------------------------------------------------

type SignCallback = (signed: Buffer, send: (signature: Buffer) => void) => void;

/** What the hook returns for a key whose request it writes itself. */
export interface PublicKeyAuthOverride {
  /** Algorithm name in the request (e.g. `ssh-ed25519-cert-v01@openssh.com`). */
  requestAlgorithm: string;
  /** Algorithm name inside the signature (e.g. `ssh-ed25519`). */
  signatureAlgorithm: string;
  /** The signature blob as SSH wants it, from what the signer returned. */
  signatureBlob(signature: Buffer): Buffer;
}

/** Given the key ssh2 is about to offer and the algorithm ssh2 negotiated (if any). */
export type PublicKeyAuthHook = (
  pubKey: unknown,
  negotiated: string | undefined,
) => PublicKeyAuthOverride | undefined;

interface ProtocolInternals {
  authPK(username: string, pubKey: unknown, keyAlgo?: string | SignCallback, cbSign?: SignCallback): void;
  _packetRW: { write: { allocStart: number; alloc(size: number): Buffer; finalize(packet: Buffer): Buffer } };
  _authsQueue: string[];
  _kexinit: unknown;
  _queue?: Buffer[];
  _cipher: { encrypt(packet: Buffer): void };
}

interface ProtocolClass {
  prototype: ProtocolInternals;
}

/** Marks the wrapped prototype; global so two copies of this module (ESM and a CLI bundle) wrap once. */
const WRAPPED = Symbol.for("fabric-ts.ssh2-internals.authPK");

export function ssh2ProtocolClass(): ProtocolClass {
  return require("ssh2/lib/protocol/Protocol.js") as ProtocolClass;
}

let pendingHook: PublicKeyAuthHook | undefined;
let loaded = false;

/**
 * Registers `hook` for ssh2's Protocol.prototype.authPK. The wrapper goes on when ssh2 is loaded
 * (`applyToLoadedSsh2()`, called by the lazy ssh2 loader in client/ssh2-module.ts), so code that never connects does not load ssh2.
 * Once per process: a second copy of this module finds the prototype already wrapped.
 */
export function installPublicKeyAuthHook(hook: PublicKeyAuthHook): void {
  pendingHook = hook;
  if (loaded) wrapAuthPK(hook);
}

/** Applies what was registered here to the freshly loaded ssh2 (idempotent). */
export function applyToLoadedSsh2(): void {
  loaded = true;
  if (pendingHook) wrapAuthPK(pendingHook);
}

function wrapAuthPK(hook: PublicKeyAuthHook): void {
  const proto = ssh2ProtocolClass().prototype as ProtocolInternals & { [WRAPPED]?: true };
  if (proto[WRAPPED] || typeof proto.authPK !== "function") return;
  const original = proto.authPK;
  proto.authPK = function authPK(this: ProtocolInternals, username, pubKey, keyAlgo, cbSign) {
    let sign = cbSign;
    let algorithm = keyAlgo;
    if (typeof algorithm === "function") {
      sign = algorithm;
      algorithm = undefined;
    }
    const override = hook(pubKey, algorithm);
    if (!override) return original.call(this, username, pubKey, keyAlgo, cbSign);
    if (!sign) return original.call(this, username, pubKey, override.requestAlgorithm);
    const signer = sign;
    // ssh2 builds the data to sign correctly (session id + request with the request algorithm);
    // only the final packet, with the signature algorithm in the signature, is written here.
    original.call(this, username, pubKey, override.requestAlgorithm, (signed) => {
      signer(signed, (signature) => {
        sendSignedRequest(this, signed, override.signatureAlgorithm, override.signatureBlob(signature));
      });
    });
  };
  Object.defineProperty(proto, WRAPPED, { value: true });
}

/** True when ssh2's Protocol.prototype.authPK carries our wrapper. */
export function publicKeyAuthHookInstalled(): boolean {
  return (ssh2ProtocolClass().prototype as { [WRAPPED]?: true })[WRAPPED] === true;
}

function sshString(value: Buffer | string): Buffer {
  const body = typeof value === "string" ? Buffer.from(value) : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  return Buffer.concat([length, body]);
}

function sendSignedRequest(
  proto: ProtocolInternals,
  signed: Buffer,
  algorithm: string,
  signature: Buffer,
): void {
  const sessionIdLength = signed.readUInt32BE(0);
  const request = signed.subarray(4 + sessionIdLength);
  const payload = Buffer.concat([
    request,
    sshString(Buffer.concat([sshString(algorithm), sshString(signature)])),
  ]);
  const writer = proto._packetRW.write;
  const start = writer.allocStart;
  const packet = writer.alloc(payload.length);
  payload.copy(packet, start);
  proto._authsQueue.push("publickey");
  const finalized = writer.finalize(packet);
  // As ssh2's own sendPacket: hold packets back while a key re-exchange is in progress.
  if (proto._kexinit === undefined) proto._cipher.encrypt(finalized);
  else {
    proto._queue ??= [];
    proto._queue.push(finalized);
  }
}

// ---------------------------------------------------------------------------------------------
// Channel requests after our EOF (lib/Channel.js: outgoing.{id,state}, _client._protocol). ssh2's
// public signal()/setWindow() drop the request once the writable side has ended; RFC 4254 allows
// both after EOF, and a command whose stdin we closed must still be signallable.
// ---------------------------------------------------------------------------------------------

interface ChannelInternals {
  writable: boolean;
  outgoing: { id: number; state: string };
  _client: {
    _protocol: {
      signal(id: number, name: string): void;
      windowChange(id: number, rows: number, cols: number, height: number, width: number): void;
    };
  };
}

function channelInternals(channel: ClientChannel | ServerChannel): ChannelInternals {
  return channel as unknown as ChannelInternals;
}

/** The state of our side of the channel: "open", "eof" (we sent EOF), "closing" or "closed". */
export function outgoingState(channel: ClientChannel | ServerChannel): string {
  return channelInternals(channel).outgoing.state;
}

/** Sends a `signal` request, also after our EOF (a no-op once the channel is closing). */
export function sendSignalRequest(channel: ClientChannel, name: string): void {
  const raw = channelInternals(channel);
  const state = raw.outgoing.state;
  if (state !== "open" && state !== "eof") return;
  if (raw.writable && state === "open") channel.signal(name);
  else raw._client._protocol.signal(raw.outgoing.id, name);
}

/** Sends a `window-change` request, also after our EOF (a no-op once the channel is closing). */
export function sendWindowChangeRequest(
  channel: ClientChannel,
  size: { rows: number; cols: number; height: number; width: number },
): void {
  const raw = channelInternals(channel);
  const state = raw.outgoing.state;
  if (state !== "open" && state !== "eof") return;
  if (raw.writable && state === "open") channel.setWindow(size.rows, size.cols, size.height, size.width);
  else raw._client._protocol.windowChange(raw.outgoing.id, size.rows, size.cols, size.height, size.width);
}

// ---------------------------------------------------------------------------------------------
// SFTP session limits (lib/protocol/SFTP.js: _maxReadLen, _maxWriteLen, _extensions), learnt from
// the server's version reply and `limits@openssh.com`.
// ---------------------------------------------------------------------------------------------

interface SftpInternals {
  _extensions?: Record<string, string>;
  _maxReadLen?: number;
  _maxWriteLen?: number;
}

/** ssh2's safe request size when it cannot tell the server is OpenSSH. */
const CONSERVATIVE_MAX_DATA = 32 * 1024;

export interface SftpLimits {
  /** Largest READ request the server answers in full. */
  maxRead: number;
  /** Largest WRITE request the server accepts. */
  maxWrite: number;
  /** Extensions the server announced (name → version/data). */
  extensions: Record<string, string>;
}

export function sftpLimits(sftp: SFTPWrapper): SftpLimits {
  const raw = sftp as unknown as SftpInternals;
  return {
    maxRead: raw._maxReadLen ?? CONSERVATIVE_MAX_DATA,
    maxWrite: raw._maxWriteLen ?? CONSERVATIVE_MAX_DATA,
    extensions: { ...(raw._extensions ?? {}) },
  };
}
