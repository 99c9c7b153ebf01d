import { userInfo } from "node:os";
import ssh2, { type ParsedKey } from "ssh2";
import type { EmbeddedAuthMethod, EmbeddedUser, KeyboardInteractivePrompt } from "./types.js";

/** An account with its keys parsed once at start-up. */
export interface ResolvedUser {
  name: string;
  password?: string;
  keys: ParsedKey[];
  prompts?: KeyboardInteractivePrompt[];
  requireAll?: EmbeddedAuthMethod[];
}

export const ALL_METHODS: EmbeddedAuthMethod[] = ["publickey", "password", "keyboard-interactive"];

export function defaultUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return process.env.USER ?? "user";
  }
}

function parsePublicKeys(source: string | Buffer): ParsedKey[] {
  const lines = (typeof source === "string" ? source : source.toString("utf8"))
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  return lines.map((line) => {
    const parsed = ssh2.utils.parseKey(line);
    const key = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!key || key instanceof Error) {
      throw new Error(`embedded hosts: cannot parse authorized key "${line.slice(0, 40)}…"`);
    }
    return key;
  });
}

export function resolveUsers(
  users: EmbeddedUser[] | undefined,
  clientPublicKey: string,
): Map<string, ResolvedUser> {
  const list = users && users.length > 0 ? users : [{ name: defaultUserName() }];
  const resolved = new Map<string, ResolvedUser>();
  for (const user of list) {
    const sources = [...(user.authorizedKeys ?? [])];
    if (user.authorizeClientKey !== false) sources.push(clientPublicKey);
    const entry: ResolvedUser = { name: user.name, keys: sources.flatMap(parsePublicKeys) };
    if (user.password !== undefined) entry.password = user.password;
    if (user.keyboardInteractive) entry.prompts = user.keyboardInteractive;
    if (user.requireAll) entry.requireAll = user.requireAll;
    resolved.set(user.name, entry);
  }
  return resolved;
}

/** Methods a user can authenticate with, in the order OpenSSH's sshd lists them. */
export function methodsFor(user: ResolvedUser | undefined): EmbeddedAuthMethod[] {
  // An unknown user sees every method, so probing does not reveal which accounts exist.
  if (!user) return ALL_METHODS;
  const methods: EmbeddedAuthMethod[] = [];
  if (user.keys.length > 0) methods.push("publickey");
  if (user.password !== undefined) methods.push("password");
  if (user.prompts || user.password !== undefined) methods.push("keyboard-interactive");
  return methods;
}
