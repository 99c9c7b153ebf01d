/**
 * POSIX shell quoting for the SSH layer: the inline environment of a remote command
 * (`export A='x' && command`, for servers that refuse `env` requests) is built here.
 *
 * invoke has its own copy of `shellQuote`/`shellJoin` (invoke/src/quote.ts) for local `sudo` and
 * `cd`: invoke and ssh-core are independent layers and neither may import the other. The two follow
 * the same rules; a property test (fabric/test/unit/shell-quote.test.ts) checks they give identical
 * output and that `sh -c` reads every result back as the original text.
 */

/** Characters no POSIX shell treats specially: a word made only of these needs no quotes. */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * Quote `value` as a single shell word: safe words stay bare, anything else is single-quoted, each
 * embedded `'` becoming `'\''`. The result is safe in any POSIX shell (sh, dash, bash, zsh in sh mode).
 */
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
