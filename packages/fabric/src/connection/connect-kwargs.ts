import type { SshClientOptions } from "@fabric-ts/ssh-core";
import { ConnectionSpecError } from "../errors/index.js";

/**
 * `connectKwargs`: ssh-core's connect options (`SshClientOptions`), plus the Paramiko/Fabric names a
 * ported fabfile uses (`keyFilename`, `allowAgent`, `lookForKeys`, `timeout`, `compress`).
 */
export type ConnectKwargs = Partial<SshClientOptions> & {
  /** Private key file(s), tried before ssh_config's IdentityFile entries. */
  keyFilename?: string | readonly string[];
  /** `false` = do not use the ssh agent. */
  allowAgent?: boolean;
  /** `false` = do not try OpenSSH's default key files (`~/.ssh/id_ed25519` …). */
  lookForKeys?: boolean;
  /** TCP connect + handshake timeout in seconds (Paramiko's `timeout`). */
  timeout?: number;
  /** Offer compression. */
  compress?: boolean;
};

/** Key files named by `keyFilename` (string or list) and `identityFiles`. */
export function keyFilenames(kwargs: { keyFilename?: unknown; identityFiles?: unknown }): string[] {
  const out: string[] = [];
  for (const value of [kwargs.keyFilename, kwargs.identityFiles]) {
    if (typeof value === "string") out.push(value);
    else if (Array.isArray(value)) out.push(...value.filter((v): v is string => typeof v === "string"));
  }
  return out;
}

/** Keys that are connection parameters of their own and must not come in through connectKwargs. */
const AMBIGUOUS = ["host", "hostname", "port", "username"] as const;

/**
 * ssh-core options from connectKwargs (Fabric names translated, key files removed: they are already
 * part of the identity list). Never writes into its input or into the config (fabric-api quirk 16).
 * @throws {ConnectionSpecError} when connectKwargs names the host, port or user.
 */
export function clientOverrides(kwargs: ConnectKwargs): Partial<SshClientOptions> {
  for (const key of AMBIGUOUS) {
    if (key in kwargs) {
      throw new ConnectionSpecError(
        `Refusing to be ambiguous: connect() kwarg '${key}' was given both via regular arg and via connect_kwargs!`,
      );
    }
  }
  const { keyFilename, identityFiles, allowAgent, lookForKeys, timeout, compress, ...rest } = kwargs;
  const out: Partial<SshClientOptions> = { ...rest };
  if (allowAgent === false) out.agent = false;
  if (timeout !== undefined && out.connectTimeout === undefined) out.connectTimeout = timeout * 1000;
  if (compress !== undefined && out.compression === undefined) out.compression = compress;
  return out;
}
