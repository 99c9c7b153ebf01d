// The head start of `fab -H host -- cmd`: before the CLI loads the rest of itself (and ssh2), work out
// where the Connection will dial and start that TCP connect, so that it and sshd's per-connection
// start-up overlap module loading. Only a guess from argv and ssh_config: the Connection resolves
// its destination as always and uses this socket only if it goes to the same host and port.
import { homedir } from "node:os";
import { resolve } from "node:path";
import { EarlyDial } from "@fabric-ts/ssh-core/early-dial";
import { resolveSshConfigSync } from "@fabric-ts/ssh-core/ssh-config";
import { offerEarlyDial } from "../connection/early-dial.js";
import { deriveShorthand } from "../connection/shorthand.js";

/** What argv says about the one host of an ad-hoc command. */
export interface AdHocTarget {
  /** The `-H` value: `host`, `user@host` or `user@host:port`. */
  hostSpec: string;
  /** `-S`: the only ssh_config file read. */
  sshConfig?: string;
}

/** Flags that may come with `-H` without changing where it dials (their values are skipped). */
const VALUE_FLAGS = new Set(["-i", "--identity", "-t", "--connect-timeout"]);

/**
 * `-H host [-S file] [-i key] [-t secs] -- cmd` with exactly one host; null for anything else
 * (several hosts, other flags, tasks), which gets no head start.
 */
export function adHocTarget(argv: readonly string[]): AdHocTarget | null {
  const end = argv.indexOf("--");
  if (end === -1 || end === argv.length - 1) return null;
  let hosts: string | undefined;
  let sshConfig: string | undefined;
  for (let i = 0; i < end; i++) {
    const [name, inline] = splitFlag(argv[i]!);
    const value = inline ?? (i + 1 < end ? argv[++i] : undefined);
    if (value === undefined) return null;
    if (name === "-H" || name === "--hosts") {
      if (hosts !== undefined) return null;
      hosts = value;
    } else if (name === "-S" || name === "--ssh-config") {
      if (sshConfig !== undefined) return null;
      sshConfig = value;
    } else if (!VALUE_FLAGS.has(name)) {
      return null;
    }
  }
  const hostSpec = hosts?.trim();
  if (!hostSpec || hostSpec.includes(",")) return null;
  return { hostSpec, ...(sshConfig === undefined ? {} : { sshConfig: resolve(sshConfig) }) };
}

/** `--name=value`, `-Xvalue` (for the flags above) or a bare flag name. */
function splitFlag(arg: string): [name: string, value: string | undefined] {
  if (arg.startsWith("--")) {
    const eq = arg.indexOf("=");
    return eq === -1 ? [arg, undefined] : [arg.slice(0, eq), arg.slice(eq + 1)];
  }
  return /^-[HSit]./.test(arg) ? [arg.slice(0, 2), arg.slice(2)] : [arg, undefined];
}

class NeedsExec extends Error {}

/**
 * Where a Connection to `target` with Fabric's default ssh_config files would dial, or null when it
 * would not dial directly (ProxyJump, ProxyCommand) or the guess would run something (`Match exec`)
 * or fails. Mirrors the Connection's own resolution; a config file can still change the answer,
 * which is why the Connection checks before using the socket.
 */
export function earlyAddress(target: AdHocTarget): { host: string; port: number } | null {
  try {
    const shorthand = deriveShorthand(target.hostSpec);
    if (shorthand.host === "") return null;
    const home = homedir();
    const resolved = resolveSshConfigSync({
      host: shorthand.host,
      ...(shorthand.user === undefined ? {} : { user: shorthand.user }),
      ...(shorthand.port === undefined ? {} : { port: shorthand.port }),
      ...(target.sshConfig === undefined
        ? { userConfigFile: resolve(home, ".ssh/config"), systemConfigFile: "/etc/ssh/ssh_config" }
        : { configFile: target.sshConfig }),
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
 * Start the connect for an ad-hoc command's host and offer it to the Connection that will run the
 * command. Returns the dial (to discard once the command is done), or null when there is none.
 */
export function dialEarly(argv: readonly string[]): EarlyDial | null {
  const target = adHocTarget(argv);
  const address = target && earlyAddress(target);
  if (!address) return null;
  const dial = EarlyDial.start(address.host, address.port);
  offerEarlyDial(dial);
  return dial;
}
