import { AmbiguousMergeError } from "../errors.js";
import { type ConfigTree, cloneData, isPlainObject } from "./tree.js";

/**
 * Recursively merges `updates` into `base` (mutating and returning `base`). Mappings merge key by key
 * at every depth; any other value replaces what was there (arrays are replaced, not concatenated).
 * `null`/`undefined` on either side replaces freely; a mapping meeting a non-mapping is an
 * `AmbiguousMergeError`, since one of them is almost certainly a mistake. Values are copied with
 * `cloneData`, so the result shares no plain objects with `updates`.
 */
export function mergeDicts(
  base: ConfigTree,
  updates: ConfigTree | null | undefined,
  path: string[] = [],
): ConfigTree {
  if (updates == null) return base;
  for (const [key, value] of Object.entries(updates)) {
    // Own keys only: an inherited `constructor` (or `__proto__`) must not be merged into.
    const current = Object.hasOwn(base, key) ? base[key] : undefined;
    const here = [...path, key];
    if (isPlainObject(value) && isPlainObject(current)) {
      mergeDicts(current, value, here);
    } else if (isPlainObject(value) !== isPlainObject(current) && current != null && value != null) {
      throw new AmbiguousMergeError(
        `Can't cleanly merge ${describe(current)} with ${describe(value)} at '${here.join(".")}'`,
        here.join("."),
      );
    } else {
      base[key] = cloneData(value);
    }
  }
  return base;
}

/** A deep copy of a config tree (streams and functions kept by reference). */
export function copyDict(tree: ConfigTree): ConfigTree {
  return cloneData(tree);
}

/**
 * Config for a task reached through nested collections: a deep merge in which the outer (parent)
 * collection wins on conflicts, but keys only a child defines survive at every depth. (Invoke merged
 * only top-level keys, so a parent's `{sphinx: {target}}` wiped a child's `sphinx.other`.)
 */
export function mergeCollectionConfig(parent: ConfigTree, child: ConfigTree): ConfigTree {
  return mergeDicts(copyDict(child), parent);
}

function describe(value: unknown): string {
  if (isPlainObject(value)) return "a mapping";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return "a string";
  return `a ${typeof value}`;
}
