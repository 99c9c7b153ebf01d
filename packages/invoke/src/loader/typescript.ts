// How a TypeScript tasks file is imported. Where the running Node strips types itself (Node 22.18+,
// 23.6+, 24; `process.features.typescript`), it is a plain `import()`: no transform library is
// loaded, and Node's compile cache (enabled by the CLIs) covers the file too. Elsewhere (Node 20) it
// goes through jiti with its transform cache on disk (see transform-cache.ts), so that only the
// first run after an edit pays for the transform.
import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import type { TasksModule } from "../collection.js";
import { pruneCache, transformCacheDir, usableCacheDir } from "./transform-cache.js";

/** Extensions Node's own type stripping loads (`.tsx` needs a transform). */
const NATIVE_EXTENSIONS = new Set([".ts", ".mts", ".cts"]);

/**
 * Errors Node raises while it loads and links a module graph, before any of its code runs: a retry
 * through jiti then runs nothing twice. jiti also resolves what Node does not (`./helper.js` or
 * `./helper` for `helper.ts`, TypeScript-only syntax such as `enum`).
 */
const LINK_ERRORS = new Set([
  "ERR_MODULE_NOT_FOUND",
  "ERR_UNSUPPORTED_DIR_IMPORT",
  "ERR_UNKNOWN_FILE_EXTENSION",
  "ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX",
  "ERR_INVALID_TYPESCRIPT_SYNTAX",
]);

/** How a TypeScript file is loaded on this Node: `native` type stripping, or `jiti`. */
export type TypeScriptLoading = "native" | "jiti";

/** `native` where Node strips types itself (and `FABRIC_TS_TYPESCRIPT` does not say `jiti`). */
export function typeScriptLoading(env: NodeJS.ProcessEnv = process.env): TypeScriptLoading {
  const features = process.features as { typescript?: string | false };
  return features.typescript && env.FABRIC_TS_TYPESCRIPT !== "jiti" ? "native" : "jiti";
}

/** Imports a TypeScript tasks file: natively where Node can, else through jiti and its cache. */
export async function importTypeScript(path: string): Promise<TasksModule> {
  if (typeScriptLoading() === "native" && NATIVE_EXTENSIONS.has(extname(path))) {
    try {
      return (await import(pathToFileURL(path).href)) as TasksModule;
    } catch (error) {
      if (!LINK_ERRORS.has((error as { code?: string }).code ?? "")) throw error;
    }
  }
  return importWithJiti(path);
}

/** Through jiti, its transforms cached on disk when there is a writable cache directory. */
export async function importWithJiti(path: string, cacheDir = transformCacheDir()): Promise<TasksModule> {
  const fsCache = cacheDir !== null && usableCacheDir(cacheDir) ? cacheDir : false;
  const { createJiti } = await import("jiti");
  const jiti = createJiti(pathToFileURL(path).href, { moduleCache: true, fsCache, interopDefault: false });
  try {
    return (await jiti.import(path)) as TasksModule;
  } finally {
    if (fsCache) pruneCache(fsCache);
  }
}
