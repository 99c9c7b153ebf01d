import { mergeCollectionConfig } from "./config/merge.js";
import { type ConfigTree, cloneData } from "./config/tree.js";
import { ParserContext } from "./parser/parser-context.js";
import { dashName } from "./tasks/names.js";
import { type AnyTask, isTask } from "./tasks/task.js";

const COLLECTION_BRAND = Symbol.for("fabric-ts.invoke.collection");

/** Something `new Collection()` / `addCollection()` accepts: a collection or a tasks module. */
export type CollectionItem = AnyTask | Collection | TasksModule;
/** An imported module namespace (`import * as docs from "./docs.js"`). */
export type TasksModule = Readonly<Record<string, unknown>>;

export interface CollectionOptions {
  name?: string;
  /** Description shown in listings (Invoke's module docstring). */
  doc?: string;
  /** Directory the collection was loaded from. */
  loadedFrom?: string;
  /** Turn `buildDocs` / `build_docs` into `build-docs`. @default true */
  autoDashNames?: boolean;
}

/** JSON shape of `--list --list-format=json`. */
export interface SerializedCollection {
  name: string | null;
  help: string | null;
  default: string | null;
  tasks: { name: string; help: string | null; aliases: string[] }[];
  collections: SerializedCollection[];
}

/** A namespace of tasks and sub-collections, with its own config. */
export class Collection {
  readonly [COLLECTION_BRAND] = true;
  name: string | undefined;
  doc: string | undefined;
  loadedFrom: string | undefined;
  readonly autoDashNames: boolean;
  readonly tasks = new Map<string, AnyTask>();
  /** alias → primary name (both transformed). */
  readonly aliases = new Map<string, string>();
  readonly collections = new Map<string, Collection>();
  /** Name of the default task, or of a sub-collection whose default is ours. */
  default: string | undefined;
  private config: ConfigTree = {};

  /**
   * @example new Collection("docs", build, clean)           // tasks need a `name` or use the object form
   * @example new Collection({ build, clean, docs: docsNs }) // names from the keys
   */
  constructor(
    nameOrOptions?: string | CollectionOptions | Readonly<Record<string, CollectionItem>>,
    ...items: (CollectionItem | Record<string, CollectionItem>)[]
  ) {
    let options: CollectionOptions = {};
    if (typeof nameOrOptions === "string") options = { name: nameOrOptions };
    else if (nameOrOptions && isOptionsObject(nameOrOptions)) options = nameOrOptions as CollectionOptions;
    else if (nameOrOptions) items.unshift(nameOrOptions as Record<string, CollectionItem>);
    this.autoDashNames = options.autoDashNames ?? true;
    this.name = options.name === undefined ? undefined : this.transform(options.name);
    this.doc = options.doc;
    this.loadedFrom = options.loadedFrom;
    for (const item of items) {
      if (isTask(item)) this.addTask(item);
      else if (isCollection(item)) this.addCollection(item);
      else if (typeof item === "object" && item !== null) {
        for (const [key, value] of Object.entries(item)) this.addItem(key, value);
      } else throw new TypeError(`No idea how to insert ${typeof item}!`);
    }
  }

  /**
   * A collection from a tasks module: its `ns`/`namespace` (or default-exported) collection if it
   * has one, else every exported task under its export name.
   */
  static fromModule(
    module: TasksModule,
    options: CollectionOptions & { config?: ConfigTree } = {},
  ): Collection {
    const explicit = [module.ns, module.namespace, module.default].find(isCollection);
    let out: Collection;
    if (explicit) {
      out = explicit.copy({ ...options, name: options.name ?? explicit.name });
    } else {
      out = new Collection({ ...options, doc: options.doc ?? stringExport(module, "doc") });
      for (const [key, value] of Object.entries(module))
        if (isTask(value)) out.addTask(value, value.name ?? key);
    }
    if (options.config) out.configure(options.config);
    return out;
  }

  /** Apply auto-dash (or keep the name as written when it is off). */
  transform(name: string): string {
    return this.autoDashNames ? dashName(name) : name;
  }

  addTask(
    task: AnyTask,
    nameOrOptions?: string | { name?: string; aliases?: readonly string[]; default?: boolean },
  ): void {
    const options = typeof nameOrOptions === "string" ? { name: nameOrOptions } : (nameOrOptions ?? {});
    const raw = options.name ?? task.name;
    if (!raw) {
      const which = task.doc ? ` (the task "${task.doc.split("\n")[0]}")` : "";
      throw new Error(
        `A task added to a collection has no name${which}. JavaScript values don't know the name they are ` +
          "exported under: pass tasks in an object, new Collection({ clean, build }), or give the name with " +
          "task({ name: 'clean' }, …) or addTask(task, 'clean').",
      );
    }
    const name = this.transform(raw);
    if (this.collections.has(name)) {
      throw new Error(`Name conflict: this collection has a sub-collection named '${name}' already`);
    }
    this.tasks.set(name, task);
    for (const alias of [...task.aliases, ...(options.aliases ?? [])])
      this.aliases.set(this.transform(alias), name);
    if (options.default === true || (options.default === undefined && task.isDefault)) this.setDefault(name);
  }

  addCollection(
    collection: Collection | TasksModule,
    nameOrOptions?: string | { name?: string; default?: boolean },
  ): void {
    const options = typeof nameOrOptions === "string" ? { name: nameOrOptions } : (nameOrOptions ?? {});
    const coll = isCollection(collection)
      ? collection
      : Collection.fromModule(collection, { autoDashNames: this.autoDashNames });
    const raw = options.name ?? coll.name;
    if (!raw) throw new Error("Non-root collections must have a name!");
    const name = this.transform(raw);
    if (this.tasks.has(name))
      throw new Error(`Name conflict: this collection has a task named '${name}' already`);
    coll.name ??= name;
    this.collections.set(name, coll);
    if (options.default) this.setDefault(name);
  }

  /** Merge values into this collection's config (delivered to its tasks when they run). */
  configure(options: ConfigTree): void {
    this.config = mergeCollectionConfig(options, this.config);
  }

  /**
   * This collection's config, or for a dotted task path the merge of every collection along it;
   * outer collections win, deeply (Invoke's merge was shallow).
   */
  configuration(taskPath?: string): ConfigTree {
    if (!taskPath) return cloneData(this.config);
    const [head, ...rest] = this.transform(taskPath).split(".");
    const sub = rest.length ? this.collections.get(head!) : undefined;
    if (sub) return mergeCollectionConfig(this.config, sub.configuration(rest.join(".")));
    const whole = this.collections.get(head!);
    if (whole && !rest.length)
      return mergeCollectionConfig(this.config, whole.configuration(whole.default ?? ""));
    return cloneData(this.config);
  }

  /**
   * The task for a (dotted) name or alias; empty → the default task; a sub-collection name → its default.
   * @throws {Error} when nothing matches
   */
  get(name = ""): AnyTask {
    const found = this.find(name);
    if (found) return found;
    if (!name) throw new Error("This collection has no default task.");
    throw new Error(`'${name}' is not a task in this collection`);
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  /** The sub-collection at a dotted path. */
  subcollectionFromPath(path: string): Collection | undefined {
    let current: Collection | undefined = this;
    for (const part of this.transform(path).split(".")) current = current?.collections.get(part);
    return current;
  }

  /** `{ "docs.build": ["docs"], … }`: every dotted primary name with its aliases. */
  taskNames(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const [name] of this.tasks) out.set(name, this.aliasesOf(name));
    for (const [collName, coll] of this.collections) {
      for (const [name, aliases] of coll.taskNames()) {
        const own = coll.default && name === coll.default ? [collName] : [];
        out.set(`${collName}.${name}`, [...own, ...aliases.map((a) => `${collName}.${a}`)]);
      }
    }
    return out;
  }

  /** Sorted aliases of one of this collection's own tasks. */
  aliasesOf(name: string): string[] {
    return [...this.aliases]
      .filter(([, target]) => target === name)
      .map(([alias]) => alias)
      .sort();
  }

  /** Parser contexts for every task (dotted name, aliases, arguments). */
  toContexts(options: { ignoreUnknownHelp?: boolean } = {}): ParserContext[] {
    return [...this.taskNames()].map(
      ([name, aliases]) => new ParserContext({ name, aliases, args: this.get(name).getArguments(options) }),
    );
  }

  /** JSON listing; tasks use the name they are bound under (Invoke used the task's own name). */
  serialized(): SerializedCollection {
    return {
      name: this.name ?? null,
      help: helpline(this.doc),
      default: this.default ?? null,
      tasks: [...this.tasks]
        .sort(([a], [b]) => compare(a, b))
        .map(([name, task]) => ({ name, help: helpline(task.doc), aliases: this.aliasesOf(name) })),
      collections: [...this.collections]
        .sort(([a], [b]) => compare(a, b))
        .map(([, coll]) => coll.serialized()),
    };
  }

  /** True when this collection or any sub-collection has a task. */
  get isEmpty(): boolean {
    return this.tasks.size === 0 && [...this.collections.values()].every((c) => c.isEmpty);
  }

  /** A deep copy (tasks shared, structure and config copied), optionally renamed/re-dashed. */
  copy(options: CollectionOptions = {}): Collection {
    const out = new Collection({
      name: options.name ?? this.name,
      doc: options.doc ?? this.doc,
      loadedFrom: options.loadedFrom ?? this.loadedFrom,
      autoDashNames: options.autoDashNames ?? this.autoDashNames,
    });
    for (const [name, task] of this.tasks) {
      out.addTask(task, { name, aliases: this.aliasesOf(name), default: this.default === name });
    }
    for (const [name, coll] of this.collections) {
      out.addCollection(coll.copy({ autoDashNames: out.autoDashNames }), {
        name,
        default: this.default === name,
      });
    }
    out.config = cloneData(this.config);
    return out;
  }

  toString(): string {
    const names = [...this.tasks.keys(), ...this.collections.keys()];
    return `<Collection ${this.name === undefined ? "None" : `'${this.name}'`}: ${names.join(", ")}>`;
  }

  private addItem(key: string, value: unknown): void {
    if (isTask(value)) this.addTask(value, value.name ?? key);
    else if (isCollection(value)) this.addCollection(value, key);
    else if (typeof value === "object" && value !== null) this.addCollection(value as TasksModule, key);
    else throw new TypeError(`No idea how to insert ${typeof value}!`);
  }

  private setDefault(name: string): void {
    if (this.default !== undefined) {
      throw new Error(`'${name}' cannot be the default because '${this.default}' already is!`);
    }
    this.default = name;
  }

  private find(name: string): AnyTask | undefined {
    if (!name) return this.default === undefined ? undefined : this.find(this.default);
    const transformed = this.transform(name);
    const dot = transformed.indexOf(".");
    if (dot !== -1) return this.collections.get(transformed.slice(0, dot))?.find(transformed.slice(dot + 1));
    const sub = this.collections.get(transformed);
    if (sub) return sub.find("");
    return this.tasks.get(transformed) ?? this.tasks.get(this.aliases.get(transformed) ?? "");
  }
}

export function isCollection(value: unknown): value is Collection {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<symbol, unknown>)[COLLECTION_BRAND] === true
  );
}

/** First non-blank line of a description, or null. */
export function helpline(doc: string | undefined): string | null {
  const line = doc
    ?.split("\n")
    .map((l) => l.trim())
    .find((l) => l !== "");
  return line ?? null;
}

function isOptionsObject(value: object): boolean {
  const keys = Object.keys(value);
  return (
    !isTask(value) &&
    !isCollection(value) &&
    keys.every((k) => ["name", "doc", "loadedFrom", "autoDashNames"].includes(k)) &&
    Object.values(value).every((v) => typeof v !== "object" || v === null)
  );
}

function stringExport(module: TasksModule, key: string): string | undefined {
  const value = module[key];
  return typeof value === "string" ? value : undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
