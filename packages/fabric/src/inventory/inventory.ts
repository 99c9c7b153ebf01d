import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import type { Config } from "@fabric-ts/invoke";
import { Document, isMap } from "yaml";
import { FabricConfig } from "../config/fabric-config.js";
import { Connection, type ConnectionOptions } from "../connection/connection.js";
import { InventoryError, PatternError } from "../errors/index.js";
import { SerialGroup } from "../group/serial-group.js";
import { ThreadingGroup } from "../group/threading-group.js";
import { hostKwargsFromVars, type InventoryHostKwargs } from "./connection-vars.js";
import { readIniInventory } from "./ini.js";
import { groupDepth, groupsOfHost, InventoryData, type InventoryHost, type Vars } from "./model.js";
import { matchPattern, splitPattern } from "./patterns.js";
import { type InventoryDefinition, isInventoryDefinition } from "./typed.js";
import { varsFromDir } from "./vars-dirs.js";
import { parseYaml, readYamlInventory, type YamlSource } from "./yaml.js";

export interface LoadInventoryOptions {
  /** Where relative source paths start. @default process.cwd() */
  cwd?: string;
  /** Ansible's warnings (unexpected keys, patterns matching nothing). @default ignored */
  warn?: (message: string) => void;
}

/** One host as selected: its inventory name and its merged variables. */
export interface SelectedHost<V = Record<string, unknown>> {
  name: string;
  vars: V;
}

const TYPED_EXTENSIONS = new Set([".ts", ".mts", ".js", ".mjs"]);
const YAML_EXTENSIONS = new Set([".yml", ".yaml", ".json"]);

/**
 * Hosts, groups and variables read from Ansible inventories (INI, YAML) and typed TypeScript
 * inventories, merged in order like `ansible -i a -i b`; select hosts with Ansible's patterns.
 * @example
 * const inventory = await Inventory.load(["inventory.ini"]);
 * inventory.hostNames("web:&prod:!web3"); // ["web1", "web2"]
 * inventory.vars("web1").ansible_port;
 */
export class Inventory<V extends Record<string, unknown> = Record<string, unknown>> {
  readonly data: InventoryData;
  /** The source files, absolute, in the order they were read. */
  readonly sources: readonly string[];
  readonly #schemas: { file: string; schema: NonNullable<InventoryDefinition["vars"]> }[];
  readonly #merged = new Map<string, Vars>();
  readonly #warn: (message: string) => void;

  private constructor(
    data: InventoryData,
    sources: string[],
    schemas: { file: string; schema: NonNullable<InventoryDefinition["vars"]> }[],
    warn: (message: string) => void,
  ) {
    this.data = data;
    this.sources = sources;
    this.#schemas = schemas;
    this.#warn = warn;
  }

  /**
   * Read inventory files in order (later ones add hosts and override variables).
   * @throws {InventoryError} naming the file (and line) of a bad inventory
   */
  static async load<V extends Record<string, unknown> = Record<string, unknown>>(
    sources: string | readonly string[],
    options: LoadInventoryOptions = {},
  ): Promise<Inventory<V>> {
    const warn = options.warn ?? (() => {});
    const data = new InventoryData();
    const files: string[] = [];
    const schemas: { file: string; schema: NonNullable<InventoryDefinition["vars"]> }[] = [];
    for (const source of typeof sources === "string" ? [sources] : sources) {
      const file = resolve(options.cwd ?? process.cwd(), source);
      if (!existsSync(file)) throw new InventoryError("inventory file not found", { file });
      if (statSync(file).isDirectory())
        throw new InventoryError("an inventory must be a file, not a directory", { file });
      files.push(file);
      if (TYPED_EXTENSIONS.has(extname(file))) {
        const definition = await importDefinition(file);
        readYamlInventory(
          data,
          { doc: new Document(definition.groups) as never, lineOf: () => undefined },
          file,
          warn,
        );
        if (definition.vars) schemas.push({ file, schema: definition.vars });
      } else {
        readTextInventory(data, readFileSync(file, "utf8"), file, warn);
      }
    }
    try {
      data.reconcile();
    } catch (error) {
      throw error instanceof InventoryError
        ? error
        : new InventoryError(String(error), { file: files.at(-1) });
    }
    const inventory = new Inventory<V>(data, files, schemas, warn);
    inventory.#validate();
    return inventory;
  }

  /** Host names a pattern selects, in Ansible's order (`all` when no pattern), narrowed by `limit`. */
  hostNames(pattern: string | readonly string[] = "all", limit?: string | readonly string[]): string[] {
    return this.select(pattern, limit).map((h) => h.name);
  }

  /** The hosts a pattern selects with their merged vars; `limit` narrows them like `--limit`. */
  select(pattern: string | readonly string[] = "all", limit?: string | readonly string[]): SelectedHost<V>[] {
    const { hosts, unmatched } = matchPattern(this.data, pattern);
    for (const term of unmatched) this.#warn(`Could not match supplied host pattern, ignoring: ${term}`);
    let chosen = hosts;
    if (limit !== undefined && (typeof limit !== "string" || limit.trim() !== "")) {
      const allowed = new Set(matchPattern(this.data, limitTerms(limit)).hosts);
      chosen = hosts.filter((h) => allowed.has(h));
    }
    return chosen.map((host) => ({ name: host.name, vars: this.vars(host.name) }));
  }

  /** Whether a pattern term names something in this inventory (a host or a group). */
  has(name: string): boolean {
    return this.data.hosts.has(name) || this.data.groups.has(name);
  }

  /** Group names, in the order they were first seen (`all` and `ungrouped` first). */
  groupNames(): string[] {
    return [...this.data.groups.keys()];
  }

  /**
   * A host's variables merged as Ansible merges them: `all` (inventory), then its groups from the
   * shallowest to the deepest (ties by `ansible_group_priority`, then name), then `group_vars/all`
   * and `group_vars/<group>` beside each source, then the host's own vars, then `host_vars/<host>`.
   * @throws {InventoryError} for an unknown host
   */
  vars(name: string): V {
    const cached = this.#merged.get(name);
    if (cached) return cached as V;
    const host = this.data.hosts.get(name);
    if (!host) throw new InventoryError(`no host named '${name}' in the inventory`);
    const merged = this.#merge(host);
    this.#merged.set(name, merged);
    return merged as V;
  }

  /** How `fab` connects to a host: address, port, user, ssh options, passwords (see connection-vars). */
  connectionOf(name: string): InventoryHostKwargs {
    return hostKwargsFromVars(name, this.vars(name));
  }

  /**
   * A Connection to an inventory host, set up from its vars (`c.vars` holds them), over a copy of
   * `config` with its per-host settings (`ansible_become_password` → `sudo.password`).
   */
  connection(name: string, config?: Config): Connection {
    const { host, label: _label, configOverrides, ...options } = this.connectionOf(name);
    const own = FabricConfig.from(config ?? new FabricConfig()).clone();
    for (const [path, value] of Object.entries(configOverrides ?? {})) own.setOverride(path, value);
    return new Connection(host, {
      ...(options as ConnectionOptions),
      vars: options.vars,
      config: own,
      inventory: this as unknown as Inventory,
    });
  }

  /**
   * A group of Connections to the hosts a pattern selects: threaded (all at once, up to
   * `concurrency`) unless `serial`.
   * @example
   * await using web = c.inventory!.group("web:!web3", { config: c.config });
   * await web.run("systemctl reload nginx");
   */
  group(
    pattern: string | readonly string[],
    options: { config?: Config; limit?: string; serial?: boolean; concurrency?: number } = {},
  ): ThreadingGroup | SerialGroup {
    const connections = this.hostNames(pattern, options.limit).map((name) =>
      this.connection(name, options.config),
    );
    return options.serial
      ? SerialGroup.fromConnections(connections)
      : ThreadingGroup.fromConnections(connections, {
          ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        });
  }

  /** `c.vars` with this (typed) inventory's vars type. */
  varsOf(c: { vars: unknown }): V {
    return c.vars as V;
  }

  #merge(host: InventoryHost): Vars {
    const all = this.data.all;
    const memo = new Map();
    const groups = [...groupsOfHost(host)]
      .filter((g) => g !== all)
      .sort(
        (a, b) =>
          groupDepth(a, memo) - groupDepth(b, memo) ||
          a.priority - b.priority ||
          (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
      );
    const dirs = this.sources.map((file) => dirname(file));
    let out: Vars = { ...all.vars };
    for (const g of groups) out = { ...out, ...g.vars };
    for (const dir of dirs) out = { ...out, ...varsFromDir(dir, "group_vars", "all") };
    for (const dir of dirs)
      for (const g of groups) out = { ...out, ...varsFromDir(dir, "group_vars", g.name) };
    out = { ...out, ...host.vars };
    for (const dir of dirs) out = { ...out, ...varsFromDir(dir, "host_vars", host.name) };
    return out;
  }

  /** Every host's merged vars against the typed inventories' schemas (defaults filled in). */
  #validate(): void {
    for (const { file, schema } of this.#schemas) {
      for (const name of this.data.hosts.keys()) {
        const result = schema.safeParse(this.vars(name));
        if (!result.success) {
          const issues = result.error.issues.map(
            (i) => `${i.path.map(String).join(".") || "(vars)"}: ${i.message}`,
          );
          throw new InventoryError(`host ${name}: invalid vars: ${issues.join("; ")}`, { file });
        }
        this.#merged.set(name, { ...this.vars(name), ...(result.data as Vars) });
      }
    }
  }
}

/** `--limit` terms, with `@FILE` replaced by the file's lines (one pattern each, as Ansible). */
function limitTerms(limit: string | readonly string[]): string[] {
  return splitPattern(limit).flatMap((term) => {
    if (!term.startsWith("@")) return [term];
    const file = term.slice(1);
    if (!existsSync(file) || statSync(file).isDirectory())
      throw new PatternError(`Unable to find limit file ${file}`);
    return readFileSync(file, "utf8")
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
  });
}

/** Read an Ansible inventory file: YAML when it is a YAML mapping (by extension or content), else INI. */
function readTextInventory(data: InventoryData, text: string, file: string, warn: (m: string) => void): void {
  const ext = extname(file);
  if (ext !== ".ini" && (YAML_EXTENSIONS.has(ext) || ext === "")) {
    let source: YamlSource | undefined;
    try {
      source = parseYaml(text, file);
    } catch (error) {
      if (YAML_EXTENSIONS.has(ext)) throw error;
    }
    const contents = source?.doc.contents;
    const isMapping = isMap(contents);
    if (source && (isMapping || YAML_EXTENSIONS.has(ext))) {
      readYamlInventory(data, source, file, warn);
      return;
    }
  }
  readIniInventory(data, text, file);
}

async function importDefinition(file: string): Promise<InventoryDefinition> {
  const { importTasksFile } = await import("@fabric-ts/invoke");
  let module: Record<string, unknown>;
  try {
    module = (await importTasksFile(file)) as Record<string, unknown>;
  } catch (error) {
    throw new InventoryError(`could not load the typed inventory: ${(error as Error).message}`, { file });
  }
  const definition = module.default ?? module.inventory;
  if (!isInventoryDefinition(definition))
    throw new InventoryError(
      "a typed inventory must export (default, or as `inventory`) what defineInventory() returns",
      { file },
    );
  return definition;
}
