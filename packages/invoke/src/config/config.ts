// biome-ignore-all lint/complexity/noThisInStatic: the statics are polymorphic on purpose (FabricConfig overrides prefix, defaults and schema)
import { join } from "node:path";
import type { InspectOptions, inspect as nodeInspect } from "node:util";
import type { ZodObject } from "zod";
import { checkConfigData } from "./data-shape.js";
import { invokeDefaults } from "./defaults.js";
import { castEnvValue, matchEnvVars, nullKeyCandidates } from "./env.js";
import { AmbiguousMergeError } from "./errors.js";
import { expandHome, fileTypeOf, findConfigFile, readConfigFile, readConfigFileAsync } from "./files.js";
import { loadZod } from "./lazy-modules.js";
import { mergeDicts } from "./merge.js";
import {
  buildConfigSchema,
  type ConfigSchemaSections,
  type InvokeSchemaSections,
  invokeSchemaSections,
  schemaAt,
  type Z,
} from "./schema.js";
import { redactSecrets } from "./secrets.js";
import { parseSetArgument, parseSetValue } from "./set-value.js";
import {
  type ConfigTree,
  camelCase,
  canonicalPath,
  cloneData,
  deepFreeze,
  deleteAt,
  isPlainObject,
  leaves,
  lookup,
  setAt,
  splitKeyPath,
} from "./tree.js";
import type { InvokeConfigData, RunConfig, SudoConfig, TasksConfig, TimeoutsConfig } from "./types.js";
import { validateLayer } from "./validate.js";
import { valuesView } from "./values-proxy.js";

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

/** Which level a value comes from (see `Config.sourceOf`). */
export interface ConfigValueSource {
  level: ConfigLevel | "deletions";
  /** The file, for file levels. */
  file?: string;
  /** The environment variable, for the env level. */
  envVar?: string;
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

type Layers = Record<Exclude<ConfigLevel, "env">, ConfigTree>;

interface FileState {
  /** undefined: not looked for yet; false: looked, nothing there; true: loaded from `path`. */
  found: boolean | undefined;
  path: string | undefined;
}

interface EnvSource {
  envVar: string;
  keyPath: string[];
}

const BELOW_ENV: ReadonlySet<ConfigLevel> = new Set(["defaults", "collection", "system", "user", "project"]);
const schemaCache = new WeakMap<object, ZodObject>();

/**
 * Invoke's layered configuration: defaults → collection → system file → user file → project file →
 * environment variables → runtime file → overrides (CLI flags, `--set`) → modifications (code),
 * with deletions applied last. Every level is deep-merged; see docs/configuration.md.
 */
export class Config {
  /** Names the files (`invoke.yaml`) and the env prefix (`INVOKE_`). Subclasses override it. */
  static prefix = "invoke";

  static get filePrefix(): string {
    return this.prefix;
  }

  static get envPrefix(): string {
    return `${this.prefix.toUpperCase()}_`;
  }

  /** A fresh copy of the defaults level. Subclasses extend it. */
  static globalDefaults(): InvokeConfigData {
    return invokeDefaults();
  }

  /** Schemas of the known sections; subclasses add theirs (`{ ...super.schemaSections(z), port: … }`). */
  static schemaSections(z: Z): InvokeSchemaSections & ConfigSchemaSections {
    return invokeSchemaSections(z);
  }

  /** The zod schema every file, env var and `--set` layer is validated against (built on first use). */
  static get schema(): ZodObject {
    let schema = schemaCache.get(this);
    if (!schema) {
      schema = buildConfigSchema(this.schemaSections(loadZod().z));
      schemaCache.set(this, schema);
    }
    return schema;
  }

  /** Types the text of `--set key=value` (`true`, `3`, `null`, `["a"]` …; else the text). */
  static parseSetValue(text: string): unknown {
    return parseSetValue(text);
  }

  /** `"run.echo=true"` → `{ path: "run.echo", value: true }`. */
  static parseSetArgument(text: string): { path: string; value: unknown } {
    return parseSetArgument(text);
  }

  /** `$FABRIC_RUNTIME_CONFIG` for a class with prefix "fabric", falling back to `$INVOKE_RUNTIME_CONFIG`. */
  static runtimePathFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
    return env[`${this.envPrefix}RUNTIME_CONFIG`] || env.INVOKE_RUNTIME_CONFIG || undefined;
  }

  /**
   * Builds a config and loads every level it can, awaiting JS/TS config files (which may use
   * top-level await). The synchronous constructor covers YAML/JSON and plain JS/TS files.
   */
  static async load<T extends Config>(
    this: new (
      options?: ConfigOptions,
    ) => T,
    options: ConfigOptions = {},
  ): Promise<T> {
    const config = new this({ ...options, lazy: true });
    await config.loadAsync();
    return config;
  }

  private layers: Layers;
  private deletions: string[][] = [];
  private envLayer: ConfigTree = {};
  private envSources: EnvSource[] = [];
  private shellEnv: NodeJS.ProcessEnv | undefined;
  private readonly defaultEnv: NodeJS.ProcessEnv | undefined;
  private readonly fileStates: Record<FileLevel, FileState> = {
    system: { found: undefined, path: undefined },
    user: { found: undefined, path: undefined },
    project: { found: undefined, path: undefined },
    runtime: { found: undefined, path: undefined },
  };
  private systemPrefix: string;
  private userPrefix: string;
  private projectLocation: string | undefined;
  private runtimePath: string | undefined;
  /** Merged tree before deletions (gives the stored spelling of deleted keys). */
  private full: ConfigTree = {};
  private merged: InvokeConfigData;
  private valuesProxy: InvokeConfigData | undefined;

  constructor(options: ConfigOptions = {}) {
    const cls = this.constructor as typeof Config;
    this.defaultEnv = options.env;
    this.layers = {
      defaults: cloneData(options.defaults ?? cls.globalDefaults()),
      collection: {},
      system: {},
      user: {},
      project: {},
      runtime: {},
      overrides: cloneData(options.overrides ?? {}),
      modifications: {},
    };
    this.systemPrefix = options.systemPrefix ?? "/etc/";
    this.userPrefix = options.userPrefix ?? "~/.";
    this.projectLocation = options.projectLocation;
    this.runtimePath = options.runtimePath ?? cls.runtimePathFromEnv(options.env ?? process.env);
    this.merged = this.computeMerged(this.layers, this.envLayer, this.deletions).merged;
    if (!options.lazy) {
      this.loadSystem();
      this.loadUser();
      this.loadProject();
      this.loadShellEnv();
      this.loadRuntime();
    }
  }

  // --- reading -----------------------------------------------------------------------------------

  /** The merged tree (frozen: change values with `set()`). */
  get data(): InvokeConfigData {
    return this.merged;
  }
  get run(): RunConfig {
    return this.merged.run;
  }
  get sudo(): SudoConfig {
    return this.merged.sudo;
  }
  get tasks(): TasksConfig {
    return this.merged.tasks;
  }
  get timeouts(): TimeoutsConfig {
    return this.merged.timeouts;
  }

  /**
   * Attribute-style view: `config.values.run.echo`, `config.values.deployEnv`. Keys resolve like
   * `get()`; assigning sets (modifications level), `delete` deletes.
   */
  get values(): InvokeConfigData {
    this.valuesProxy ??= valuesView(this) as InvokeConfigData;
    return this.valuesProxy;
  }

  /**
   * The value at a dotted path, or `fallback` when it is missing. Each segment matches its exact
   * spelling, else its camelCase form, else its snake_case form (`deployEnv` finds `deploy_env`).
   */
  get<T = unknown>(path: string): T;
  /**
   * With a fallback the result has the fallback's general type, not its literal one:
   * `get("deploy_env", "staging")` is a `string`, so `env === "production"` type-checks.
   */
  get<T>(path: string, fallback: T): Widened<T>;
  get<T>(path: string, fallback?: T): T {
    const { found, value } = lookup(this.merged, splitKeyPath(path));
    return (found && value !== undefined ? value : fallback) as T;
  }

  has(path: string): boolean {
    return lookup(this.merged, splitKeyPath(path)).found;
  }

  /** Which level (and file or env var) the current value at `path` comes from; undefined if unset. */
  sourceOf(path: string): ConfigValueSource | undefined {
    const parts = this.canonical(path);
    if (this.deletions.some((deleted) => isPrefix(deleted, parts))) return { level: "deletions" };
    for (const level of [...CONFIG_LEVELS].reverse()) {
      if (level === "env") {
        const hit = this.envSources.find((s) => isPrefix(s.keyPath, parts) || isPrefix(parts, s.keyPath));
        if (hit) return { level, envVar: hit.envVar };
        continue;
      }
      if (!lookup(this.layers[level], parts).found) continue;
      const file = level in this.fileStates ? this.fileStates[level as FileLevel].path : undefined;
      return file === undefined ? { level } : { level, file };
    }
    return undefined;
  }

  /** Files loaded so far, per file level. */
  get loadedFiles(): Partial<Record<FileLevel, string>> {
    const out: Partial<Record<FileLevel, string>> = {};
    for (const [level, state] of Object.entries(this.fileStates)) {
      if (state.found && state.path) out[level as FileLevel] = state.path;
    }
    return out;
  }

  // --- writing (code) ----------------------------------------------------------------------------

  /** Sets a value at the modifications level (above everything); undoes an earlier `delete`. */
  set(path: string, value: unknown): void {
    const parts = this.canonical(path);
    const modifications = cloneData(this.layers.modifications);
    setAt(modifications, parts, cloneData(value));
    this.commit({ modifications }, this.withoutDeletion(parts));
  }

  /** Deep-merges `data` into the modifications level. */
  update(data: ConfigTree): void {
    const modifications = mergeDicts(cloneData(this.layers.modifications), data);
    let deletions = this.deletions;
    for (const [keyPath] of leaves(data)) deletions = this.withoutDeletion(keyPath, deletions);
    this.commit({ modifications }, deletions);
  }

  /** Hides the value at `path` from every level until it is set again. */
  delete(path: string): void {
    const parts = this.canonical(path);
    const modifications = cloneData(this.layers.modifications);
    deleteAt(modifications, parts);
    if (this.deletions.some((deleted) => isPrefix(deleted, parts))) {
      this.commit({ modifications });
      return;
    }
    const deletions = [...this.deletions.filter((deleted) => !isPrefix(parts, deleted)), parts];
    this.commit({ modifications }, deletions);
  }

  // --- levels set from code ----------------------------------------------------------------------

  /** Replaces the defaults level. */
  loadDefaults(data: ConfigTree): void {
    this.commit({ defaults: cloneData(data) });
  }

  /** Replaces the collection level (the executing task's collection config). */
  loadCollection(data: ConfigTree): void {
    this.commit({ collection: cloneData(data) });
  }

  /** Deep-merges `data` into the overrides level (so earlier `setOverride` calls survive). */
  loadOverrides(data: ConfigTree): void {
    this.commit({ overrides: mergeDicts(cloneData(this.layers.overrides), data) });
  }

  /**
   * Sets one value at the overrides level, as `--set key.path=value` does. Values for known keys
   * are validated (error source `--set`) and snake_case known keys normalised; user keys are kept
   * as written.
   */
  setOverride(path: string, value: unknown): void {
    const parts = this.canonical(path);
    const cls = this.constructor as typeof Config;
    const existing = lookup(this.full, parts);
    const sameType = existing.found && keepsSimpleType(existing.value, value);
    const top = parts[0]!;
    const known =
      Object.hasOwn(cls.globalDefaults(), top) || Object.hasOwn(cls.globalDefaults(), camelCase(top));
    let layer: ConfigTree = {};
    setAt(layer, parts, cloneData(value));
    if (known && !sameType) layer = validateLayer(layer, cls.schema, { source: "--set" });
    this.commit({ overrides: mergeDicts(cloneData(this.layers.overrides), layer) });
  }

  /** `setOverride` from the raw text of a `--set` argument (`"deploy_env=production"`). */
  setOverrideFromArgument(text: string): void {
    const { path, value } = parseSetArgument(text);
    this.setOverride(path, value);
  }

  // --- files -------------------------------------------------------------------------------------

  /** Loads both base files (system, user). */
  loadBaseConfFiles(): void {
    this.loadSystem();
    this.loadUser();
  }

  /** `{systemPrefix}{filePrefix}.{yaml,yml,json,js,mjs,ts}`, first existing only; once. */
  loadSystem(): void {
    this.loadFile("system");
  }

  /** `{userPrefix}{filePrefix}.*` (`~/.invoke.yaml` …); once. */
  loadUser(): void {
    this.loadFile("user");
  }

  /** `{projectLocation}/{filePrefix}.*`; no-op without a project location; once per location. */
  loadProject(): void {
    this.loadFile("project");
  }

  /** The runtime file (`-f`). Unlike Invoke, a missing runtime file is an error. */
  loadRuntime(): void {
    this.loadFile("runtime");
  }

  async loadSystemAsync(): Promise<void> {
    await this.loadFileAsync("system");
  }
  async loadUserAsync(): Promise<void> {
    await this.loadFileAsync("user");
  }
  async loadProjectAsync(): Promise<void> {
    await this.loadFileAsync("project");
  }
  async loadRuntimeAsync(): Promise<void> {
    await this.loadFileAsync("runtime");
  }

  /** Loads every level not loaded yet (system, user, project, env, runtime), awaiting JS/TS files. */
  async loadAsync(): Promise<this> {
    await this.loadSystemAsync();
    await this.loadUserAsync();
    await this.loadProjectAsync();
    if (this.shellEnv === undefined) this.loadShellEnv();
    await this.loadRuntimeAsync();
    return this;
  }

  /** Sets the project file's directory (forgetting a project file loaded from elsewhere). */
  setProjectLocation(dir: string): void {
    if (dir === this.projectLocation) return;
    this.projectLocation = dir;
    this.forgetFile("project");
  }

  setRuntimePath(path: string): void {
    if (path === this.runtimePath) return;
    this.runtimePath = path;
    this.forgetFile("runtime");
  }

  // --- environment -------------------------------------------------------------------------------

  /**
   * Reads `{envPrefix}*` variables (`INVOKE_RUN_ECHO=1`) into the env level. Only keys that exist
   * below the env level can be set; values are cast to the existing value's type. The snapshot is
   * kept, so keys that appear later (collection config, project file) pick their variables up too.
   */
  loadShellEnv(env: NodeJS.ProcessEnv = this.defaultEnv ?? process.env): void {
    this.commit({}, this.deletions, { ...env });
  }

  // --- display ---------------------------------------------------------------------------------

  /** The merged tree with secrets (sudo.password, passphrases …) replaced by "<hidden>". */
  toJSON(): ConfigTree {
    return redactSecrets(this.merged);
  }

  /** `console.log(config)` shows the merged tree, secrets hidden, never the internal levels. */
  [Symbol.for("nodejs.util.inspect.custom")](
    _depth: number,
    options: InspectOptions,
    inspect: typeof nodeInspect,
  ) {
    return `${this.constructor.name} ${inspect(this.toJSON(), options)}`;
  }

  // --- copies ------------------------------------------------------------------------------------

  /** An independent copy of the same class: every level, file state and deletion (Invoke dropped deletions). */
  clone(): this {
    const Ctor = this.constructor as new (options?: ConfigOptions) => this;
    const copy = new Ctor({ lazy: true, defaults: {}, env: {} });
    this.copyStateTo(copy);
    return copy;
  }

  /** Copies this config's state into `target`; subclasses with state of their own extend it. */
  protected copyStateTo(target: Config): void {
    target.layers = cloneData(this.layers);
    target.deletions = this.deletions.map((parts) => [...parts]);
    target.envLayer = cloneData(this.envLayer);
    target.envSources = this.envSources.map((s) => ({ ...s, keyPath: [...s.keyPath] }));
    target.shellEnv = this.shellEnv === undefined ? undefined : { ...this.shellEnv };
    for (const level of Object.keys(this.fileStates) as FileLevel[]) {
      target.fileStates[level] = { ...this.fileStates[level] };
    }
    target.systemPrefix = this.systemPrefix;
    target.userPrefix = this.userPrefix;
    target.projectLocation = this.projectLocation;
    target.runtimePath = this.runtimePath;
    target.full = this.full;
    target.merged = this.merged;
  }

  // --- internals ---------------------------------------------------------------------------------

  private canonical(path: string): string[] {
    return canonicalPath(this.full, splitKeyPath(path));
  }

  private fileLocation(level: FileLevel): string | undefined {
    const cls = this.constructor as typeof Config;
    switch (level) {
      case "system":
        return findConfigFile(`${this.systemPrefix}${cls.filePrefix}`);
      case "user":
        return findConfigFile(`${this.userPrefix}${cls.filePrefix}`);
      case "project":
        return this.projectLocation === undefined
          ? undefined
          : findConfigFile(join(expandHome(this.projectLocation), cls.filePrefix));
      case "runtime": {
        if (this.runtimePath === undefined) return undefined;
        const path = expandHome(this.runtimePath);
        fileTypeOf(path);
        return path;
      }
    }
  }

  private loadFile(level: FileLevel): void {
    if (this.fileStates[level].found !== undefined) return;
    const path = this.fileLocation(level);
    this.acceptFile(level, path, path === undefined ? {} : readConfigFile(path));
  }

  private async loadFileAsync(level: FileLevel): Promise<void> {
    if (this.fileStates[level].found !== undefined) return;
    const path = this.fileLocation(level);
    this.acceptFile(level, path, path === undefined ? {} : await readConfigFileAsync(path));
  }

  private acceptFile(level: FileLevel, path: string | undefined, raw: ConfigTree): void {
    const cls = this.constructor as typeof Config;
    if (path !== undefined) checkConfigData(raw, { source: path, file: path });
    // An empty file needs no validation (and so no zod).
    const data =
      path === undefined || Object.keys(raw).length === 0
        ? {}
        : validateLayer(raw, cls.schema, { source: path, file: path });
    const previous = this.fileStates[level];
    this.fileStates[level] = { found: path !== undefined, path };
    try {
      this.commit({ [level]: data });
    } catch (error) {
      this.fileStates[level] = previous;
      throw error;
    }
  }

  private forgetFile(level: FileLevel): void {
    this.fileStates[level] = { found: undefined, path: undefined };
    this.commit({ [level]: {} });
  }

  /** `deletions` minus those that `parts` re-reveals (an ancestor deletion is split around it). */
  private withoutDeletion(parts: string[], deletions: string[][] = this.deletions): string[][] {
    const out: string[][] = [];
    for (const deleted of deletions) {
      if (isPrefix(parts, deleted)) continue;
      if (!isPrefix(deleted, parts)) {
        out.push(deleted);
        continue;
      }
      // `deleted` is an ancestor: keep hiding its other branches.
      for (let depth = deleted.length; depth < parts.length; depth++) {
        const node = lookup(this.full, parts.slice(0, depth)).value;
        if (!isPlainObject(node)) break;
        for (const key of Object.keys(node)) {
          if (key !== parts[depth]) out.push([...parts.slice(0, depth), key]);
        }
      }
    }
    return out;
  }

  /**
   * Applies a change: recomputes the env level when a level below it (or the environment) changed,
   * then re-merges. Nothing is changed when that throws, so a bad value leaves the config as it was.
   */
  private commit(
    patch: Partial<Layers>,
    deletions: string[][] = this.deletions,
    env?: NodeJS.ProcessEnv,
  ): void {
    const layers = { ...this.layers, ...patch };
    const shellEnv = env ?? this.shellEnv;
    let envLayer = this.envLayer;
    let envSources = this.envSources;
    const envAffected =
      env !== undefined || Object.keys(patch).some((level) => BELOW_ENV.has(level as ConfigLevel));
    if (shellEnv !== undefined && envAffected) ({ envLayer, envSources } = this.computeEnv(layers, shellEnv));
    const { full, merged } = this.computeMerged(layers, envLayer, deletions);
    this.layers = layers;
    this.deletions = deletions;
    this.shellEnv = shellEnv;
    this.envLayer = envLayer;
    this.envSources = envSources;
    this.full = full;
    this.merged = merged;
  }

  private computeEnv(
    layers: Layers,
    env: NodeJS.ProcessEnv,
  ): { envLayer: ConfigTree; envSources: EnvSource[] } {
    const cls = this.constructor as typeof Config;
    const below = mergeLevels([
      ["defaults", layers.defaults],
      ["collection", layers.collection],
      ["system", layers.system],
      ["user", layers.user],
      ["project", layers.project],
    ]);
    const envLayer: ConfigTree = {};
    const envSources: EnvSource[] = [];
    for (const match of matchEnvVars(below, env, cls.envPrefix)) {
      let value = castEnvValue(match);
      // A null key's type is unknown: known keys take it from the schema (user keys get the text).
      const known = keepsSimpleType(match.current, value) ? undefined : knownSchemaAt(cls, match.keyPath);
      if (value === undefined) {
        value = match.raw;
        if (known) {
          value =
            nullKeyCandidates(match.raw).find((candidate) => known.safeParse(candidate).success) ?? match.raw;
        }
      }
      if (known) {
        const layer: ConfigTree = {};
        setAt(layer, match.keyPath, value);
        const parsed = validateLayer(layer, cls.schema, { source: `environment variable ${match.envVar}` });
        value = lookup(parsed, match.keyPath).value;
      }
      setAt(envLayer, match.keyPath, value);
      envSources.push({ envVar: match.envVar, keyPath: match.keyPath });
    }
    return { envLayer, envSources };
  }

  private computeMerged(
    layers: Layers,
    envLayer: ConfigTree,
    deletions: string[][],
  ): { full: ConfigTree; merged: InvokeConfigData } {
    const label = (level: ConfigLevel): string =>
      level in this.fileStates ? (this.fileStates[level as FileLevel].path ?? level) : level;
    const full = mergeLevels(
      CONFIG_LEVELS.map((level) => [label(level), level === "env" ? envLayer : layers[level]] as const),
    );
    const merged = cloneData(full);
    for (const parts of deletions) deleteAt(merged, parts);
    return { full, merged: deepFreeze(merged) as InvokeConfigData };
  }
}

/**
 * Whether `value` replaces `existing` with the same simple type, needing no schema check (and so no
 * zod at start-up): a boolean, or a non-empty string. Numbers are always checked (ranges).
 */
function keepsSimpleType(existing: unknown, value: unknown): boolean {
  if (typeof value === "boolean") return typeof existing === "boolean";
  if (typeof value === "string") return typeof existing === "string" && value !== "";
  return false;
}

/** The schema for a key path when its section is known (loads zod); undefined for user keys. */
function knownSchemaAt(cls: typeof Config, keyPath: readonly string[]) {
  const defaults = cls.globalDefaults();
  if (!Object.hasOwn(defaults, keyPath[0]!)) return undefined;
  return schemaAt(cls.schema, keyPath);
}

function mergeLevels(levels: readonly (readonly [string, ConfigTree])[]): ConfigTree {
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

function isPrefix(prefix: readonly string[], parts: readonly string[]): boolean {
  return prefix.length <= parts.length && prefix.every((part, i) => parts[i] === part);
}
