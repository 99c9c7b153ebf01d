import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { isMap, isScalar } from "yaml";
import { InventoryError } from "../errors/index.js";
import type { Vars } from "./model.js";
import { parseYaml, yamlValue } from "./yaml.js";

const EXTENSIONS = ["", ".yml", ".yaml", ".json"];

/**
 * Variables of one host or group from `host_vars/` or `group_vars/` under `dir`: the first that
 * exists of `NAME`, `NAME.yml`, `NAME.yaml`, `NAME.json`; when it is a directory, every such file
 * inside it (recursively, sorted by name, hidden files and `~` backups skipped), later files winning.
 */
export function varsFromDir(dir: string, kind: "host_vars" | "group_vars", name: string): Vars {
  const base = join(dir, kind);
  if (!existsSync(base)) return {};
  let out: Vars = {};
  for (const ext of EXTENSIONS) {
    const path = join(base, `${name}${ext}`);
    if (!existsSync(path)) continue;
    const files = statSync(path).isDirectory() ? filesIn(path) : [path];
    for (const file of files) out = { ...out, ...readVarsFile(file) };
    break;
  }
  return out;
}

function filesIn(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith(".") || entry.endsWith("~")) continue;
    const path = join(dir, entry);
    const ext = extname(entry);
    if (statSync(path).isDirectory()) {
      if (!ext) found.push(...filesIn(path));
    } else if (!ext || EXTENSIONS.includes(ext)) found.push(path);
  }
  return found;
}

/** @throws {InventoryError} when the file is not YAML/JSON or not a mapping */
export function readVarsFile(file: string): Vars {
  const source = parseYaml(readFileSync(file, "utf8"), file);
  const root = source.doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return {};
  if (!isMap(root))
    throw new InventoryError("Invalid vars: expected a mapping (key: value) at the top", {
      file,
      line: source.lineOf(root),
    });
  const value = yamlValue(source, root);
  return value as Vars;
}
