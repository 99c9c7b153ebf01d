import { userInfo } from "node:os";
import { type InvokeConfigData, invokeDefaults } from "@fabric-ts/invoke";

/** The `connectKwargs` section: ssh-core connect options plus Fabric's spellings (`keyFilename`). */
export interface ConnectKwargsConfig {
  /** Private key file(s), tried after ssh_config's IdentityFile entries are added (see docs). */
  keyFilename?: string | string[];
  password?: string;
  passphrase?: string;
  [option: string]: unknown;
}

/** Fabric's additions to Invoke's config tree. */
export interface FabricConfigData extends InvokeConfigData {
  authentication: { identities: string[] };
  connectKwargs: ConnectKwargsConfig;
  /** true/false, or the path of an agent socket to forward. */
  forwardAgent: boolean | string;
  /** A ProxyCommand string, or null. (A gateway Connection can only be given in code.) */
  gateway: string | null;
  inlineSshEnv: boolean;
  /**
   * Ansible inventory file(s) `fab` reads (relative paths from the project directory); `--inventory`
   * replaces them. null: `inventory.{ts,yml,yaml,json,ini}` or `hosts` beside the fabfile, if any.
   */
  inventory: string | string[] | null;
  loadSshConfigs: boolean;
  port: number;
  /**
   * Warm connections across runs: null follows ssh_config (ControlMaster auto + ControlPersist);
   * false is off; true (10 minutes), seconds, or a duration like "10m" keeps a master that long idle.
   */
  persist: boolean | number | string | null;
  /** The warm-connection socket directory; null: `$XDG_RUNTIME_DIR/fabric-ts` or `/tmp/fabric-ts-<uid>`. */
  persistDir: string | null;
  /** An ssh_config file to read instead of the system and user files (config-file spelling of `-S`). */
  sshConfigPath: string | null;
  /** The `-S` file: read instead of the system and user files; wins over `sshConfigPath`. */
  runtimeSshPath: string | null;
  systemSshPath: string;
  userSshPath: string;
  timeouts: InvokeConfigData["timeouts"] & { connect: number | null };
  user: string | null;
}

/** The local login name (Fabric's `get_local_user()`), or null when it cannot be determined. */
export function localUser(): string | null {
  try {
    return userInfo().username;
  } catch {
    return null;
  }
}

/** A fresh copy of Fabric's global defaults: Invoke's plus the SSH keys (fabric-api §B8). */
export function fabricDefaults(): FabricConfigData {
  const base = invokeDefaults();
  return {
    ...base,
    authentication: { identities: [] },
    connectKwargs: {},
    forwardAgent: false,
    gateway: null,
    inlineSshEnv: true,
    inventory: null,
    loadSshConfigs: true,
    port: 22,
    persist: null,
    persistDir: null,
    sshConfigPath: null,
    runtimeSshPath: null,
    systemSshPath: "/etc/ssh/ssh_config",
    userSshPath: "~/.ssh/config",
    tasks: { ...base.tasks, collectionName: "fabfile" },
    timeouts: { ...base.timeouts, connect: null },
    user: localUser(),
  };
}
