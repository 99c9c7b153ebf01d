/*
 * Turning what a config file holds into a config tree, once it has been read: the text of a
 * YAML/JSON file, or the exports of a JS/TS module. No I/O here, so the synchronous and the
 * asynchronous loaders share every rule.
 */
import { ConfigError } from "../errors.js";
import type { ConfigFileType } from "./files.js";
import { loadYaml } from "./lazy-modules.js";
import { type ConfigTree, isPlainObject } from "./tree.js";

/** Parses the text of a YAML or JSON config file. An empty document is an empty config. */
export function parseConfigText(path: string, type: ConfigFileType, text: string): ConfigTree {
  let parsed: unknown;
  try {
    // YAML 1.1, as PyYAML reads it: files written for Python Fabric keep `yes`/`on` booleans.
    parsed = type === "json" ? JSON.parse(text) : loadYaml().parse(text, { version: "1.1" });
  } catch (error) {
    const reason = (error as Error).message.split("\n")[0];
    throw new ConfigError(`${path}: invalid ${type === "json" ? "JSON" : "YAML"}: ${reason}`, {
      code: "PARSE_ERROR",
      file: path,
      cause: error,
    });
  }
  // An empty YAML document is an empty config, as in Invoke.
  if (parsed == null) return {};
  if (!isPlainObject(parsed)) {
    throw new ConfigError(
      `${path}: expected a mapping at the top level, got ${Array.isArray(parsed) ? "a list" : typeof parsed}`,
      {
        code: "INVALID_VALUE",
        file: path,
        keyPath: "",
      },
    );
  }
  return parsed;
}

/** A config module's tree: its default export when that is a mapping, else its named exports. */
export function moduleExportsToTree(path: string, loaded: unknown): ConfigTree {
  if (loaded === null || typeof loaded !== "object") {
    throw new ConfigError(`${path}: expected the module to export a config object`, {
      code: "INVALID_VALUE",
      file: path,
      keyPath: "",
    });
  }
  const exports = loaded as ConfigTree;
  if (isPlainObject(exports.default)) return { ...exports.default };
  const tree: ConfigTree = {};
  for (const [key, value] of Object.entries(exports)) {
    if (key !== "default" && key !== "__esModule") tree[key] = value;
  }
  return tree;
}
