// biome-ignore-all lint/complexity/noThisInStatic: statics stay polymorphic, as in Invoke's Config
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { resolve } from "node:path";
import {
  Config,
  ConfigError,
  type ConfigOptions,
  type ConfigTree,
  type InvokeSchemaSections,
  mergeDicts,
  type Z,
} from "@fabric-ts/invoke";
import { type FabricConfigData, fabricDefaults } from "./defaults.js";
import { fabricSchemaSections } from "./schema.js";

export interface FabricConfigOptions extends ConfigOptions {
  /** `fab -S`: the only ssh_config file read (beats the `sshConfigPath` config key). */
  runtimeSshPath?: string;
  /** Default `/etc/ssh/ssh_config`. */
  systemSshPath?: string;
  /** Default `~/.ssh/config`. */
  userSshPath?: string;
}

/** Which ssh_config files a Connection reads (the resolver's `-F` / user / system options). */
export interface SshConfigFiles {
  /** Set: read only this file (`"none"`: no file at all). */
  configFile?: string;
  userConfigFile?: string;
  systemConfigFile?: string;
}

/**
 * Fabric's configuration: Invoke's {@link Config} with Fabric's defaults (`port`, `user`,
 * `connectKwargs`, `gateway`, `timeouts.connect` …), `fabric.*` files (`/etc/fabric.yaml`,
 * `~/.fabric.yaml`, project `fabric.yaml`) and `FABRIC_` environment variables, plus the ssh_config
 * files Connections read.
 */
export class FabricConfig extends Config {
  static override prefix = "fabric";

  static override globalDefaults(): FabricConfigData {
    return fabricDefaults();
  }

  static override schemaSections(z: Z): InvokeSchemaSections & ReturnType<typeof fabricSchemaSections> {
    return { ...super.schemaSections(z), ...fabricSchemaSections(z) };
  }

  /**
   * A FabricConfig with everything `config` holds (Fabric's `config.clone(into=fabric.Config)`);
   * `config` itself when it already is one. Fabric's defaults fill in what the Invoke config lacks.
   */
  static from(config: Config): FabricConfig {
    if (config instanceof FabricConfig) return config;
    const upgraded = new FabricConfig({ lazy: true, defaults: {}, env: {} });
    (config as unknown as StateCopier).copyStateTo(upgraded);
    // The copied defaults level is Invoke's own: put Fabric's defaults beneath it.
    const copiedDefaults = (upgraded as unknown as { levels: { layers: { defaults: ConfigTree } } }).levels
      .layers.defaults;
    upgraded.loadDefaults(mergeDicts(fabricDefaults(), copiedDefaults));
    return upgraded;
  }

  constructor(options: FabricConfigOptions = {}) {
    const { runtimeSshPath, systemSshPath, userSshPath, ...invokeOptions } = options;
    const paths: ConfigTree = {};
    if (runtimeSshPath !== undefined) paths.runtimeSshPath = runtimeSshPath;
    if (systemSshPath !== undefined) paths.systemSshPath = systemSshPath;
    if (userSshPath !== undefined) paths.userSshPath = userSshPath;
    super({ ...invokeOptions, overrides: mergeDicts({ ...(invokeOptions.overrides ?? {}) }, paths) });
  }

  override get data(): FabricConfigData {
    return super.data as FabricConfigData;
  }

  override get timeouts(): FabricConfigData["timeouts"] {
    return this.data.timeouts;
  }

  /** `fab -S path`: read only this ssh_config file from now on. */
  setRuntimeSshPath(path: string): void {
    this.loadOverrides({ runtimeSshPath: path });
  }

  /**
   * The ssh_config files to read: the runtime path (`-S`), else the `sshConfigPath` key, else the
   * user and system files when `loadSshConfigs` is on, else none. Unlike Fabric, `-S` wins over a
   * config file's `sshConfigPath` (fabric-api quirk 18).
   * @throws {ConfigError} `FILE_NOT_FOUND` when an explicitly named file does not exist.
   */
  sshConfigFiles(): SshConfigFiles {
    const data = this.data;
    const explicit = data.runtimeSshPath ?? data.sshConfigPath;
    if (explicit !== null && explicit !== undefined) {
      const path = expandUser(explicit);
      if (!existsSync(path)) {
        throw new ConfigError(`ssh_config file not found: ${path}`, {
          code: "FILE_NOT_FOUND",
          file: path,
          keyPath: data.runtimeSshPath ? "runtimeSshPath" : "sshConfigPath",
        });
      }
      return { configFile: path };
    }
    if (!data.loadSshConfigs) return { configFile: "none" };
    return { userConfigFile: expandUser(data.userSshPath), systemConfigFile: expandUser(data.systemSshPath) };
  }
}

interface StateCopier {
  copyStateTo(target: Config): void;
}

function expandUser(path: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return resolve(homedir(), path.slice(2));
  return path;
}
