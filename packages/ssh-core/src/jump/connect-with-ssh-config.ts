import { hostname as localHostname, userInfo } from "node:os";
import { clientOptionsFromSshConfig } from "../client/from-ssh-config.js";
import type { SshClientOptions } from "../client/options.js";
import type { SshClient } from "../client/ssh-client.js";
import { HostKeyError, type JumpHop, SshAuthError } from "../errors.js";
import { connectionHash } from "../ssh-config/match.js";
import { type ResolveSshConfigOptions, resolveSshConfigSync } from "../ssh-config/resolve.js";
import type { ResolvedSshConfig } from "../ssh-config/resolved.js";
import { percentExpand } from "../ssh-config/tokens.js";
import { connectVia, hopFailure, type JumpHostSpec } from "./connect-via.js";
import { type ProxyCommandOptions, proxyCommandSocket } from "./proxy-command.js";

export interface ConnectWithSshConfigOptions {
  /** Like `ssh -F` (also used for every hop, as ssh passes -F on). "none" reads no file. */
  configFile?: string;
  /** Everything else the resolver takes (user/system files, home dir, env …). */
  resolve?: Omit<ResolveSshConfigOptions, "host">;
  /** Explicit options for the target (win over ssh_config). */
  overrides?: Partial<SshClientOptions>;
  /** Options for every connection in the chain: prompts, host key callbacks, a signal … */
  shared?: Partial<SshClientOptions>;
  /** How ProxyCommand children are run. */
  proxyCommand?: ProxyCommandOptions;
}

/** One connection of the planned chain. */
interface Step {
  name: string;
  options: SshClientOptions;
  /** Only on the first step: the expanded ProxyCommand that carries it. */
  proxyCommand?: string;
}

const MAX_DEPTH = 16;

/**
 * Connect exactly where `ssh host` would: ssh_config is resolved for the target; ProxyJump hops are
 * dialled in OpenSSH's order, each resolved as its own host (the first hop's own ProxyJump or
 * ProxyCommand applies, as with `ssh -J`); `ProxyJump none` disables; ProxyCommand runs through
 * /bin/sh with its tokens expanded. Closing the returned client closes every hop.
 */
export async function connectWithSshConfig(
  host: string,
  options: ConnectWithSshConfigOptions = {},
): Promise<SshClient> {
  const steps = planChain(host, {}, options, 0);
  const target = steps.at(-1)!;
  const first = steps[0]!;
  const sock =
    first.proxyCommand === undefined
      ? undefined
      : proxyCommandSocket(first.proxyCommand, options.proxyCommand);
  const jumps: JumpHostSpec[] = steps
    .slice(0, -1)
    .map((step, index) => ({ ...step.options, name: step.name, ...(index === 0 && sock ? { sock } : {}) }));
  const targetOptions = {
    ...target.options,
    ...options.overrides,
    ...(jumps.length === 0 && sock ? { sock } : {}),
  };
  try {
    return await connectVia({ target: targetOptions, jumps });
  } catch (error) {
    if (jumps.length > 0 || !sock || error instanceof SshAuthError || error instanceof HostKeyError)
      throw error;
    // The target itself is behind a ProxyCommand: name the command when it is what broke.
    const hop: JumpHop = {
      index: 0,
      name: `ProxyCommand ${first.proxyCommand}`,
      host: targetOptions.host,
      port: targetOptions.port ?? 22,
      username: targetOptions.username,
    };
    throw await hopFailure(hop, error, sock);
  }
}

function planChain(
  host: string,
  explicit: { user?: string; port?: number },
  options: ConnectWithSshConfigOptions,
  depth: number,
): Step[] {
  if (depth > MAX_DEPTH)
    throw new Error(`ProxyJump chain for ${host} is more than ${MAX_DEPTH} hops deep (a loop?)`);
  const resolved = resolve(host, explicit, options);
  const step = toStep(host, resolved, options);
  const jump = resolved.proxyJump;
  if (jump !== null && jump.toLowerCase() !== "none") {
    const hops = resolved.proxyJumpHops;
    const [first, ...rest] = hops;
    if (!first) return [step];
    const chain = planChain(first.host, withUserPort(first), options, depth + 1);
    // Later hops get ProxyJump from the command line (ssh -J), so their own proxy settings are ignored.
    for (const hop of rest)
      chain.push(toStep(hop.host, resolve(hop.host, withUserPort(hop), options), options));
    chain.push(step);
    return chain;
  }
  const command = resolved.proxyCommand;
  if (command !== null && command.toLowerCase() !== "none") {
    return [{ ...step, proxyCommand: expandProxyCommand(command, host, resolved) }];
  }
  return [step];
}

function withUserPort(hop: { user?: string; port?: number }): { user?: string; port?: number } {
  return { ...(hop.user ? { user: hop.user } : {}), ...(hop.port ? { port: hop.port } : {}) };
}

function resolve(
  host: string,
  explicit: { user?: string; port?: number },
  options: ConnectWithSshConfigOptions,
): ResolvedSshConfig {
  return resolveSshConfigSync({
    ...options.resolve,
    ...(options.configFile === undefined ? {} : { configFile: options.configFile }),
    ...explicit,
    host,
  });
}

function toStep(name: string, resolved: ResolvedSshConfig, options: ConnectWithSshConfigOptions): Step {
  return { name, options: clientOptionsFromSshConfig(resolved, options.shared ?? {}) };
}

/** The tokens OpenSSH expands in ProxyCommand: %h %p %r %n %C %L %l %d %u %i %k and %%. */
export function expandProxyCommand(
  command: string,
  originalHost: string,
  resolved: ResolvedSshConfig,
): string {
  const local = userInfo();
  const host = resolved.hostname;
  const port = String(resolved.port || 22);
  const lhost = localHostname();
  return percentExpand(command, {
    h: host,
    p: port,
    r: resolved.user || local.username,
    n: originalHost,
    C: connectionHash(lhost, host, port, resolved.user || local.username),
    L: lhost.split(".")[0] ?? lhost,
    l: lhost,
    d: local.homedir,
    u: local.username,
    i: String(local.uid),
    k: resolved.hostKeyAlias ?? originalHost,
  });
}
