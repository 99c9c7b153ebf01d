import { createHmac, randomBytes } from "node:crypto";
import { knownHostsName } from "./hosts.js";

interface Endpoint {
  address: string;
  port: number;
}

function keyPart(publicKeyLine: string): string {
  // known_hosts wants "type base64"; the key comment is dropped.
  const [type, blob] = publicKeyLine.trim().split(/\s+/);
  if (!type || !blob) throw new Error(`not a public key line: ${publicKeyLine}`);
  return `${type} ${blob}`;
}

/** OpenSSH's hashed host name: `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`. */
export function hashHostName(name: string, salt: Buffer = randomBytes(20)): string {
  const digest = createHmac("sha1", salt).update(name).digest("base64");
  return `|1|${salt.toString("base64")}|${digest}`;
}

/** known_hosts lines: every endpoint paired with every host key, plain or hashed. */
export function renderKnownHosts(
  endpoints: readonly Endpoint[],
  hostPublicKeys: readonly string[],
  options: { hashed?: boolean } = {},
): string {
  const lines: string[] = [];
  for (const endpoint of endpoints) {
    const name = knownHostsName(endpoint.address, endpoint.port);
    for (const key of hostPublicKeys) {
      lines.push(`${options.hashed ? hashHostName(name) : name} ${keyPart(key)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}
