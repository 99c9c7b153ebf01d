import { readFileSync } from "node:fs";
import { ConfigError } from "../errors.js";
import { moduleExportsToTree, parseConfigText } from "./file-contents.js";
import { fileTypeOf, isMissing, isModuleFile } from "./files.js";
import { loadJiti } from "./lazy-modules.js";
import type { ConfigTree } from "./tree.js";

/**
 * Config loading written once for both the synchronous API (`new Config()`, `loadProject()`) and the
 * asynchronous one (`Config.load()`, `loadProjectAsync()`). The only step that differs is loading
 * a JS/TS module (jiti's synchronous require, or an awaited import that allows top-level await), so
 * loaders are generators that yield a {@link ModuleImport} there; {@link runSync} and
 * {@link runAsync} drive them and send the module's exports back in.
 */

/** A loader's request to load a JS/TS config module; the driver answers with its exports. */
export interface ModuleImport {
  readonly importModule: string;
}

/** A loader: yields module imports, returns `T`. */
export type LoadSteps<T> = Generator<ModuleImport, T, unknown>;

/** Reads and parses one config file (YAML/JSON read here; JS/TS modules requested from the driver). */
export function* readConfigFileSteps(path: string): LoadSteps<ConfigTree> {
  const type = fileTypeOf(path);
  if (!isModuleFile(path)) return parseConfigText(path, type, readText(path));
  const exports = yield { importModule: path };
  return moduleExportsToTree(path, exports);
}

/** Runs a loader to completion, loading modules through jiti's synchronous require. */
export function runSync<T>(steps: LoadSteps<T>): T {
  let step = steps.next();
  while (!step.done) {
    const path = step.value.importModule;
    let exports: unknown;
    try {
      exports = jitiFor()(path);
    } catch (error) {
      step = steps.throw(moduleLoadError(path, error, SYNC_HINT));
      continue;
    }
    step = steps.next(exports);
  }
  return step.value;
}

/** Runs a loader to completion, importing modules asynchronously (top-level await works). */
export async function runAsync<T>(steps: LoadSteps<T>): Promise<T> {
  let step = steps.next();
  while (!step.done) {
    const path = step.value.importModule;
    let exports: unknown;
    try {
      exports = await jitiFor().import(path);
    } catch (error) {
      step = steps.throw(moduleLoadError(path, error));
      continue;
    }
    step = steps.next(exports);
  }
  return step.value;
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
