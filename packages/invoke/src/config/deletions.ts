import { type ConfigTree, isPlainObject, lookup } from "./tree.js";

/**
 * Deletions: key paths hidden from every level until set again (`config.delete("run.echo")`).
 * They are applied after all levels are merged.
 */

/** Whether `prefix` is `parts` or one of its ancestors. */
export function isPrefix(prefix: readonly string[], parts: readonly string[]): boolean {
  return prefix.length <= parts.length && prefix.every((part, i) => parts[i] === part);
}

/** Whether `parts` is hidden by one of `deletions` (itself or an ancestor deleted). */
export function isDeleted(deletions: readonly string[][], parts: readonly string[]): boolean {
  return deletions.some((deleted) => isPrefix(deleted, parts));
}

/** `deletions` plus `parts`, whose own descendants' deletions it replaces. */
export function withDeletion(deletions: readonly string[][], parts: string[]): string[][] {
  return [...deletions.filter((deleted) => !isPrefix(parts, deleted)), parts];
}

/**
 * `deletions` minus those that `parts` re-reveals. A deleted ancestor is split around `parts`: its
 * other branches (as found in `full`, the merged tree before deletions) stay hidden.
 */
export function withoutDeletion(
  deletions: readonly string[][],
  parts: readonly string[],
  full: ConfigTree,
): string[][] {
  const out: string[][] = [];
  for (const deleted of deletions) {
    if (isPrefix(parts, deleted)) continue;
    if (!isPrefix(deleted, parts)) {
      out.push(deleted);
      continue;
    }
    for (let depth = deleted.length; depth < parts.length; depth++) {
      const node = lookup(full, parts.slice(0, depth)).value;
      if (!isPlainObject(node)) break;
      for (const key of Object.keys(node)) {
        if (key !== parts[depth]) out.push([...parts.slice(0, depth), key]);
      }
    }
  }
  return out;
}
