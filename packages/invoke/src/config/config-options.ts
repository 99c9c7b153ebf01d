// What `new Config(options)` accepts, and a helper type of `Config.get`.

import type { ConfigTree } from "./tree.js";

export interface ConfigOptions {
  /** Replaces the class's `globalDefaults()` as the lowest level. */
  defaults?: ConfigTree;
  /** Initial overrides level (what CLI flags set). */
  overrides?: ConfigTree;
  /** Prepended to the file prefix for the system file; default `/etc/` → `/etc/invoke.yaml`. */
  systemPrefix?: string;
  /** Prepended to the file prefix for the user file; default `~/.` → `~/.invoke.yaml`. */
  userPrefix?: string;
  /** Directory holding the project file (`invoke.yaml` beside `tasks.ts`). */
  projectLocation?: string;
  /** Runtime config file (`-f`); defaults to `$INVOKE_RUNTIME_CONFIG` (see `runtimePathFromEnv`). */
  runtimePath?: string;
  /** When true, nothing is read at construction; call the `load*` methods yourself. */
  lazy?: boolean;
  /** The environment used by `loadShellEnv()` and `runtimePathFromEnv` (default `process.env`). */
  env?: NodeJS.ProcessEnv;
}

/** A literal type widened to its primitive (`"staging"` → `string`, `false` → `boolean`); others unchanged. */
export type Widened<T> = T extends string
  ? string
  : T extends number
    ? number
    : T extends boolean
      ? boolean
      : T extends bigint
        ? bigint
        : T;
