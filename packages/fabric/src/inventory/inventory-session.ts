import { InventoryError } from "../errors/index.js";
import type { HostKwargs, HostSpec } from "../tasks/host-spec.js";
import { type InventoryHostKwargs, SECRET_VARS } from "./connection-vars.js";
import { Inventory } from "./inventory.js";
import { splitPattern } from "./patterns.js";

/** Pattern characters: a `-H` entry with none that matches nothing is a plain host name. */
const PATTERN_SYNTAX = /[:,&!*?~[\]]/;

/**
 * What `fab` does with a loaded inventory: `-H`/`-R` patterns, `--limit`, a task's `hosts`
 * pattern, each host's Connection options, `--list-hosts`.
 */
export class InventorySession {
  readonly inventory: Inventory;
  readonly limit: string | undefined;
  readonly #warn: (message: string) => void;

  constructor(inventory: Inventory, limit: string | undefined, warn: (message: string) => void) {
    this.inventory = inventory;
    this.limit = limit?.trim() ? limit : undefined;
    this.#warn = warn;
  }

  static async load(
    files: readonly string[],
    limit: string | undefined,
    warn: (message: string) => void,
  ): Promise<InventorySession> {
    return new InventorySession(await Inventory.load(files, { warn }), limit, warn);
  }

  /**
   * Hosts for patterns (`-H`, `-R`, a task's `hosts`), in order, each once, narrowed by `--limit`.
   * A plain name the inventory does not know stays a host of its own (`-H newbox` still works).
   */
  resolve(specs: readonly HostSpec[]): HostKwargs[] {
    const out: HostKwargs[] = [];
    const seen = new Set<string>();
    const add = (spec: HostKwargs, key: string) => {
      if (seen.has(key)) return;
      seen.add(key);
      out.push(spec);
    };
    for (const spec of specs) {
      if (typeof spec !== "string") {
        add(spec, JSON.stringify(spec));
        continue;
      }
      // Fabric's `user@host:port` shorthand is a host of its own, not an Ansible union.
      const pieces = spec.includes(",") ? spec.split(",").map((p) => p.trim()) : [spec.trim()];
      const literal = pieces.filter((p) => this.#isShorthand(p));
      const terms = splitPattern(pieces.filter((p) => p && !literal.includes(p)));
      const unknownPlain = terms.filter((t) => !PATTERN_SYNTAX.test(t) && !this.inventory.has(t));
      const known = terms.filter((t) => !unknownPlain.includes(t));
      if (known.length)
        for (const name of this.inventory.hostNames(known, this.limit))
          add(this.connectionOf(name), `inventory:${name}`);
      // Names outside the inventory: as without one (but never past a --limit).
      for (const name of [...literal, ...unknownPlain]) {
        if (this.limit) {
          this.#warn(`${name} is not in the inventory: left out by --limit`);
          continue;
        }
        add({ host: name }, JSON.stringify({ host: name }));
      }
    }
    return out;
  }

  /** `deploy@web1`, `web1:2222`: a Fabric host string rather than a pattern (unless the inventory knows it). */
  #isShorthand(piece: string): boolean {
    if (this.inventory.has(piece)) return false;
    if (/^[^@:[\]]+@/.test(piece)) return true;
    const port = /^([^:[\]]+):([0-9]+)$/.exec(piece);
    return port !== null && !this.inventory.has(port[2]!);
  }

  /** `--limit` alone (no `-H`/`-R`, no task hosts): every inventory host it selects. */
  limited(): HostKwargs[] {
    return this.limit ? this.resolve(["all"]) : [];
  }

  connectionOf(name: string): InventoryHostKwargs {
    return this.inventory.connectionOf(name);
  }

  /** `--list-hosts`: one host per line, or with `json` one `{"host","vars"}` line each (secrets masked). */
  listHosts(pattern: string, json: boolean): string {
    const hosts = this.inventory.select(pattern, this.limit);
    if (!json) return hosts.map((h) => `${h.name}\n`).join("");
    return hosts.map((h) => `${JSON.stringify({ host: h.name, vars: maskSecrets(h.vars) })}\n`).join("");
  }
}

function maskSecrets(vars: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, SECRET_VARS.has(k) ? "********" : v]));
}

export { InventoryError };
