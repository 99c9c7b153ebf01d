/**
 * POSIX shell quoting. The result is safe to splice into a command line run by any POSIX shell
 * (sh, dash, bash, zsh in sh mode): it is either a bare word made only of characters no shell treats
 * specially, or a single-quoted string where each embedded `'` becomes `'\''`.
 */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuote(value: string): string {
  if (value !== "" && SAFE_WORD.test(value)) return value;
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Quote each argument and join them with spaces. */
export function shellJoin(args: readonly string[]): string {
  return args.map(shellQuote).join(" ");
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isValidEnvName(name: string): boolean {
  return ENV_NAME.test(name);
}

/**
 * `export A='x' B='y' && command`: how an environment reaches a remote command when the server does
 * not accept `env` requests (sshd's AcceptEnv). Keys are sorted so the command line is deterministic.
 * Unlike Fabric, values are quoted, so spaces, quotes, `$` and newlines arrive intact.
 */
export function inlineEnvCommand(env: Readonly<Record<string, string>>, command: string): string {
  const names = Object.keys(env).sort();
  if (names.length === 0) return command;
  const assignments = names.map((name) => {
    if (!isValidEnvName(name))
      throw new TypeError(`Invalid environment variable name: ${JSON.stringify(name)}`);
    return `${name}=${shellQuote(env[name] ?? "")}`;
  });
  return `export ${assignments.join(" ")} && ${command}`;
}
