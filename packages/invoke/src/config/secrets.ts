import { type ConfigTree, isPlainObject } from "./tree.js";

/** Key names whose values must never be shown (passwords, passphrases, private keys, tokens). */
const SECRET_KEY = /pass(word|phrase)|secret|token|private_?key|pkey/i;

export function isSecretPath(path: readonly PropertyKey[]): boolean {
  return path.some((part) => SECRET_KEY.test(String(part)));
}

/** A copy of `tree` for display, with every non-null secret value replaced by "<hidden>". */
export function redactSecrets(tree: ConfigTree, path: string[] = []): ConfigTree {
  const out: ConfigTree = {};
  for (const [key, value] of Object.entries(tree)) {
    const here = [...path, key];
    if (isSecretPath(here) && value != null && !isPlainObject(value)) out[key] = "<hidden>";
    else out[key] = isPlainObject(value) ? redactSecrets(value, here) : value;
  }
  return out;
}

/** Every non-empty string (or number) found under a secret key of `tree`, at any depth. */
export function secretValues(tree: unknown, path: string[] = []): string[] {
  if (isPlainObject(tree)) {
    return Object.entries(tree).flatMap(([key, value]) => secretValues(value, [...path, key]));
  }
  if (Array.isArray(tree))
    return tree.flatMap((value, index) => secretValues(value, [...path, String(index)]));
  if (!isSecretPath(path)) return [];
  if (typeof tree === "string" && tree !== "") return [tree];
  if (typeof tree === "number") return [String(tree)];
  return [];
}
