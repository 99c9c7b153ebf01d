import { ConfigError } from "../errors.js";
import { isPlainObject } from "./tree.js";

/**
 * Deepest nesting accepted from a config file or a `--set` value. Merging, validation and
 * freezing recurse, so unbounded depth would end in a stack overflow instead of a ConfigError.
 */
export const MAX_CONFIG_DEPTH = 100;

/** Where checked data came from, for the error. */
export interface DataOrigin {
  source: string;
  file?: string | undefined;
}

/**
 * Refuses data that the config tree cannot hold safely: `__proto__` keys (which would reach
 * Object.prototype when merged), structures that contain themselves (a YAML alias inside its own
 * anchor) and nesting deeper than MAX_CONFIG_DEPTH. Only plain objects and arrays are walked.
 */
export function checkConfigData(data: unknown, origin: DataOrigin): void {
  const fail = (path: string[], problem: string): never => {
    const keyPath = path.join(".");
    throw new ConfigError(`${origin.source}: ${keyPath === "" ? "" : `${keyPath}: `}${problem}`, {
      code: "INVALID_VALUE",
      source: origin.source,
      file: origin.file,
      keyPath,
    });
  };
  const stack: { value: unknown; path: string[]; ancestors: ReadonlySet<object> }[] = [
    { value: data, path: [], ancestors: new Set() },
  ];
  while (stack.length > 0) {
    const { value, path, ancestors } = stack.pop()!;
    if (!Array.isArray(value) && !isPlainObject(value)) continue;
    if (ancestors.has(value)) fail(path, "refers to itself (recursive alias)");
    if (path.length > MAX_CONFIG_DEPTH)
      fail(path.slice(0, 3), `nested deeper than ${MAX_CONFIG_DEPTH} levels`);
    const inside = new Set(ancestors).add(value);
    const children: [string, unknown][] = Array.isArray(value)
      ? value.map((item, i) => [String(i), item])
      : Object.entries(value);
    for (const [key, child] of children) {
      if (key === "__proto__" && !Array.isArray(value))
        fail([...path, key], "'__proto__' is not a usable key");
      stack.push({ value: child, path: [...path, key], ancestors: inside });
    }
  }
}
