/**
 * The `ssh-config-resolve` command line, separate from the bin so tests can drive it in-process:
 *
 *   ssh-config-resolve -G [-F file] [-l user] [-p port] [-o option] destination
 *   ssh-config-resolve --explain [same options] destination
 *
 * -G prints what `ssh -G` prints; --explain adds, per line, the file and line that set the
 * value. Errors are printed like ssh's and give exit status 255.
 */
import { SshConfigError } from "./errors.js";
import { type ResolveSshConfigOptions, resolveSshConfigSync } from "./resolve.js";

export const USAGE =
  "usage: ssh-config-resolve -G [-F configfile] [-l login_name] [-p port] [-o option] destination\n" +
  "       ssh-config-resolve --explain [-F configfile] [-l login_name] [-p port] [-o option] destination";

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
  extra: string[];
  destination?: string;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Parsed {
  const parsed: Parsed = { explain: false, dump: false, extra: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = (): string => {
      if (arg.length > 2) return arg.slice(2);
      const next = argv[++i];
      if (next === undefined) throw new UsageError(USAGE);
      return next;
    };
    if (arg === "--explain") parsed.explain = true;
    else if (arg === "-G") parsed.dump = true;
    else if (arg.startsWith("-F")) parsed.configFile = value();
    else if (arg.startsWith("-l")) parsed.user = value();
    else if (arg.startsWith("-o")) parsed.extra.push(value());
    else if (arg.startsWith("-p")) {
      const text = value();
      const port = /^[0-9]+$/.test(text) ? Number(text) : 0;
      if (port <= 0 || port > 65535) throw new UsageError(`Bad port '${text}'`);
      parsed.port = port;
    } else if (arg.startsWith("-")) throw new UsageError(USAGE);
    else if (parsed.destination === undefined) parsed.destination = arg;
    else throw new UsageError(USAGE);
  }
  return parsed;
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
      extraOptions: args.extra,
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
