/**
 * Kind tags: each error class writes its name on its own prototype under a `Symbol.for` key, so a
 * guard can tell what an error is even when it was made by another copy of the package (a bundle
 * loaded twice, a tasks file with its own node_modules), where `instanceof` fails. The tags are plain
 * strings, so they also survive minifiers that rename classes.
 */
export function tagKind(cls: { readonly prototype: object }, key: symbol, kind: string): void {
  Object.defineProperty(cls.prototype, key, {
    value: kind,
    enumerable: false,
    writable: false,
    configurable: false,
  });
}

/** The kind tags along `value`'s prototype chain, its own class first; empty for anything untagged. */
export function kindsOf(value: unknown, key: symbol): string[] {
  const kinds: string[] = [];
  if (typeof value !== "object" || value === null) return kinds;
  for (let proto: unknown = Object.getPrototypeOf(value); proto !== null && typeof proto === "object"; ) {
    const tag: unknown = Object.getOwnPropertyDescriptor(proto, key)?.value;
    if (typeof tag === "string") kinds.push(tag);
    proto = Object.getPrototypeOf(proto);
  }
  return kinds;
}
