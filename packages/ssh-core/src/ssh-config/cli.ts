/**
 * The `ssh-config-resolve` command line, separate from the bin so tests can drive it in-process:
 *
 *   ssh-config-resolve -G [ssh options] [--] destination [ssh options] [command]
 *   ssh-config-resolve --explain [same] destination
 *
 * The arguments are read like `ssh` reads them (see `parseArgs`). -G prints what `ssh -G` prints;
 * --explain adds, per line, the file and line that set the value. Errors are printed like ssh's
 * and give exit status 255.
 */
import { SshConfigError } from "./errors.js";
import { type ResolveSshConfigOptions, resolveSshConfigSync } from "./resolve.js";

export const USAGE =
  "usage: ssh-config-resolve -G [-46AaCfGgKkMNnqsTtXxYy] [-B bind_interface] [-b bind_address]\n" +
  "           [-c cipher_spec] [-D [bind_address:]port] [-E log_file] [-e escape_char]\n" +
  "           [-F configfile] [-I pkcs11] [-i identity_file] [-J destination]\n" +
  "           [-L address] [-l login_name] [-m mac_spec] [-o option] [-p port]\n" +
  "           [-R address] [-S ctl_path] [--] destination [command [argument ...]]\n" +
  "       ssh-config-resolve --explain [same options] destination";

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Extra resolver settings (environment, home directory …); tests use this. */
  resolve?: Partial<ResolveSshConfigOptions>;
}

interface Parsed {
  explain: boolean;
  dump: boolean;
  configFile?: string;
  user?: string;
  port?: number;
  /** ssh_config lines from flags (`-A` → `ForwardAgent yes`), keyed so a later flag replaces an earlier one. */
  flags: Map<string, string>;
  /** Flags that add to a list (`-i`, `-L` …), in order. */
  listFlags: string[];
  extra: string[];
  destination?: string;
}

class UsageError extends Error {}

/** ssh's flags that take no argument, as the ssh_config line each one stands for. */
const SWITCHES: Record<string, string | ((count: number) => string) | null> = {
  "1": null,
  "2": null,
  "4": "AddressFamily inet",
  "6": "AddressFamily inet6",
  A: "ForwardAgent yes",
  a: "ForwardAgent no",
  C: "Compression yes",
  f: "ForkAfterAuthentication yes",
  G: null,
  g: "GatewayPorts yes",
  K: "GSSAPIAuthentication yes",
  k: "GSSAPIDelegateCredentials no",
  M: (count) => `ControlMaster ${count > 1 ? "ask" : "yes"}`,
  N: "SessionType none",
  n: "StdinNull yes",
  q: "LogLevel QUIET",
  s: "SessionType subsystem",
  T: "RequestTTY no",
  t: (count) => `RequestTTY ${count > 1 ? "force" : "yes"}`,
  X: "ForwardX11 yes",
  x: "ForwardX11 no",
  Y: "ForwardX11Trusted yes",
  y: null,
};

/** ssh's flags that take an argument, as an ssh_config keyword (null: read but without effect here). */
const WITH_VALUE: Record<string, string | null> = {
  B: "BindInterface",
  b: "BindAddress",
  c: "Ciphers",
  D: "DynamicForward",
  E: null,
  e: "EscapeChar",
  F: null,
  I: "PKCS11Provider",
  i: "IdentityFile",
  J: "ProxyJump",
  L: "LocalForward",
  l: null,
  m: "MACs",
  o: null,
  p: null,
  R: "RemoteForward",
  S: "ControlPath",
};
const LIST_FLAGS = new Set(["D", "i", "L", "R"]);

/**
 * Reads argv like ssh: short flags may be grouped (`-Ap22`), a flag's value may be attached or the
 * next argument, `--` ends the options, and options may follow the destination (unless `--` came
 * before it); what follows those is the remote command, which has no effect on the configuration.
 */
function parseArgs(argv: readonly string[]): Parsed {
  const parsed: Parsed = { explain: false, dump: false, flags: new Map(), listFlags: [], extra: [] };
  const counts = new Map<string, number>();
  let i = 0;
  /** Parse options from `i` until the first operand; whether `--` ended them. */
  const options = (): boolean => {
    for (; i < argv.length; i++) {
      const arg = argv[i]!;
      if (arg === "--") {
        i++;
        return true;
      }
      if (arg === "--explain") {
        parsed.explain = true;
        continue;
      }
      if (!arg.startsWith("-") || arg === "-") return false;
      for (let at = 1; at < arg.length; at++) {
        const flag = arg[at]!;
        if (flag in SWITCHES) {
          const count = (counts.get(flag) ?? 0) + 1;
          counts.set(flag, count);
          if (flag === "G") parsed.dump = true;
          const line = SWITCHES[flag];
          const text = typeof line === "function" ? line(count) : line;
          if (text) parsed.flags.set(text.split(" ")[0]!.toLowerCase(), text);
          if (flag === "Y") parsed.flags.set("forwardx11", "ForwardX11 yes");
          if (flag === "K") parsed.flags.set("gssapidelegatecredentials", "GSSAPIDelegateCredentials yes");
          continue;
        }
        if (!(flag in WITH_VALUE)) throw new UsageError(USAGE);
        let value = arg.slice(at + 1);
        if (value === "") {
          const next = argv[++i];
          if (next === undefined) throw new UsageError(USAGE);
          value = next;
        }
        takeValue(parsed, flag, value);
        break;
      }
    }
    return false;
  };
  const terminated = options();
  if (i < argv.length) parsed.destination = argv[i++];
  if (!terminated && i < argv.length) options();
  return parsed;
}

function takeValue(parsed: Parsed, flag: string, value: string): void {
  if (flag === "F") parsed.configFile = value;
  else if (flag === "l") parsed.user = value;
  else if (flag === "o") parsed.extra.push(value);
  else if (flag === "p") {
    const port = /^[0-9]+$/.test(value) ? Number(value) : 0;
    if (port <= 0 || port > 65535) throw new UsageError(`Bad port '${value}'`);
    parsed.port = port;
  } else {
    const keyword = WITH_VALUE[flag];
    if (!keyword) return;
    if (flag === "L" || flag === "R") parsed.listFlags.push(`${keyword} ${forwardArgs(value)}`);
    else if (LIST_FLAGS.has(flag)) parsed.listFlags.push(`${keyword} ${value}`);
    else parsed.flags.set(keyword.toLowerCase(), `${keyword} ${value}`);
  }
}

/**
 * `-L 8080:db:5432` as LocalForward's two arguments. ssh_config joins them with a colon again, so
 * any split point gives the same specification; splitting at the first colon outside brackets
 * keeps `[::1]` whole. A spec without a colon (`-R 1080`, a dynamic remote forward) stays one.
 */
function forwardArgs(spec: string): string {
  let depth = 0;
  for (let i = 0; i < spec.length; i++) {
    const c = spec[i];
    if (c === "[") depth++;
    else if (c === "]") depth--;
    else if (c === ":" && depth === 0) return `${spec.slice(0, i)} ${spec.slice(i + 1)}`;
  }
  return spec;
}

function printLines(write: (text: string) => void, text: string): void {
  for (const line of text.split("\n")) write(`${line}\n`);
}

/** Runs the command; returns the exit status. */
export function runSshConfigResolve(argv: readonly string[], io: CliIo): number {
  if (argv.includes("-h") || argv.includes("--help")) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  try {
    const args = parseArgs(argv);
    if ((!args.dump && !args.explain) || args.destination === undefined) throw new UsageError(USAGE);
    const resolved = resolveSshConfigSync({
      ...io.resolve,
      host: args.destination,
      user: args.user,
      port: args.port,
      configFile: args.configFile,
      // A flag overrides an ssh_config value and any -o for the same key, as in ssh.
      extraOptions: [...args.flags.values(), ...args.listFlags, ...args.extra],
    });
    for (const warning of resolved.warnings) printLines(io.stderr, warning);
    if (args.explain) {
      for (const { key, value, file, line } of resolved.explain()) {
        io.stdout(`${key} ${value}\t# ${line > 0 ? `${file}:${line}` : file}\n`);
      }
    } else {
      io.stdout(
        resolved
          .toLines()
          .map((line) => `${line}\n`)
          .join(""),
      );
    }
    return 0;
  } catch (error) {
    if (error instanceof SshConfigError) {
      printLines(io.stderr, error.transcript.length > 0 ? error.transcript.join("\n") : error.message);
      return 255;
    }
    if (error instanceof UsageError) {
      io.stderr(`${error.message}\n`);
      return 255;
    }
    throw error;
  }
}
