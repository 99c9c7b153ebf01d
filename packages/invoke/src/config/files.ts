import { readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { extname, resolve } from "node:path";
import { ConfigError, UnknownFileType } from "./errors.js";
import { loadJiti, loadYaml } from "./lazy-modules.js";
import { type ConfigTree, isPlainObject } from "./tree.js";

/** Suffixes tried at each config location, in precedence order: the first existing file wins. */
export const CONFIG_SUFFIXES = ["yaml", "yml", "json", "js", "mjs", "ts"] as const;
export type ConfigFileType = (typeof CONFIG_SUFFIXES)[number];

const MODULE_TYPES: ReadonlySet<string> = new Set(["js", "mjs", "ts"]);

export function expandHome(path: string): string {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return resolve(homedir(), path.slice(2));
  return path;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch (error) {
    if (isMissing(error)) return false;
    throw new ConfigError(`${path}: ${(error as Error).message}`, {
      code: "READ_ERROR",
      file: path,
      cause: error,
    });
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === "ENOENT" || code === "ENOTDIR";
}

/** The first existing `{base}.{suffix}` in suffix precedence order, or undefined. */
export function findConfigFile(base: string): string | undefined {
  const expanded = expandHome(base);
  for (const suffix of CONFIG_SUFFIXES) {
    const candidate = `${expanded}.${suffix}`;
    if (isFile(candidate)) return candidate;
  }
  return undefined;
}

export function fileTypeOf(path: string): ConfigFileType {
  const type = extname(path).slice(1);
  if (!(CONFIG_SUFFIXES as readonly string[]).includes(type))
    throw new UnknownFileType(path, type, CONFIG_SUFFIXES);
  return type as ConfigFileType;
}

export function isModuleFile(path: string): boolean {
  return MODULE_TYPES.has(extname(path).slice(1));
}

/** Reads and parses a config file synchronously (JS/TS through jiti's synchronous loader). */
export function readConfigFile(path: string): ConfigTree {
  const type = fileTypeOf(path);
  if (MODULE_TYPES.has(type)) {
    return moduleToTree(path, () => jitiFor()(path), SYNC_HINT);
  }
  return parseText(path, type, readText(path));
}

/** Reads and parses a config file; JS/TS files are imported asynchronously (top-level await works). */
export async function readConfigFileAsync(path: string): Promise<ConfigTree> {
  const type = fileTypeOf(path);
  if (!MODULE_TYPES.has(type)) return parseText(path, type, readText(path));
  let loaded: unknown;
  try {
    loaded = await jitiFor().import(path);
  } catch (error) {
    throw moduleLoadError(path, error);
  }
  return moduleToTree(path, () => loaded, "");
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = isMissing(error) ? "FILE_NOT_FOUND" : "READ_ERROR";
    const reason = isMissing(error) ? "no such file" : (error as Error).message;
    throw new ConfigError(`${path}: ${reason}`, { code, file: path, cause: error });
  }
}

function parseText(path: string, type: ConfigFileType, text: string): ConfigTree {
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

let jitiInstance: ReturnType<typeof import("jiti").createJiti> | undefined;
function jitiFor(): ReturnType<typeof import("jiti").createJiti> {
  // No module cache: a config file edited between two loads (or loaded by a clone) is read afresh.
  jitiInstance ??= loadJiti().createJiti(import.meta.url, { moduleCache: false, fsCache: false });
  return jitiInstance;
}

const SYNC_HINT =
  " (JS/TS config files with top-level await need the async loaders: await Config.load() or loadProjectAsync())";

function moduleLoadError(path: string, error: unknown, hint = ""): ConfigError {
  const message = (error as Error).message;
  return new ConfigError(`${path}: failed to load: ${message}${/\bawait\b/.test(message) ? hint : ""}`, {
    code: "READ_ERROR",
    file: path,
    cause: error,
  });
}

/** A module's default export when it is a mapping, else its named exports. */
function moduleToTree(path: string, load: () => unknown, hint: string): ConfigTree {
  let loaded: unknown;
  try {
    loaded = load();
  } catch (error) {
    throw moduleLoadError(path, error, hint);
  }
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
