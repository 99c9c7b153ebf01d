import { InventoryError } from "../errors/index.js";
import type { HostKwargs } from "../tasks/host-spec.js";
import { shellWords } from "./shell-words.js";

/**
 * Connection settings an inventory host carries in its variables, as Fabric needs them. Ansible's
 * names (and their older aliases) map to:
 *
 * | variable                                                   | becomes                            |
 * | ---------------------------------------------------------- | ---------------------------------- |
 * | `ansible_host` (`ansible_ssh_host`)                        | the address dialled                |
 * | `ansible_port` (`ansible_ssh_port`)                        | `port`                             |
 * | `ansible_user` (`ansible_ssh_user`, `ansible_remote_user`) | `user`                             |
 * | `ansible_ssh_private_key_file` (`ansible_private_key_file`) | ssh_config `IdentityFile`         |
 * | `ansible_ssh_common_args`, `ansible_ssh_extra_args`        | ssh_config options (see below)     |
 * | `ansible_password` (`ansible_ssh_pass`, `ansible_ssh_password`) | `connectKwargs.password`      |
 * | `ansible_become_password` (`ansible_become_pass`, `ansible_sudo_pass`) | config `sudo.password` |
 * | `ansible_become_user` (`ansible_sudo_user`)                | config `sudo.user`                 |
 * | `ansible_ssh_timeout` (`ansible_timeout`)                  | `connectTimeout` (seconds)         |
 *
 * Every variable, these included, stays in `vars`.
 */
export interface InventoryHostKwargs extends HostKwargs {
  /** The inventory name: how the host is shown (its `ansible_host` may differ). */
  label: string;
  /** ssh_config lines applied like `ssh -o` (first value wins over any ssh_config file). */
  sshOptions?: string[];
  connectTimeout?: number;
  connectKwargs?: { password?: string };
  /** Config values set for this host only (`sudo.password`, `sudo.user`). */
  configOverrides?: Record<string, string>;
  vars: Record<string, unknown>;
}

const ALIASES = {
  host: ["ansible_host", "ansible_ssh_host"],
  port: ["ansible_port", "ansible_ssh_port"],
  user: ["ansible_user", "ansible_ssh_user", "ansible_remote_user"],
  key: ["ansible_ssh_private_key_file", "ansible_private_key_file"],
  password: ["ansible_password", "ansible_ssh_pass", "ansible_ssh_password"],
  becomePassword: [
    "ansible_become_password",
    "ansible_become_pass",
    "ansible_sudo_pass",
    "ansible_sudo_password",
  ],
  becomeUser: ["ansible_become_user", "ansible_sudo_user"],
  timeout: ["ansible_ssh_timeout", "ansible_timeout"],
} as const;

/** Variables whose values are secrets: never printed (`fab --list-hosts --json` masks them). */
export const SECRET_VARS: ReadonlySet<string> = new Set([...ALIASES.password, ...ALIASES.becomePassword]);

function first(vars: Record<string, unknown>, names: readonly string[]): unknown {
  for (const name of names) if (vars[name] !== undefined && vars[name] !== null) return vars[name];
  return undefined;
}

/**
 * How `fab` connects to an inventory host.
 * @throws {InventoryError} for an unusable port or ssh argument, naming host and variable
 */
export function hostKwargsFromVars(name: string, vars: Record<string, unknown>): InventoryHostKwargs {
  const fail = (message: string): never => {
    throw new InventoryError(`host ${name}: ${message}`);
  };
  const spec: InventoryHostKwargs = { host: String(first(vars, ALIASES.host) ?? name), label: name, vars };
  const port = first(vars, ALIASES.port);
  if (port !== undefined) {
    const n = Number(port);
    if (!Number.isInteger(n) || n < 1 || n > 65535)
      fail(`ansible_port ${JSON.stringify(port)} is not a port number`);
    spec.port = n;
  }
  const user = first(vars, ALIASES.user);
  if (user !== undefined) spec.user = String(user);
  const options: string[] = [];
  const key = first(vars, ALIASES.key);
  if (key !== undefined) options.push(`IdentityFile ${quote(String(key))}`);
  for (const variable of ["ansible_ssh_common_args", "ansible_ssh_extra_args"]) {
    const value = vars[variable];
    if (value === undefined || value === null || value === "") continue;
    try {
      options.push(...sshArgsToOptions(String(value)));
    } catch (error) {
      fail(`${variable}: ${(error as Error).message}`);
    }
  }
  if (options.length) spec.sshOptions = options;
  const timeout = first(vars, ALIASES.timeout);
  if (timeout !== undefined && Number.isFinite(Number(timeout))) spec.connectTimeout = Number(timeout);
  const password = first(vars, ALIASES.password);
  if (password !== undefined) spec.connectKwargs = { password: String(password) };
  const overrides: Record<string, string> = {};
  const becomePassword = first(vars, ALIASES.becomePassword);
  if (becomePassword !== undefined) overrides["sudo.password"] = String(becomePassword);
  const becomeUser = first(vars, ALIASES.becomeUser);
  if (becomeUser !== undefined) overrides["sudo.user"] = String(becomeUser);
  if (Object.keys(overrides).length) spec.configOverrides = overrides;
  return spec;
}

function quote(value: string): string {
  return /[\s"]/.test(value) ? `"${value.replace(/"/g, '\\"')}"` : value;
}

/** ssh flags with an ssh_config equivalent, as `Keyword value` lines. */
const FLAG_OPTIONS: Record<string, string> = {
  J: "ProxyJump",
  p: "Port",
  i: "IdentityFile",
  l: "User",
  c: "Ciphers",
  m: "MACs",
  b: "BindAddress",
  E: "LogFile",
};
const SWITCHES: Record<string, string | null> = {
  A: "ForwardAgent yes",
  a: "ForwardAgent no",
  C: "Compression yes",
  "4": "AddressFamily inet",
  "6": "AddressFamily inet6",
  X: "ForwardX11 yes",
  x: "ForwardX11 no",
  // No effect on what a connection does here.
  q: null,
  v: null,
  T: null,
  t: null,
};

/**
 * `ssh` command-line arguments (as Ansible's `ansible_ssh_common_args` holds them) as ssh_config
 * lines: `-o K=V`/`-oK=V`, `-J`, `-p`, `-i`, `-l`, `-c`, `-m`, `-b`, `-E` and the switches
 * `-A -a -C -4 -6 -X -x` (`-q -v -T -t` are ignored).
 * @throws {Error} for any other argument
 */
export function sshArgsToOptions(text: string): string[] {
  const words = shellWords(text);
  const out: string[] = [];
  for (let i = 0; i < words.length; i += 1) {
    const word = words[i]!;
    if (!word.startsWith("-") || word.length < 2) throw new Error(`unexpected argument '${word}'`);
    let j = 1;
    while (j < word.length) {
      const flag = word[j]!;
      if (flag === "o" || flag in FLAG_OPTIONS) {
        const inline = word.slice(j + 1);
        const value = inline !== "" ? inline : words[++i];
        if (value === undefined) throw new Error(`option -${flag} needs a value`);
        out.push(flag === "o" ? value : `${FLAG_OPTIONS[flag]} ${quote(value)}`);
        break;
      }
      if (!(flag in SWITCHES)) throw new Error(`ssh option -${flag} has no ssh_config equivalent here`);
      const line = SWITCHES[flag];
      if (line) out.push(line);
      j += 1;
    }
  }
  return out;
}
