import { isDeleted, isPrefix } from "./deletions.js";
import { buildEnvLayer, type EnvSource } from "./env-layer.js";
import type { KnownKeys } from "./known-keys.js";
import {
  CONFIG_LEVELS,
  type ConfigLevel,
  type ConfigValueSource,
  type Layers,
  LEVELS_BELOW_ENV,
  mergeAllLevels,
  mergeBelowEnv,
} from "./levels.js";
import { type ConfigTree, cloneData, deepFreeze, deleteAt, lookup } from "./tree.js";
import type { InvokeConfigData } from "./types.js";

/** What the stack needs from its Config class and file levels. */
export interface LevelContext {
  /** `INVOKE_`, `FABRIC_` … */
  envPrefix: string;
  known: KnownKeys;
  /** The file a level was loaded from, if any (names the level in merge errors and sources). */
  fileOf(level: ConfigLevel): string | undefined;
}

/**
 * The levels of one config and their merge: every level's tree, the env level computed from the
 * environment snapshot, the deletions, and the merged result. Changes go through `commit`, which
 * either applies completely or (when a value is refused) not at all.
 */
export class LevelStack {
  deletions: string[][] = [];
  /** The environment snapshot the env level is read from; undefined until one is loaded. */
  shellEnv: NodeJS.ProcessEnv | undefined;
  envLayer: ConfigTree = {};
  envSources: EnvSource[] = [];
  /** Merged tree before deletions (gives the stored spelling of deleted keys). */
  full: ConfigTree = {};
  merged: InvokeConfigData;

  constructor(
    public layers: Layers,
    private readonly context: LevelContext,
  ) {
    this.merged = this.mergeAll(layers, this.envLayer, this.deletions).merged;
  }

  /**
   * Applies a change: recomputes the env level when a level below it (or the environment) changed,
   * then re-merges. Nothing is changed when that throws, so a bad value leaves the config as it was.
   */
  commit(patch: Partial<Layers>, deletions: string[][] = this.deletions, env?: NodeJS.ProcessEnv): void {
    const layers = { ...this.layers, ...patch };
    const shellEnv = env ?? this.shellEnv;
    let envLayer = this.envLayer;
    let envSources = this.envSources;
    const envAffected =
      env !== undefined || Object.keys(patch).some((level) => LEVELS_BELOW_ENV.has(level as ConfigLevel));
    if (shellEnv !== undefined && envAffected) {
      const built = buildEnvLayer(
        mergeBelowEnv(layers),
        shellEnv,
        this.context.envPrefix,
        this.context.known,
      );
      envLayer = built.tree;
      envSources = built.sources;
    }
    const { full, merged } = this.mergeAll(layers, envLayer, deletions);
    this.layers = layers;
    this.deletions = deletions;
    this.shellEnv = shellEnv;
    this.envLayer = envLayer;
    this.envSources = envSources;
    this.full = full;
    this.merged = merged;
  }

  /** The highest level that sets the key path `parts` (see `Config.sourceOf`). */
  sourceOf(parts: readonly string[]): ConfigValueSource | undefined {
    if (isDeleted(this.deletions, parts)) return { level: "deletions" };
    for (const level of [...CONFIG_LEVELS].reverse()) {
      if (level === "env") {
        const hit = this.envSources.find((s) => isPrefix(s.keyPath, parts) || isPrefix(parts, s.keyPath));
        if (hit) return { level, envVar: hit.envVar };
        continue;
      }
      if (!lookup(this.layers[level], parts).found) continue;
      const file = this.context.fileOf(level);
      return file === undefined ? { level } : { level, file };
    }
    return undefined;
  }

  /** An independent copy serving another config (`context` is that config's). */
  copy(context: LevelContext): LevelStack {
    const copy = new LevelStack(cloneData(this.layers), context);
    copy.deletions = this.deletions.map((parts) => [...parts]);
    copy.envLayer = cloneData(this.envLayer);
    copy.envSources = this.envSources.map((s) => ({ ...s, keyPath: [...s.keyPath] }));
    copy.shellEnv = this.shellEnv === undefined ? undefined : { ...this.shellEnv };
    copy.full = this.full;
    copy.merged = this.merged;
    return copy;
  }

  private mergeAll(
    layers: Layers,
    envLayer: ConfigTree,
    deletions: string[][],
  ): { full: ConfigTree; merged: InvokeConfigData } {
    const full = mergeAllLevels(layers, envLayer, (level) => this.context.fileOf(level) ?? level);
    const merged = cloneData(full);
    for (const parts of deletions) deleteAt(merged, parts);
    return { full, merged: deepFreeze(merged) as InvokeConfigData };
  }
}
