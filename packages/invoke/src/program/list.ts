import { type Collection, helpline } from "../collection.js";
import { Exit } from "../errors.js";
import { type ColumnRow, formatColumns } from "./columns.js";

export type ListFormat = "flat" | "nested" | "json";

export interface ListOptions {
  /** Dotted sub-collection to list instead of the whole tree. */
  root?: string | undefined;
  /** Levels to show; 0 or undefined = all. */
  depth?: number | undefined;
  format?: ListFormat;
  cols: number;
}

/**
 * `--list` output in Invoke's formats.
 * @throws {Exit} for an unknown sub-collection, an empty one, or a depth with JSON
 */
export function renderList(collection: Collection, options: ListOptions): string {
  const format = options.format ?? "flat";
  if (!["flat", "nested", "json"].includes(format)) {
    throw new Exit(`Invalid --list-format ${JSON.stringify(format)}; use one of: flat, nested, json.`);
  }
  const root = options.root || undefined;
  const coll = root ? collection.subcollectionFromPath(root) : collection;
  if (!coll) throw new Exit(`Sub-collection '${root}' not found!`);
  if (coll.isEmpty) throw new Exit(`No tasks found in collection '${coll.name ?? ""}'!`);
  const depth = options.depth || undefined;
  if (format === "json") {
    if (depth) throw new Exit("The --list-depth option is not supported with JSON format!");
    return `${JSON.stringify(coll.serialized())}\n`;
  }
  const scope = root ? ` '${root}'` : "";
  const rows =
    format === "flat" ? flatRows(coll, root ? "." : "", 1, depth, false) : nestedRows(coll, 0, !!root, depth);
  const note =
    format === "flat"
      ? depth
        ? ` (depth=${depth})`
        : ""
      : ` (${depth ? `depth=${depth}; ` : ""}'*' denotes collection defaults)`;
  let out = `Available${scope} tasks${note}:\n\n${formatColumns(rows, options.cols)}\n`;
  if (coll.default !== undefined) out += `Default${scope} task: ${root ? "." : ""}${coll.default}\n\n`;
  return out;
}

function flatRows(
  coll: Collection,
  path: string,
  level: number,
  depth: number | undefined,
  nested: boolean,
): ColumnRow[] {
  const rows: ColumnRow[] = [];
  for (const [name, task] of sortedEntries(coll.tasks)) {
    const aliases = coll.aliasesOf(name).map((a) => path + a);
    if (nested && coll.default === name) aliases.unshift(path.slice(0, -1));
    rows.push([withAliases(path + name, aliases), helpline(task.doc)]);
  }
  for (const [name, sub] of sortedEntries(coll.collections)) {
    if (depth && level + 1 > depth) rows.push([`${path}${name} ${summary(sub)}`, helpline(sub.doc)]);
    else rows.push(...flatRows(sub, `${path}${name}.`, level + 1, depth, true));
  }
  return rows;
}

function nestedRows(
  coll: Collection,
  level: number,
  rooted: boolean,
  depth: number | undefined,
): ColumnRow[] {
  const rows: ColumnRow[] = [];
  const indent = "    ".repeat(level);
  const dot = level > 0 || rooted ? "." : "";
  for (const [name, task] of sortedEntries(coll.tasks)) {
    const star = coll.default === name ? "*" : "";
    const aliases = coll.aliasesOf(name).map((a) => dot + a);
    rows.push([indent + withAliases(`${dot}${name}${star}`, aliases), helpline(task.doc)]);
  }
  for (const [name, sub] of sortedEntries(coll.collections)) {
    const truncated = depth !== undefined && level + 2 > depth;
    rows.push([`${indent}${dot}${name}${truncated ? ` ${summary(sub)}` : ""}`, helpline(sub.doc)]);
    if (!truncated) rows.push(...nestedRows(sub, level + 1, rooted, depth));
  }
  return rows;
}

function withAliases(name: string, aliases: readonly string[]): string {
  return aliases.length ? `${name} (${aliases.join(", ")})` : name;
}

function summary(coll: Collection): string {
  const parts = [plural(coll.tasks.size, "task")];
  if (coll.collections.size) parts.push(plural(coll.collections.size, "collection"));
  return `[${parts.join(", ")}]`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

function sortedEntries<T>(map: ReadonlyMap<string, T>): [string, T][] {
  return [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Primary names in listing order (own tasks first, then sub-collections), each followed by its aliases. */
export function taskNamesInOrder(coll: Collection, path = ""): string[] {
  const out: string[] = [];
  for (const [name] of sortedEntries(coll.tasks)) {
    out.push(path + name);
    if (path && coll.default === name) out.push(path.slice(0, -1));
    out.push(...coll.aliasesOf(name).map((a) => path + a));
  }
  for (const [name, sub] of sortedEntries(coll.collections))
    out.push(...taskNamesInOrder(sub, `${path}${name}.`));
  return out;
}
