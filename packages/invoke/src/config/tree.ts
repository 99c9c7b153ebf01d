/** A config tree: nested plain objects whose leaves are any values (streams and functions included). */
export type ConfigTree = Record<string, unknown>;

export function isPlainObject(value: unknown): value is ConfigTree {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep copy of the plain parts of a value (objects and arrays); anything else (streams, functions,
 * class instances) is kept by reference, because copying a stream would break it.
 */
export function cloneData<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => cloneData(item)) as T;
  if (!isPlainObject(value)) return value;
  const copy: ConfigTree = {};
  for (const [key, item] of Object.entries(value)) copy[key] = cloneData(item);
  return copy as T;
}

/** Freezes plain objects and arrays in place, leaving other objects untouched. */
export function deepFreeze<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const item of value) deepFreeze(item);
    Object.freeze(value);
  } else if (isPlainObject(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

export function splitKeyPath(path: string): string[] {
  const parts = path.split(".");
  if (path === "" || parts.some((part) => part === "" || part === "__proto__")) {
    throw new TypeError(`Invalid config key path '${path}': use dotted names like 'run.echo'`);
  }
  return parts;
}

/** `replace_env` → `replaceEnv`; leading/trailing underscores are kept. */
export function camelCase(key: string): string {
  return key.replace(/(?<=[^_])_+([a-z])/g, (_match, letter: string) => letter.toUpperCase());
}

/** `replaceEnv` → `replace_env` (the form environment variable names are derived from). */
export function snakeCase(key: string): string {
  return key.replace(/(?<=[a-z0-9])([A-Z])/g, "_$1").toLowerCase();
}

/**
 * The key under which `key` is stored in `node`: the exact spelling first, then its camelCase form
 * (`replace_env` finds `replaceEnv`), then its snake_case form (`deployEnv` finds `deploy_env`).
 */
export function resolveKey(node: ConfigTree, key: string): string | undefined {
  if (Object.hasOwn(node, key)) return key;
  const camel = camelCase(key);
  if (Object.hasOwn(node, camel)) return camel;
  const snake = snakeCase(key);
  if (Object.hasOwn(node, snake)) return snake;
  return undefined;
}

/** Looks a key path up with `resolveKey` at each step; `found` tells a stored `undefined` from a miss. */
export function lookup(tree: ConfigTree, parts: readonly string[]): { found: boolean; value: unknown } {
  let node: unknown = tree;
  for (const part of parts) {
    if (!isPlainObject(node)) return { found: false, value: undefined };
    const key = resolveKey(node, part);
    if (key === undefined) return { found: false, value: undefined };
    node = node[key];
  }
  return { found: true, value: node };
}

/**
 * The spelling a key path is stored under in `tree`, segment by segment (unknown segments are kept
 * as written). Used so `set("run.replace_env")` writes `run.replaceEnv`.
 */
export function canonicalPath(tree: ConfigTree, parts: readonly string[]): string[] {
  const out: string[] = [];
  let node: unknown = tree;
  for (const part of parts) {
    const key = isPlainObject(node) ? (resolveKey(node, part) ?? part) : part;
    out.push(key);
    node = isPlainObject(node) ? node[key] : undefined;
  }
  return out;
}

/** Writes `value` at `parts`, creating (or replacing non-object) intermediate nodes. */
export function setAt(tree: ConfigTree, parts: readonly string[], value: unknown): void {
  let node = tree;
  for (const part of parts.slice(0, -1)) {
    // Own keys only: an inherited `constructor` or `toString` is not a config node.
    const next = Object.hasOwn(node, part) ? node[part] : undefined;
    if (isPlainObject(next)) node = next;
    else {
      const created: ConfigTree = {};
      node[part] = created;
      node = created;
    }
  }
  node[parts.at(-1)!] = value;
}

/** Removes the value at `parts` (exact spelling); returns whether something was removed. */
export function deleteAt(tree: ConfigTree, parts: readonly string[]): boolean {
  let node: unknown = tree;
  for (const part of parts.slice(0, -1)) {
    if (!isPlainObject(node)) return false;
    node = node[part];
  }
  const last = parts.at(-1)!;
  if (!isPlainObject(node) || !Object.hasOwn(node, last)) return false;
  delete node[last];
  return true;
}

/** Every leaf of a tree as [path, value]; plain objects are descended into, empty ones yield nothing. */
export function* leaves(tree: ConfigTree, prefix: string[] = []): Generator<[string[], unknown]> {
  for (const [key, value] of Object.entries(tree)) {
    const path = [...prefix, key];
    if (isPlainObject(value)) yield* leaves(value, path);
    else yield [path, value];
  }
}
