import {
  type Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type ParsedNode,
  parseDocument,
  type ScalarTag,
  type Tags,
  type YAMLMap,
} from "yaml";
import { InventoryError } from "../errors/index.js";
import { addHostPattern } from "./host-line.js";
import type { InventoryData, Vars } from "./model.js";
import type { InventoryValue } from "./python-literal.js";

/**
 * PyYAML's YAML 1.1 booleans and floats, narrower than the YAML 1.1 spec: `y`/`n` stay strings, and
 * a float needs a dot (`1.5e3` is a string; `1.5e+3` is 1500).
 */
const PY_BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const PY_FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;

const pyBool: ScalarTag = {
  identify: (value) => typeof value === "boolean",
  default: true,
  tag: "tag:yaml.org,2002:bool",
  test: PY_BOOL,
  resolve: (text) => /^(?:yes|true|on)$/i.test(text),
};

const pyFloat: ScalarTag = {
  identify: (value) => typeof value === "number",
  default: true,
  tag: "tag:yaml.org,2002:float",
  test: PY_FLOAT,
  resolve: (text) => {
    const clean = text.replaceAll("_", "").toLowerCase();
    if (clean.endsWith("inf")) return clean.startsWith("-") ? -Infinity : Infinity;
    if (clean.endsWith("nan")) return Number.NaN;
    if (clean.includes(":")) {
      const sign = clean.startsWith("-") ? -1 : 1;
      return (
        sign *
        clean
          .replace(/^[-+]/, "")
          .split(":")
          .reduce((total, part) => total * 60 + Number(part), 0)
      );
    }
    return Number(clean);
  },
};

/** Ansible reads YAML 1.1 (`yes` is true, `0755` is octal) and knows `!unsafe` and `!vault`. */
const YAML_OPTIONS = {
  version: "1.1" as const,
  uniqueKeys: false,
  customTags: (tags: Tags): Tags => [
    pyBool,
    pyFloat,
    ...tags.filter((t) => {
      const tag = typeof t === "string" ? t : t.tag;
      return tag !== "tag:yaml.org,2002:bool" && tag !== "tag:yaml.org,2002:float";
    }),
    { tag: "!unsafe", resolve: (value: string) => value },
    { tag: "!vault", resolve: (value: string) => value },
  ],
};

/** A parsed YAML file and a way to name the line a node starts on. */
export interface YamlSource {
  doc: Document.Parsed;
  lineOf(node: Node | null | undefined): number | undefined;
}

/** @throws {InventoryError} on a YAML syntax error, naming the line */
export function parseYaml(text: string, file: string): YamlSource {
  const counter = new LineCounter();
  const doc = parseDocument(text, { ...YAML_OPTIONS, lineCounter: counter, prettyErrors: false });
  const [error] = doc.errors;
  if (error) {
    const line = counter.linePos(error.pos[0]).line;
    throw new InventoryError(`YAML syntax error: ${error.message.split("\n")[0]}`, { file, line });
  }
  return {
    doc,
    lineOf: (node) => (node?.range ? counter.linePos(node.range[0]).line : undefined),
  };
}

/** A YAML value as plain data (dates as ISO text, as Ansible's JSON output shows them). */
export function yamlValue(source: YamlSource, node: unknown): InventoryValue {
  const value =
    node && typeof node === "object" && "toJS" in node ? (node as ParsedNode).toJS(source.doc) : node;
  return plain(value);
}

function plain(value: unknown): InventoryValue {
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : iso;
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) return Object.fromEntries([...value].map(([k, v]) => [String(k), plain(v)]));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  if (typeof value === "bigint") return Number(value);
  if (value === undefined) return null;
  return value as InventoryValue;
}

function keyText(node: unknown): string {
  if (isScalar(node)) return node.value === null ? "" : String(node.value);
  return String(node);
}

/** Warnings Ansible prints but does not fail on (unexpected keys, non-mapping groups). */
export type WarningSink = (message: string) => void;

/**
 * Read a YAML inventory into `data` as Ansible's yaml plugin does: top-level keys are groups, each
 * with optional `hosts` (host pattern → vars), `vars` and `children` (nested groups).
 * @returns false when the file is not a YAML inventory (not YAML, or not a mapping) so that the
 * caller may try INI; throws for a YAML inventory with a bad structure.
 */
export function readYamlInventory(
  data: InventoryData,
  source: YamlSource,
  file: string,
  warn: WarningSink,
): void {
  const root = source.doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return;
  if (!isMap(root))
    throw new InventoryError("YAML inventory has invalid structure, it should be a dictionary", {
      file,
      line: source.lineOf(root),
    });
  for (const pair of root.items) parseGroup(data, source, file, keyText(pair.key), pair.value, warn);
}

function parseGroup(
  data: InventoryData,
  source: YamlSource,
  file: string,
  name: string,
  node: unknown,
  warn: WarningSink,
): string {
  const fail = (message: string, at: unknown): never => {
    throw new InventoryError(message, { file, line: source.lineOf(at as Node) });
  };
  const empty = node === null || node === undefined || (isScalar(node) && node.value === null);
  if (!empty && !isMap(node)) {
    warn(`Skipping '${name}' as this is not a valid group definition`);
    return name;
  }
  try {
    data.addGroup(name);
  } catch (error) {
    fail(`Unable to add group ${name}: ${(error as Error).message}`, node);
  }
  if (empty) return name;
  const map = node as YAMLMap;
  for (const pair of map.items) {
    const key = keyText(pair.key);
    let value = pair.value as unknown;
    const section = key === "vars" || key === "children" || key === "hosts";
    // A bare string is allowed for these three: `hosts: web1` means `hosts: {web1: }`.
    if (section && isScalar(value) && typeof value.value === "string") {
      value = { items: [{ key: value, value: null }] };
    } else if (section && !(isMap(value) || value === null || (isScalar(value) && value.value === null))) {
      fail(
        `Invalid "${key}" entry for "${name}" group, requires a dictionary, found "${describe(value)}" instead.`,
        value ?? pair.key,
      );
    }
    if (!(isMap(value) || (value && typeof value === "object" && "items" in value && !isSeq(value)))) {
      if (!(value === null || (isScalar(value) && value.value === null)))
        warn(`Skipping key (${key}) in group (${name}) as it is not a mapping, it is a ${describe(value)}`);
      continue;
    }
    const items = (value as { items: { key: unknown; value: unknown }[] }).items;
    if (key === "vars") {
      for (const item of items)
        data.groups.get(name)!.setVariable(keyText(item.key), yamlValue(source, item.value));
    } else if (key === "children") {
      for (const item of items) {
        const child = parseGroup(data, source, file, keyText(item.key), item.value, warn);
        try {
          data.addChild(name, child);
        } catch (error) {
          fail((error as Error).message, item.key);
        }
      }
    } else if (key === "hosts") {
      for (const item of items) {
        const vars = hostVars(source, item.value);
        if (vars === undefined)
          fail(
            `Invalid host vars for ${keyText(item.key)} in group ${name}: expected a dictionary`,
            item.value,
          );
        try {
          addHostPattern(data, keyText(item.key), name, vars!, false);
        } catch (error) {
          fail((error as Error).message, item.key);
        }
      }
    } else {
      warn(
        `Skipping unexpected key (${key}) in group (${name}), only "vars", "children" and "hosts" are valid`,
      );
    }
  }
  return name;
}

function hostVars(source: YamlSource, node: unknown): Vars | undefined {
  if (node === null || node === undefined || (isScalar(node) && (node.value === null || node.value === "")))
    return {};
  if (!isMap(node)) return undefined;
  const out: Vars = {};
  for (const item of node.items) out[keyText(item.key)] = yamlValue(source, item.value);
  return out;
}

function describe(node: unknown): string {
  if (isSeq(node)) return "<class 'list'>";
  if (isScalar(node)) return `<class '${typeof node.value === "string" ? "str" : typeof node.value}'>`;
  return String(node);
}
