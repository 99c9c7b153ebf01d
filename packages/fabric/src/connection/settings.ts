import {
  type ResolvedSshConfig,
  resolveSshConfigSync,
  SshConfigError,
  type UserHostPort,
} from "@fabric-ts/ssh-core/ssh-config";
import type { FabricConfig } from "../config/fabric-config.js";
import { ConnectionSpecError } from "../errors/index.js";
import type { ConnectKwargs } from "./connect-kwargs.js";
import { keyFilenames } from "./connect-kwargs.js";
import { deriveShorthand, pickOne } from "./shorthand.js";

/** What a Connection was asked for, before ssh_config and Fabric config fill the gaps. */
export interface ConnectionRequest {
  host: string;
  user?: string | undefined;
  port?: number | undefined;
  connectTimeout?: number | undefined;
  forwardAgent?: boolean | string | undefined;
  connectKwargs?: ConnectKwargs | undefined;
  /** ssh_config lines applied like `ssh -o` (before any file, so they win). */
  sshOptions?: readonly string[] | undefined;
}

/** Where a Connection's gateway comes from, before hop Connections are made. */
export type GatewaySource =
  | { kind: "jump"; hops: UserHostPort[] }
  | { kind: "command"; command: string }
  | { kind: "none" };

/** Every connection parameter, decided (fabric-api §B2 precedence, OpenSSH resolution). */
export interface ConnectionSettings {
  host: string;
  originalHost: string;
  user: string;
  port: number;
  sshConfig: ResolvedSshConfig;
  /** The gateway ssh_config or Fabric config asks for (a constructor `gateway` wins over it). */
  configuredGateway: GatewaySource;
  /** true/false, or an agent socket path to forward instead of the auth agent. */
  forwardAgent: boolean | string;
  /** Seconds, or null. */
  connectTimeout: number | null;
  /** Identity files in the order they are tried (explicit ones first, then ssh_config's). */
  identityFiles: string[];
}

/**
 * Decide host, user, port, identities, timeouts and gateway for a Connection:
 * constructor option → `user@host:port` shorthand → ssh_config (resolved like `ssh -G`) → Fabric config.
 */
export function resolveSettings(request: ConnectionRequest, config: FabricConfig): ConnectionSettings {
  const shorthand = deriveShorthand(request.host);
  if (shorthand.host === "")
    throw new ConnectionSpecError(`No host given in ${JSON.stringify(request.host)}`);
  const user = pickOne("user", shorthand.user, request.user);
  const port = pickOne("port", shorthand.port, request.port);
  const files = config.sshConfigFiles();
  const explicitKeys = [
    ...config.data.authentication.identities,
    ...keyFilenames(config.data.connectKwargs),
    ...keyFilenames(request.connectKwargs ?? {}),
  ];
  const resolve = (u: string | undefined, p: number | undefined) =>
    resolveHop({
      host: shorthand.host,
      ...(u === undefined ? {} : { user: u }),
      ...(p === undefined ? {} : { port: p }),
      ...files,
      extraOptions: [
        ...(request.sshOptions ?? []),
        ...explicitKeys.map((key) => `IdentityFile ${quoteOption(key)}`),
      ],
    });

  let sshConfig = resolve(user, port);
  // Fabric config's user/port sit below ssh_config: only used when no file set one.
  const configUser = config.data.user ?? undefined;
  const configPort = config.data.port;
  const fallbackUser = user === undefined && !setInFile(sshConfig, "user") && configUser !== sshConfig.user;
  const fallbackPort = port === undefined && !setInFile(sshConfig, "port") && configPort !== sshConfig.port;
  if (fallbackUser || fallbackPort) {
    sshConfig = resolve(fallbackUser ? configUser : user, fallbackPort ? configPort : port);
  }

  const lookForKeys = request.connectKwargs?.lookForKeys ?? config.data.connectKwargs.lookForKeys !== false;
  // Paths as ssh opens them (%h, %r, ~ … expanded), in the order `explain()` lists them.
  const keyPaths = sshConfig.identityFilePaths;
  const identityFiles = sshConfig
    .explain()
    .filter((entry) => entry.key === "identityfile")
    .flatMap((entry, index) =>
      lookForKeys || entry.file !== "(default)" ? [keyPaths[index] ?? entry.value] : [],
    );

  return {
    host: sameHost(sshConfig.hostname, shorthand.host) ? shorthand.host : sshConfig.hostname,
    originalHost: shorthand.host,
    user: sshConfig.user,
    port: sshConfig.port,
    sshConfig,
    configuredGateway: configuredGateway(sshConfig, config),
    forwardAgent:
      request.forwardAgent ??
      (setInFile(sshConfig, "forwardagent") ? sshConfig.forwardAgent : config.data.forwardAgent),
    connectTimeout:
      request.connectTimeout ??
      (setInFile(sshConfig, "connecttimeout") ? sshConfig.connectTimeout : config.timeouts.connect),
    identityFiles,
  };
}

type HopOptions = Parameters<typeof resolveSshConfigSync>[0];

/**
 * `ssh -G` for one host. A host whose own ProxyJump names itself (`Host *.example.com` with
 * `ProxyJump bastion.example.com`, seen from the bastion) is connected to directly, as Fabric does,
 * instead of failing as a jump loop.
 */
function resolveHop(options: HopOptions): ResolvedSshConfig {
  try {
    return resolveSshConfigSync(options);
  } catch (error) {
    if (!(error instanceof SshConfigError && /jumphost loop/.test(error.message))) throw error;
    return resolveSshConfigSync({
      ...options,
      extraOptions: [...(options.extraOptions ?? []), "ProxyJump none"],
    });
  }
}

/** ProxyJump or ProxyCommand, whichever ssh_config set first (as OpenSSH); else config `gateway`. */
function configuredGateway(sshConfig: ResolvedSshConfig, config: FabricConfig): GatewaySource {
  const hops = sshConfig.proxyJumpHops;
  if (hops.length > 0) return { kind: "jump", hops };
  const command = sshConfig.proxyCommand;
  if (command !== null && command.toLowerCase() !== "none") return { kind: "command", command };
  const gateway = config.data.gateway;
  return typeof gateway === "string" && gateway !== ""
    ? { kind: "command", command: gateway }
    : { kind: "none" };
}

/** Whether an ssh_config file (not OpenSSH's defaults or our own arguments) set `key`. */
function setInFile(sshConfig: ResolvedSshConfig, key: string): boolean {
  const origin = sshConfig.origin(key);
  return origin !== undefined && !["(default)", "(command line)", "command-line"].includes(origin.file);
}

function sameHost(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/** Quote a value for an ssh_config line (`-o` style). */
function quoteOption(value: string): string {
  return /[\s"']/.test(value) ? `"${value.replaceAll('"', '\\"')}"` : value;
}
