// biome-ignore-all lint/complexity/noThisInStatic: the statics are polymorphic on purpose (FabricConfig overrides prefix, defaults and schema)
import type { InspectOptions, inspect as nodeInspect } from "node:util";
import type { ZodObject } from "zod";
import type { ConfigOptions, Widened } from "./config-options.js";
import { invokeDefaults } from "./defaults.js";
import { isDeleted, withDeletion, withoutDeletion } from "./deletions.js";
import { ConfigFiles } from "./file-levels.js";
import { type LoadSteps, runAsync, runSync } from "./file-reader.js";
import { isKnownSection, keepsSimpleType } from "./known-keys.js";
import { loadZod } from "./lazy-modules.js";
import { type LevelContext, LevelStack } from "./level-stack.js";
import type { ConfigValueSource, FileLevel, Layers } from "./levels.js";
import { mergeDicts } from "./merge.js";
import {
  buildConfigSchema,
  type ConfigSchemaSections,
  type InvokeSchemaSections,
  invokeSchemaSections,
  type Z,
} from "./schema.js";
import { redactSecrets } from "./secrets.js";
import { parseSetArgument, parseSetValue } from "./set-value.js";
import {
  type ConfigTree,
  canonicalPath,
  cloneData,
  deleteAt,
  leaves,
  lookup,
  setAt,
  splitKeyPath,
} from "./tree.js";
import type { InvokeConfigData, RunConfig, SudoConfig, TasksConfig, TimeoutsConfig } from "./types.js";
import { validateLayer } from "./validate.js";
import { valuesView } from "./values-proxy.js";

export type { ConfigOptions, Widened } from "./config-options.js";
export { CONFIG_LEVELS, type ConfigLevel, type ConfigValueSource, type FileLevel } from "./levels.js";

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

  private readonly defaultEnv: NodeJS.ProcessEnv | undefined;
  private files: ConfigFiles;
  private levels: LevelStack;
  private valuesProxy: InvokeConfigData | undefined;

  constructor(options: ConfigOptions = {}) {
    const cls = this.constructor as typeof Config;
    this.defaultEnv = options.env;
    this.files = new ConfigFiles({
      systemPrefix: options.systemPrefix ?? "/etc/",
      userPrefix: options.userPrefix ?? "~/.",
      projectLocation: options.projectLocation,
      runtimePath: options.runtimePath ?? cls.runtimePathFromEnv(options.env ?? process.env),
    });
    const layers = {
      defaults: cloneData(options.defaults ?? cls.globalDefaults()),
      collection: {},
      system: {},
      user: {},
      project: {},
      runtime: {},
      overrides: cloneData(options.overrides ?? {}),
      modifications: {},
    };
    this.levels = new LevelStack(layers, this.levelContext());
    if (!options.lazy) runSync(this.allLevelSteps());
  }

  // --- reading -----------------------------------------------------------------------------------

  /** The merged tree (frozen: change values with `set()`). */
  get data(): InvokeConfigData {
    return this.levels.merged;
  }
  get run(): RunConfig {
    return this.levels.merged.run;
  }
  get sudo(): SudoConfig {
    return this.levels.merged.sudo;
  }
  get tasks(): TasksConfig {
    return this.levels.merged.tasks;
  }
  get timeouts(): TimeoutsConfig {
    return this.levels.merged.timeouts;
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
    const { found, value } = lookup(this.levels.merged, splitKeyPath(path));
    return (found && value !== undefined ? value : fallback) as T;
  }

  has(path: string): boolean {
    return lookup(this.levels.merged, splitKeyPath(path)).found;
  }

  /** Which level (and file or env var) the current value at `path` comes from; undefined if unset. */
  sourceOf(path: string): ConfigValueSource | undefined {
    return this.levels.sourceOf(this.canonical(path));
  }

  /** Files loaded so far, per file level. */
  get loadedFiles(): Partial<Record<FileLevel, string>> {
    return this.files.loaded();
  }

  // --- writing (code) ----------------------------------------------------------------------------

  /** Sets a value at the modifications level (above everything); undoes an earlier `delete`. */
  set(path: string, value: unknown): void {
    const parts = this.canonical(path);
    const modifications = cloneData(this.levels.layers.modifications);
    setAt(modifications, parts, cloneData(value));
    this.commit({ modifications }, withoutDeletion(this.levels.deletions, parts, this.levels.full));
  }

  /** Deep-merges `data` into the modifications level. */
  update(data: ConfigTree): void {
    const modifications = mergeDicts(cloneData(this.levels.layers.modifications), data);
    let deletions = this.levels.deletions;
    for (const [keyPath] of leaves(data)) deletions = withoutDeletion(deletions, keyPath, this.levels.full);
    this.commit({ modifications }, deletions);
  }

  /** Hides the value at `path` from every level until it is set again. */
  delete(path: string): void {
    const parts = this.canonical(path);
    const modifications = cloneData(this.levels.layers.modifications);
    deleteAt(modifications, parts);
    if (isDeleted(this.levels.deletions, parts)) this.commit({ modifications });
    else this.commit({ modifications }, withDeletion(this.levels.deletions, parts));
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
    this.commit({ overrides: mergeDicts(cloneData(this.levels.layers.overrides), data) });
  }

  /**
   * Sets one value at the overrides level, as `--set key.path=value` does. Values for known keys
   * are validated (error source `--set`) and snake_case known keys normalised; user keys are kept
   * as written.
   */
  setOverride(path: string, value: unknown): void {
    const parts = this.canonical(path);
    const cls = this.constructor as typeof Config;
    const existing = lookup(this.levels.full, parts);
    const sameType = existing.found && keepsSimpleType(existing.value, value);
    const known = isKnownSection(cls, parts[0]!);
    let layer: ConfigTree = {};
    setAt(layer, parts, cloneData(value));
    if (known && !sameType) layer = validateLayer(layer, cls.schema, { source: "--set" });
    this.commit({ overrides: mergeDicts(cloneData(this.levels.layers.overrides), layer) });
  }

  /** `setOverride` from the raw text of a `--set` argument (`"deploy_env=production"`). */
  setOverrideFromArgument(text: string): void {
    const { path, value } = parseSetArgument(text);
    this.setOverride(path, value);
  }

  // --- files -------------------------------------------------------------------------------------
  // Each loader exists as a synchronous and an asynchronous method (the latter awaits JS/TS files,
  // which may use top-level await); both drive the same steps (see file-reader.ts).

  /** Loads both base files (system, user). */
  loadBaseConfFiles(): void {
    this.loadSystem();
    this.loadUser();
  }

  /** `{systemPrefix}{filePrefix}.{yaml,yml,json,js,mjs,ts}`, first existing only; once. */
  loadSystem(): void {
    runSync(this.fileLevelSteps("system"));
  }

  /** `{userPrefix}{filePrefix}.*` (`~/.invoke.yaml` …); once. */
  loadUser(): void {
    runSync(this.fileLevelSteps("user"));
  }

  /** `{projectLocation}/{filePrefix}.*`; no-op without a project location; once per location. */
  loadProject(): void {
    runSync(this.fileLevelSteps("project"));
  }

  /** The runtime file (`-f`). Unlike Invoke, a missing runtime file is an error. */
  loadRuntime(): void {
    runSync(this.fileLevelSteps("runtime"));
  }

  async loadSystemAsync(): Promise<void> {
    await runAsync(this.fileLevelSteps("system"));
  }
  async loadUserAsync(): Promise<void> {
    await runAsync(this.fileLevelSteps("user"));
  }
  async loadProjectAsync(): Promise<void> {
    await runAsync(this.fileLevelSteps("project"));
  }
  async loadRuntimeAsync(): Promise<void> {
    await runAsync(this.fileLevelSteps("runtime"));
  }

  /** Loads every level not loaded yet (system, user, project, env, runtime), awaiting JS/TS files. */
  async loadAsync(): Promise<this> {
    await runAsync(this.allLevelSteps());
    return this;
  }

  /** Sets the project file's directory (forgetting a project file loaded from elsewhere). */
  setProjectLocation(dir: string): void {
    if (this.files.relocate("project", dir)) this.commit({ project: {} });
  }

  setRuntimePath(path: string): void {
    if (this.files.relocate("runtime", path)) this.commit({ runtime: {} });
  }

  // --- environment -------------------------------------------------------------------------------

  /**
   * Reads `{envPrefix}*` variables (`INVOKE_RUN_ECHO=1`) into the env level. Only keys that exist
   * below the env level can be set; values are cast to the existing value's type. The snapshot is
   * kept, so keys that appear later (collection config, project file) pick their variables up too.
   */
  loadShellEnv(env: NodeJS.ProcessEnv = this.defaultEnv ?? process.env): void {
    this.commit({}, undefined, { ...env });
  }

  // --- display ---------------------------------------------------------------------------------

  /** The merged tree with secrets (sudo.password, passphrases …) replaced by "<hidden>". */
  toJSON(): ConfigTree {
    return redactSecrets(this.levels.merged);
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
    target.files = this.files.copy();
    target.levels = this.levels.copy(target.levelContext());
  }

  // --- internals ---------------------------------------------------------------------------------

  private canonical(path: string): string[] {
    return canonicalPath(this.levels.full, splitKeyPath(path));
  }

  /** Loads one file level unless it was looked for already. */
  private fileLevelSteps(level: FileLevel): LoadSteps<void> {
    const cls = this.constructor as typeof Config;
    return this.files.load(
      level,
      cls.filePrefix,
      () => cls.schema,
      (data) => this.commit({ [level]: data }),
    );
  }

  /** Every level a config reads by itself, in precedence order: the files and the environment. */
  private *allLevelSteps(): LoadSteps<void> {
    yield* this.fileLevelSteps("system");
    yield* this.fileLevelSteps("user");
    yield* this.fileLevelSteps("project");
    if (this.levels.shellEnv === undefined) this.loadShellEnv();
    yield* this.fileLevelSteps("runtime");
  }

  private levelContext(): LevelContext {
    const cls = this.constructor as typeof Config;
    return { envPrefix: cls.envPrefix, known: cls, fileOf: (level) => this.files.pathOf(level) };
  }

  private commit(patch: Partial<Layers>, deletions?: string[][], env?: NodeJS.ProcessEnv): void {
    this.levels.commit(patch, deletions, env);
  }
}
