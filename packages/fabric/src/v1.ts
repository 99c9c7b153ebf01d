import { FabricConfig, type FabricConfigOptions } from "./config/fabric-config.js";
import { Connection, type ConnectionOptions } from "./connection/connection.js";
import { deriveShorthand } from "./connection/shorthand.js";
import { InvalidV1Env } from "./errors/index.js";

/** The Fabric 1 `env` keys that carry over (`fabric.api.env`, as a plain object). */
export interface V1Env {
  host_string?: string | null;
  user?: string | null;
  /** Fabric 1 kept the port as a string ("22"). */
  port?: string | number | null;
  key_filename?: string | string[] | null;
  always_use_pty?: boolean;
  gateway?: string | null;
  forward_agent?: boolean;
  no_agent?: boolean;
  ssh_config_path?: string | null;
  sudo_password?: string | null;
  password?: string | null;
  sudo_prompt?: string | null;
  timeout?: number | null;
  use_ssh_config?: boolean;
  warn_only?: boolean;
  [other: string]: unknown;
}

/**
 * Fabric's `Config.from_v1(env)`: a FabricConfig whose overrides level holds the Fabric 1 settings
 * (`always_use_pty` → `run.pty`, `warn_only` → `run.warn`, `password` → `connectKwargs.password` and, when
 * no `sudo_password`, `sudo.password`, …). `options.overrides` win over the env.
 */
export function configFromV1(env: V1Env, options: FabricConfigOptions = {}): FabricConfig {
  const settings: [string, unknown][] = [];
  const set = (path: string, value: unknown) => settings.push([path, value]);
  if (env.always_use_pty !== undefined) set("run.pty", env.always_use_pty);
  if (env.warn_only !== undefined) set("run.warn", env.warn_only);
  if (env.gateway) set("gateway", env.gateway);
  if (env.forward_agent !== undefined) set("forwardAgent", env.forward_agent);
  if (env.key_filename !== undefined && env.key_filename !== null)
    set("connectKwargs.keyFilename", env.key_filename);
  if (env.no_agent !== undefined) set("connectKwargs.allowAgent", !env.no_agent);
  if (env.ssh_config_path) set("sshConfigPath", env.ssh_config_path);
  if (env.use_ssh_config !== undefined) set("loadSshConfigs", env.use_ssh_config);
  if (env.sudo_prompt) set("sudo.prompt", env.sudo_prompt);
  if (env.timeout !== undefined && env.timeout !== null) set("timeouts.connect", env.timeout);
  if (env.password) set("connectKwargs.password", env.password);
  const sudoPassword = env.sudo_password || env.password;
  if (sudoPassword) set("sudo.password", sudoPassword);
  const { overrides, ...rest } = options;
  const config = new FabricConfig(rest);
  for (const [path, value] of settings) config.setOverride(path, value);
  if (overrides) config.loadOverrides(overrides);
  return config;
}

/**
 * Fabric's `Connection.from_v1(env)`: a Connection to `env.host_string` with Fabric 1's user, port and
 * key file, over `configFromV1(env)` unless `options.config` is given. Unlike Fabric, a user or port
 * already in the host string is not given a second time (Fabric then raised its own "both shorthand
 * and kwarg" error for the user).
 * @throws {InvalidV1Env} when `env.host_string` is empty.
 */
export function connectionFromV1(env: V1Env, options: ConnectionOptions = {}): Connection {
  const host = env.host_string;
  if (!host) {
    throw new InvalidV1Env(
      "Supplied v1 env has an empty `host_string` value! Please make sure you're calling Connection.from_v1 within a connected Fabric 1 session.",
    );
  }
  const shorthand = deriveShorthand(host);
  const port = env.port === undefined || env.port === null || env.port === "" ? undefined : Number(env.port);
  const keyFilename = env.key_filename ?? undefined;
  return new Connection(host, {
    ...(shorthand.user === undefined && env.user ? { user: env.user } : {}),
    ...(shorthand.port === undefined && port !== undefined ? { port } : {}),
    ...options,
    ...(keyFilename === undefined ? {} : { connectKwargs: { keyFilename, ...options.connectKwargs } }),
    config: options.config ?? configFromV1(env),
  });
}
