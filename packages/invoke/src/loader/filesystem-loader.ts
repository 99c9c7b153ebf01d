import { existsSync, statSync } from "node:fs";
import { basename, dirname, extname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { TasksModule } from "../collection.js";
import { CollectionNotFound, TasksFileError } from "../errors.js";
import { importTypeScript } from "./typescript.js";

/** File suffixes tried in each directory, in order. */
export const TASK_FILE_EXTENSIONS = [".ts", ".mts", ".js", ".mjs"] as const;
const TS_EXTENSIONS = new Set([".ts", ".mts", ".cts", ".tsx"]);

/** A tasks module found and imported by the loader. */
export interface LoadedTasks {
  module: TasksModule;
  /** The file that was imported. */
  path: string;
  /** Collection name derived from the file (`tasks` for `tasks.ts` and `tasks/index.ts`). */
  name: string;
  /** Where project config lives: the file's directory, or the parent of a `tasks/` directory. */
  projectDir: string;
}

export interface LoaderOptions {
  /** Directory the upward search starts in. @default process.cwd() */
  start?: string;
}

/**
 * Finds `NAME.ts`, `NAME.mts`, `NAME.js`, `NAME.mjs` or a `NAME/` directory with an `index.*` of
 * those, from the start directory up to `/`, and imports it. TypeScript goes through Node's own
 * type stripping where it has it, else through jiti with a transform cache (see typescript.ts).
 */
export class FilesystemLoader {
  readonly start: string;

  constructor(options: LoaderOptions = {}) {
    this.start = resolve(options.start ?? process.cwd());
  }

  /**
   * Locate the tasks file. `name` may also be a path to a file (`-c ci/tasks.ts`).
   * @throws {CollectionNotFound}
   */
  find(name: string): { path: string; projectDir: string; name: string } {
    if (looksLikePath(name)) {
      const path = isAbsolute(name) ? name : resolve(this.start, name);
      if (!isFile(path)) throw new CollectionNotFound(name, this.start);
      return { path, projectDir: dirname(path), name: basename(path, extname(path)) };
    }
    let dir = this.start;
    for (;;) {
      for (const ext of TASK_FILE_EXTENSIONS) {
        const file = join(dir, `${name}${ext}`);
        if (isFile(file)) return { path: file, projectDir: dir, name };
      }
      for (const ext of TASK_FILE_EXTENSIONS) {
        const index = join(dir, name, `index${ext}`);
        if (isFile(index)) return { path: index, projectDir: dir, name };
      }
      const parent = dirname(dir);
      if (parent === dir) throw new CollectionNotFound(name, this.start);
      dir = parent;
    }
  }

  /**
   * Find and import the tasks file.
   * @throws {CollectionNotFound}
   * @throws {TasksFileError} when the file throws while loading, or never finishes loading.
   */
  async load(name: string): Promise<LoadedTasks> {
    const found = this.find(name);
    let module: TasksModule;
    try {
      module = await settledBeforeExit(
        importTasksFile(found.path),
        () => new TasksFileError(found.path, "stalled"),
      );
    } catch (error) {
      throw error instanceof TasksFileError ? error : new TasksFileError(found.path, "failed", error);
    }
    return { ...found, module };
  }
}

/** Import a tasks file: natively for JavaScript, TypeScript as {@link importTypeScript} does. */
export async function importTasksFile(path: string): Promise<TasksModule> {
  if (!TS_EXTENSIONS.has(extname(path))) return (await import(pathToFileURL(path).href)) as TasksModule;
  return importTypeScript(path);
}

/**
 * `promise`, or `stalled()` as a rejection if the event loop runs dry before it settles (an import
 * whose top-level await waits on nothing; Node would otherwise exit with code 13 and no word).
 */
function settledBeforeExit<T>(promise: Promise<T>, stalled: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onBeforeExit = () => reject(stalled());
    process.once("beforeExit", onBeforeExit);
    promise.then(
      (value) => {
        process.off("beforeExit", onBeforeExit);
        resolve(value);
      },
      (error: unknown) => {
        process.off("beforeExit", onBeforeExit);
        reject(error);
      },
    );
  });
}

function looksLikePath(name: string): boolean {
  return name.includes("/") || TASK_FILE_EXTENSIONS.some((ext) => name.endsWith(ext));
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}
