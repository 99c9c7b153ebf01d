import { createHash } from "node:crypto";
import { requestAgentIdentities } from "./agent-identities.js";
import { isCertificateType, parseCertificate } from "./certificates.js";

/** One key held by an ssh-agent, described like `ssh-add -l` does. */
export interface AgentKey {
  /** Key size in bits (RSA modulus, curve size, 256 for Ed25519). */
  bits: number;
  /** `SHA256:` + unpadded base64, as OpenSSH prints it. */
  fingerprint: string;
  comment: string;
  /** `RSA`, `ED25519`, `ECDSA`, `DSA`, `ED25519-SK`, `ECDSA-SK` (with `-CERT` for certificates). */
  algorithm: string;
  /** The SSH wire-format public key. */
  publicBlob: Buffer;
}

/**
 * The keys an ssh-agent holds (`ssh-add -l`). Rejects when the socket cannot be reached.
 * @example for (const k of await listAgentKeys(process.env.SSH_AUTH_SOCK!)) console.log(k.fingerprint);
 */
export async function listAgentKeys(socketPath: string): Promise<AgentKey[]> {
  // Our own listing: ssh2's agent client silently drops certificates.
  const identities = await requestAgentIdentities(socketPath);
  return identities.map(({ blob, comment }) => describeKey(blob, comment));
}

/** Describe a key or certificate blob; a certificate shows its key's size and fingerprint, as ssh-add does. */
export function describeKey(blob: Buffer, comment: string): AgentKey {
  const type = readString(blob, 0).toString("latin1");
  const key = certifiedKey(blob, type);
  return {
    bits: keyBits(key, readString(key, 0).toString("latin1")),
    fingerprint: `SHA256:${createHash("sha256").update(key).digest("base64").replace(/=+$/, "")}`,
    comment,
    algorithm: algorithmName(type),
    publicBlob: blob,
  };
}

function certifiedKey(blob: Buffer, type: string): Buffer {
  if (!isCertificateType(type)) return blob;
  try {
    return parseCertificate(blob).publicKey;
  } catch {
    return blob;
  }
}

function algorithmName(type: string): string {
  const cert = type.includes("-cert-v01@openssh.com") ? "-CERT" : "";
  const base = type.replace("-cert-v01@openssh.com", "");
  if (base === "ssh-rsa") return `RSA${cert}`;
  if (base === "ssh-dss") return `DSA${cert}`;
  if (base === "ssh-ed25519") return `ED25519${cert}`;
  if (base === "sk-ssh-ed25519@openssh.com") return `ED25519-SK${cert}`;
  if (base === "sk-ecdsa-sha2-nistp256@openssh.com") return `ECDSA-SK${cert}`;
  if (base.startsWith("ecdsa-sha2-")) return `ECDSA${cert}`;
  return base.toUpperCase();
}

function keyBits(blob: Buffer, type: string): number {
  const curve = /nistp(\d+)/.exec(type);
  if (curve?.[1]) return Number(curve[1]);
  if (type.includes("ed25519")) return 256;
  if (type === "ssh-rsa" || type === "ssh-dss") {
    // ssh-rsa: string type, mpint e, mpint n.  ssh-dss: string type, mpint p, …
    let offset = 4 + blob.readUInt32BE(0);
    if (type === "ssh-rsa") offset += 4 + blob.readUInt32BE(offset);
    return mpintBits(readString(blob, offset));
  }
  return 0;
}

function mpintBits(value: Buffer): number {
  let start = 0;
  while (start < value.length && value[start] === 0) start++;
  const first = value[start];
  if (first === undefined) return 0;
  return (value.length - start - 1) * 8 + (32 - Math.clz32(first));
}

function readString(buffer: Buffer, offset: number): Buffer {
  const length = buffer.readUInt32BE(offset);
  return buffer.subarray(offset + 4, offset + 4 + length);
}
