import { type ConfigTree, isPlainObject, lookup, resolveKey } from "./tree.js";

/** What the attribute view needs from its Config. */
export interface ValuesHost {
  readonly data: ConfigTree;
  set(path: string, value: unknown): void;
  delete(path: string): void;
}

/**
 * Attribute-style view of the merged config: `values.run.echo`, `values.deployEnv` (finds
 * `deploy_env` too). Mappings come back as further views; writes go to the modifications level and
 * `delete` to the deletions level, exactly like `config.set()` / `config.delete()`.
 */
export function valuesView(host: ValuesHost, prefix: readonly string[] = []): ConfigTree {
  const node = (): ConfigTree => {
    const found = lookup(host.data, prefix);
    return isPlainObject(found.value) ? found.value : {};
  };
  const pathOf = (key: string): string => [...prefix, key].join(".");
  return new Proxy<ConfigTree>(
    {},
    {
      get(_target, key) {
        if (typeof key !== "string") return undefined;
        const current = node();
        const stored = resolveKey(current, key);
        if (stored === undefined) return undefined;
        const value = current[stored];
        return isPlainObject(value) ? valuesView(host, [...prefix, stored]) : value;
      },
      set(_target, key, value) {
        if (typeof key !== "string") return false;
        host.set(pathOf(key), value);
        return true;
      },
      deleteProperty(_target, key) {
        if (typeof key !== "string") return false;
        host.delete(pathOf(key));
        return true;
      },
      has(_target, key) {
        return typeof key === "string" && resolveKey(node(), key) !== undefined;
      },
      ownKeys() {
        return Object.keys(node());
      },
      getOwnPropertyDescriptor(_target, key) {
        if (typeof key !== "string") return undefined;
        const current = node();
        const stored = resolveKey(current, key);
        if (stored === undefined) return undefined;
        const value = current[stored];
        return {
          value: isPlainObject(value) ? valuesView(host, [...prefix, stored]) : value,
          writable: true,
          enumerable: true,
          configurable: true,
        };
      },
    },
  );
}
