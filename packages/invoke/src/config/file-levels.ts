import { join } from "node:path";
import type { ZodObject } from "zod";
import { checkConfigData } from "./data-shape.js";
import { type LoadSteps, readConfigFileSteps } from "./file-reader.js";
import { expandHome, fileTypeOf, findConfigFile } from "./files.js";
import type { FileLevel } from "./levels.js";
import type { ConfigTree } from "./tree.js";
import { validateLayer } from "./validate.js";

/** Whether a file level has been looked for, and what was found. */
export interface FileState {
  /** undefined: not looked for yet; false: looked, nothing there; true: loaded from `path`. */
  found: boolean | undefined;
  path: string | undefined;
}

export type FileStates = Record<FileLevel, FileState>;

function unloadedFileStates(): FileStates {
  return {
    system: { found: undefined, path: undefined },
    user: { found: undefined, path: undefined },
    project: { found: undefined, path: undefined },
    runtime: { found: undefined, path: undefined },
  };
}

/** Where each file level is looked for (see `ConfigOptions`). */
export interface FileLocations {
  systemPrefix: string;
  userPrefix: string;
  projectLocation: string | undefined;
  runtimePath: string | undefined;
}

/**
 * The file a level loads, or undefined when there is none: the first existing
 * `{prefix}{filePrefix}.{yaml,yml,json,js,mjs,ts}` for system/user/project, the runtime path as
 * given (its suffix checked, its absence reported when read).
 */
export function locateLevelFile(
  level: FileLevel,
  locations: FileLocations,
  filePrefix: string,
): string | undefined {
  switch (level) {
    case "system":
      return findConfigFile(`${locations.systemPrefix}${filePrefix}`);
    case "user":
      return findConfigFile(`${locations.userPrefix}${filePrefix}`);
    case "project":
      return locations.projectLocation === undefined
        ? undefined
        : findConfigFile(join(expandHome(locations.projectLocation), filePrefix));
    case "runtime": {
      if (locations.runtimePath === undefined) return undefined;
      const path = expandHome(locations.runtimePath);
      fileTypeOf(path);
      return path;
    }
  }
}

/**
 * Reads and validates the file at `path` (undefined: no file, an empty level). Data is checked for
 * shape and against `schema`; an empty file needs no validation (and so no zod).
 */
export function* readLevelFile(path: string | undefined, schema: () => ZodObject): LoadSteps<ConfigTree> {
  if (path === undefined) return {};
  const raw = yield* readConfigFileSteps(path);
  checkConfigData(raw, { source: path, file: path });
  if (Object.keys(raw).length === 0) return {};
  return validateLayer(raw, schema(), { source: path, file: path });
}

/**
 * The file levels of one config: where each is looked for and what was found. A level is looked
 * for once; changing its location (`setProjectLocation`) forgets what was found there.
 */
export class ConfigFiles {
  states: FileStates = unloadedFileStates();

  constructor(public locations: FileLocations) {}

  /** The file each level was loaded from (levels with no file left out). */
  loaded(): Partial<Record<FileLevel, string>> {
    const out: Partial<Record<FileLevel, string>> = {};
    for (const [level, state] of Object.entries(this.states)) {
      if (state.found && state.path) out[level as FileLevel] = state.path;
    }
    return out;
  }

  /** The file a level was loaded from, if any (labels merge errors and `sourceOf`). */
  pathOf(level: string): string | undefined {
    return Object.hasOwn(this.states, level) ? this.states[level as FileLevel].path : undefined;
  }

  /**
   * Loads `level` unless it was looked for already: `accept` receives the validated data (an
   * empty tree when there is no file). When `accept` throws, the level stays unloaded.
   */
  *load(
    level: FileLevel,
    filePrefix: string,
    schema: () => ZodObject,
    accept: (data: ConfigTree) => void,
  ): LoadSteps<void> {
    if (this.states[level].found !== undefined) return;
    const path = locateLevelFile(level, this.locations, filePrefix);
    const data = yield* readLevelFile(path, schema);
    const previous = this.states[level];
    this.states[level] = { found: path !== undefined, path };
    try {
      accept(data);
    } catch (error) {
      this.states[level] = previous;
      throw error;
    }
  }

  /** Points a level at a new location; true when it changed (the level must then be emptied). */
  relocate(level: "project" | "runtime", location: string): boolean {
    const key = level === "project" ? "projectLocation" : "runtimePath";
    if (this.locations[key] === location) return false;
    this.locations[key] = location;
    this.states[level] = { found: undefined, path: undefined };
    return true;
  }

  copy(): ConfigFiles {
    const copy = new ConfigFiles({ ...this.locations });
    for (const level of Object.keys(this.states) as FileLevel[])
      copy.states[level] = { ...this.states[level] };
    return copy;
  }
}
