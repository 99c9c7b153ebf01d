// The head start of `fab -H host …`: once the command line and configuration are parsed, and before
// the executor, the Connection and ssh2 load, the CLI starts the TCP connect to the one host, so
// that it and sshd's per-connection start-up (accept, fork, banner) overlap that loading. Only a
// guess from the host string and ssh_config: the Connection resolves its destination as always, and
// `SshClient.connect()` adopts the socket only when it goes to the same host and port.
// This module decides where to dial and hands the dial over; the socket itself is ssh-core's
// `EarlyDial` (ssh-core's client/early-tcp-connect.ts).
import { EarlyDial } from "@fabric-ts/ssh-core/early-dial";
import { resolveSshConfigSync } from "@fabric-ts/ssh-core/ssh-config";
import type { SshConfigFiles } from "../config/fabric-config.js";
import { deriveShorthand } from "./shorthand.js";

/** The connection the `fab` CLI started while it loaded, until a Connection takes it. */
let offered: EarlyDial | null = null;

/** Offer a connection started early to the next Connection that dials directly (replacing any other). */
export function offerEarlyDial(dial: EarlyDial | null): void {
  if (offered !== dial) offered?.discard();
  offered = dial;
}

/**
 * Take the offered connection, once. The taker passes it to `SshClient.connect()`, which uses it only
 * if it goes where the Connection resolved to, and closes it otherwise.
 */
export function claimEarlyDial(): EarlyDial | null {
  const dial = offered;
  offered = null;
  return dial;
}

class NeedsExec extends Error {}

/**
 * Where a Connection to `hostSpec` (`host`, `user@host`, `user@host:port`) reading these ssh_config
 * files would dial, or null when it would not dial directly (ProxyJump, ProxyCommand), when the guess
 * would run something (`Match exec`), or when resolving fails.
 */
export function earlyAddress(hostSpec: string, files: SshConfigFiles): { host: string; port: number } | null {
  try {
    const shorthand = deriveShorthand(hostSpec);
    if (shorthand.host === "") return null;
    const resolved = resolveSshConfigSync({
      host: shorthand.host,
      ...(shorthand.user === undefined ? {} : { user: shorthand.user }),
      ...(shorthand.port === undefined ? {} : { port: shorthand.port }),
      ...files,
      runExec: () => {
        throw new NeedsExec();
      },
    });
    if (resolved.proxyJumpHops.length > 0) return null;
    if (resolved.proxyCommand !== null && resolved.proxyCommand.toLowerCase() !== "none") return null;
    const sameHost = resolved.hostname.toLowerCase() === shorthand.host.toLowerCase();
    return { host: sameHost ? shorthand.host : resolved.hostname, port: resolved.port };
  } catch {
    return null;
  }
}

/**
 * Start the connect to `hostSpec` and offer it to the Connection that dials it first. Returns the
 * dial (to discard once the run is over: a task that never connected leaves it unused), or null.
 */
export function dialEarly(hostSpec: string, files: SshConfigFiles): EarlyDial | null {
  const address = earlyAddress(hostSpec, files);
  if (!address) return null;
  const dial = EarlyDial.start(address.host, address.port);
  offerEarlyDial(dial);
  return dial;
}
