import { AmbiguousMergeError } from "../errors.js";
import { mergeDicts } from "./merge.js";
import type { ConfigTree } from "./tree.js";

/** The levels of the hierarchy, lowest first (deletions are applied after all of them). */
export const CONFIG_LEVELS = [
  "defaults",
  "collection",
  "system",
  "user",
  "project",
  "env",
  "runtime",
  "overrides",
  "modifications",
] as const;
export type ConfigLevel = (typeof CONFIG_LEVELS)[number];

/** The levels read from files. */
export type FileLevel = "system" | "user" | "project" | "runtime";

/** The levels held as trees; the env level is computed from the others and the environment. */
export type Layers = Record<Exclude<ConfigLevel, "env">, ConfigTree>;

/** The levels whose keys decide which environment variables are read (and what type they cast to). */
export const LEVELS_BELOW_ENV: ReadonlySet<ConfigLevel> = new Set([
  "defaults",
  "collection",
  "system",
  "user",
  "project",
]);

/** Which level a value comes from (see `Config.sourceOf`). */
export interface ConfigValueSource {
  level: ConfigLevel | "deletions";
  /** The file, for file levels. */
  file?: string;
  /** The environment variable, for the env level. */
  envVar?: string;
}

/**
 * Deep-merges trees in order, later ones winning. An ambiguous merge is reported with the label of
 * the level (or file) that caused it.
 */
export function mergeLevels(levels: readonly (readonly [label: string, tree: ConfigTree])[]): ConfigTree {
  const out: ConfigTree = {};
  for (const [label, tree] of levels) {
    try {
      mergeDicts(out, tree);
    } catch (error) {
      if (error instanceof AmbiguousMergeError) {
        throw new AmbiguousMergeError(error.message, error.keyPath ?? "", label);
      }
      throw error;
    }
  }
  return out;
}

/** The levels below the env level merged: the keys environment variables may set. */
export function mergeBelowEnv(layers: Layers): ConfigTree {
  return mergeLevels([
    ["defaults", layers.defaults],
    ["collection", layers.collection],
    ["system", layers.system],
    ["user", layers.user],
    ["project", layers.project],
  ]);
}

/** Every level merged in precedence order; `label` names a level in merge errors (its file, if any). */
export function mergeAllLevels(
  layers: Layers,
  envLayer: ConfigTree,
  label: (level: ConfigLevel) => string,
): ConfigTree {
  return mergeLevels(
    CONFIG_LEVELS.map((level) => [label(level), level === "env" ? envLayer : layers[level]] as const),
  );
}
