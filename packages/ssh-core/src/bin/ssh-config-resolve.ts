/**
 * ssh-config-resolve -G [-F file] [-l user] [-p port] [-o option] destination
 * ssh-config-resolve --explain [same options] destination
 *
 * Prints what `ssh -G` prints (same keys, order and values); --explain adds, per line, the file
 * and line that set the value. Errors are printed like ssh's and exit with status 255.
 */
import { SshConfigError } from "../ssh-config/errors.js";
import { resolveSshConfigSync } from "../ssh-config/resolve.js";

const USAGE =
  "usage: ssh-config-resolve -G [-F configfile] [-l login_name] [-p port] [-o option] destination\n" +
  "       ssh-config-resolve --explain [-F configfile] [-l login_name] [-p port] [-o option] destination";

interface Parsed {
  explain: boolean;
  dump: boolean;
  configFile?: string;
  user?: string;
  port?: number;
  extra: string[];
  destination?: string;
}

function usage(): never {
  process.stderr.write(`${USAGE}\n`);
  process.exit(255);
}

function parseArgs(argv: string[]): Parsed {
  const parsed: Parsed = { explain: false, dump: false, extra: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const attached = arg.length > 2 ? arg.slice(2) : undefined;
      if (attached !== undefined) return attached;
      const next = argv[++i];
      if (next === undefined) usage();
      return next;
    };
    if (arg === "--explain") parsed.explain = true;
    else if (arg === "-G") parsed.dump = true;
    else if (arg === "-h" || arg === "--help") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg.startsWith("-F")) parsed.configFile = value();
    else if (arg.startsWith("-l")) parsed.user = value();
    else if (arg.startsWith("-o")) parsed.extra.push(value());
    else if (arg.startsWith("-p")) {
      const text = value();
      const port = /^[0-9]+$/.test(text) ? Number(text) : 0;
      if (port <= 0 || port > 65535) {
        process.stderr.write(`Bad port '${text}'\n`);
        process.exit(255);
      }
      parsed.port = port;
    } else if (arg.startsWith("-") && parsed.destination === undefined) usage();
    else if (parsed.destination === undefined) parsed.destination = arg;
  }
  return parsed;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if ((!args.dump && !args.explain) || args.destination === undefined) usage();
  try {
    const resolved = resolveSshConfigSync({
      host: args.destination,
      user: args.user,
      port: args.port,
      configFile: args.configFile,
      extraOptions: args.extra,
    });
    for (const warning of resolved.warnings) process.stderr.write(`${warning}\n`);
    if (args.explain) {
      for (const { key, value, file, line } of resolved.explain()) {
        const where = line > 0 ? `${file}:${line}` : file;
        process.stdout.write(`${key} ${value}\t# ${where}\n`);
      }
    } else {
      process.stdout.write(
        resolved
          .toLines()
          .map((line) => `${line}\n`)
          .join(""),
      );
    }
  } catch (error) {
    if (error instanceof SshConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(255);
    }
    throw error;
  }
}

main();
