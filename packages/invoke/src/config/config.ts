// TEMPORARY STUB: the contract other modules rely on. The full layered Config
// (files, env vars, zod validation, deletions, attribute access) replaces this body
// while keeping every member below.
import { invokeDefaults } from "./defaults.js";
import type { InvokeConfigData, RunConfig, SudoConfig, TasksConfig, TimeoutsConfig } from "./types.js";

export interface ConfigOptions {
  defaults?: Record<string, unknown>;
  overrides?: Record<string, unknown>;
}

export class Config {
  protected defaultsLayer: Record<string, unknown>;
  protected overridesLayer: Record<string, unknown>;
  protected modifications: Record<string, unknown> = {};

  constructor(options: ConfigOptions = {}) {
    this.defaultsLayer = (options.defaults as Record<string, unknown>) ?? invokeDefaults();
    this.overridesLayer = options.overrides ?? {};
  }

  /** The merged tree. */
  get data(): InvokeConfigData {
    return deepMerge(
      deepMerge(deepMerge({}, this.defaultsLayer), this.overridesLayer),
      this.modifications,
    ) as InvokeConfigData;
  }
  get run(): RunConfig {
    return this.data.run;
  }
  get sudo(): SudoConfig {
    return this.data.sudo;
  }
  get tasks(): TasksConfig {
    return this.data.tasks;
  }
  get timeouts(): TimeoutsConfig {
    return this.data.timeouts;
  }

  get<T = unknown>(path: string, fallback?: T): T {
    let node: unknown = this.data;
    for (const part of path.split(".")) {
      if (node === null || typeof node !== "object" || !(part in node)) return fallback as T;
      node = (node as Record<string, unknown>)[part];
    }
    return node as T;
  }

  set(path: string, value: unknown): void {
    const parts = path.split(".");
    let node = this.modifications;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts.at(-1)!] = value;
  }

  clone(): Config {
    const copy = new Config({
      defaults: deepMerge({}, this.defaultsLayer),
      overrides: deepMerge({}, this.overridesLayer),
    });
    copy.modifications = deepMerge({}, this.modifications);
    return copy;
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
}

function deepMerge(base: Record<string, unknown>, updates: Record<string, unknown>): Record<string, unknown> {
  for (const [k, v] of Object.entries(updates)) {
    const cur = base[k];
    if (isPlainObject(v)) base[k] = deepMerge(isPlainObject(cur) ? cur : {}, v);
    else base[k] = Array.isArray(v) ? [...v] : v;
  }
  return base;
}
