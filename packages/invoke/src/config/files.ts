// Where config files are looked for and what kind each is (reading them: file-reader.ts).
import { statSync } from "node:fs";
import { homedir } from "node:os";
import { extname, resolve } from "node:path";
import { ConfigError, UnknownFileType } from "../errors.js";

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

export function isMissing(error: unknown): boolean {
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
