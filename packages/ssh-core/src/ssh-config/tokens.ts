/**
 * `%` token and `${VAR}` expansion with OpenSSH's rules and error texts, plus `~` expansion.
 */
import { SshConfigError } from "./errors.js";

export type TokenValues = Readonly<Record<string, string>>;
export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown by `expand`; `unsetVariable` distinguishes a missing ${VAR} from a bad %token. */
export class ExpandError extends Error {
  constructor(
    message: string,
    readonly unsetVariable: boolean,
  ) {
    super(message);
  }
}

const PREFIX = "vdollar_percent_expand";

/** Expands `%x` (when `tokens` is given; `%%` is a percent) and `${NAME}` (when `env` is given). */
export function expand(text: string, tokens: TokenValues | null, env: Env | null): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (env !== null && c === "$" && text[i + 1] === "{") {
      const close = text.indexOf("}", i + 2);
      const name = close === -1 ? "" : text.slice(i + 2, close);
      if (close === -1 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new ExpandError(`${PREFIX}: invalid environment variable`, false);
      }
      const value = env[name];
      if (value === undefined) throw new ExpandError(`${PREFIX}: env var \${${name}} has no value`, true);
      out += value;
      i = close;
      continue;
    }
    if (tokens === null || c !== "%") {
      out += c;
      continue;
    }
    const key = text[i + 1];
    if (key === undefined) throw new ExpandError(`${PREFIX}: invalid format`, false);
    i++;
    if (key === "%") {
      out += "%";
      continue;
    }
    const value = tokens[key];
    if (value === undefined) throw new ExpandError(`${PREFIX}: unknown key %${key}`, false);
    out += value;
  }
  return out;
}

/** percent_expand(): tokens only; failures carry ssh's two-line message. */
export function percentExpand(text: string, tokens: TokenValues): string {
  try {
    return expand(text, tokens, null);
  } catch (error) {
    if (!(error instanceof ExpandError)) throw error;
    throw new SshConfigError("BAD_TOKEN", `${error.message}\npercent_expand: failed`);
  }
}

/** percent_dollar_expand() as used for paths (ControlPath, UserKnownHostsFile, IdentityAgent …). */
export function percentDollarExpand(text: string, tokens: TokenValues, env: Env): string {
  try {
    return expand(text, tokens, env);
  } catch (error) {
    if (!(error instanceof ExpandError)) throw error;
    const second = error.unsetVariable
      ? "invalid environment variable expansion"
      : "percent_dollar_expand: failed";
    throw new SshConfigError("BAD_TOKEN", `${error.message}\n${second}`);
  }
}

/** Whether `${...}` references in `text` are well-formed (the parse-time check for agent paths). */
export function dollarSyntaxValid(text: string): boolean {
  try {
    expand(text, null, new Proxy({}, { get: () => "" }));
    return true;
  } catch {
    return false;
  }
}

/** `~` and `~/x` become `home`; `~user/x` goes through `homeOf`. */
export function tildeExpand(
  path: string,
  home: string,
  homeOf?: (user: string) => string | undefined,
): string {
  if (!path.startsWith("~")) return path;
  const slash = path.indexOf("/");
  const userPart = slash === -1 ? path.slice(1) : path.slice(1, slash);
  const rest = slash === -1 ? "" : path.slice(slash + 1);
  const dir = userPart === "" ? home : homeOf?.(userPart);
  if (dir === undefined)
    throw new SshConfigError("BAD_TOKEN", `tilde_expand_filename: No such user ${userPart}`);
  if (rest === "") return dir;
  return dir.endsWith("/") ? `${dir}${rest}` : `${dir}/${rest}`;
}
