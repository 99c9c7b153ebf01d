// How `fab` uses an inventory. Imported at start-up: everything heavy is imported on demand, and
// only when an inventory is in play (`--inventory`, config `inventory`, or a default file).
import type { FabricConfig } from "../config/fabric-config.js";
import { NoHostsMatched, NoInventory } from "../errors/index.js";
import { type HostKwargs, type HostSpec, normalizeHosts, parseHostsFlag } from "../tasks/host-spec.js";
import { inventoryFiles } from "./files.js";
import type { Inventory } from "./inventory.js";
import type { InventorySession } from "./inventory-session.js";

/** What the program hands over: its flag values, config and where the fabfile is. */
export interface InventoryCli {
  coreValue(name: string): unknown;
  config: FabricConfig;
  projectDir: string | undefined;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** The hosts a run uses, as the executor takes them. */
export interface RunHosts {
  /** `-H`/`-R` (or, for `fab --limit … -- cmd`, the limit's hosts): they replace the tasks' own. */
  hosts: HostKwargs[];
  resolveHosts?: (hosts: readonly HostSpec[]) => HostKwargs[];
  inventory?: Inventory;
}

function flagText(cli: InventoryCli, name: string): string | undefined {
  const value = cli.coreValue(name);
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}

/** Whether `--list-hosts` was given (with or without a pattern). */
export function wantsHostList(cli: Pick<InventoryCli, "coreValue">): boolean {
  const value = cli.coreValue("list-hosts");
  return value !== undefined && value !== false;
}

/** The loaded inventory, or undefined when none is in play. */
export async function openInventory(cli: InventoryCli): Promise<InventorySession | undefined> {
  const files = inventoryFiles({
    flags: (cli.coreValue("inventory") as string[] | undefined) ?? [],
    configured: cli.config.get<string | string[] | null>("inventory", null),
    projectDir: cli.projectDir,
  });
  if (files.length === 0) return undefined;
  const { InventorySession } = await import("./inventory-session.js");
  return InventorySession.load(files, flagText(cli, "limit"), (message) =>
    cli.stderr.write(`[WARNING]: ${message}\n`),
  );
}

/** `fab --list-hosts [PATTERN] [--json]`: the pattern, else `-H`/`-R`, else `all`. */
export async function printHostList(cli: InventoryCli): Promise<void> {
  const session = await openInventory(cli);
  if (!session) throw new NoInventory("--list-hosts");
  const given = cli.coreValue("list-hosts");
  const pattern =
    (typeof given === "string" && given.trim() ? given : undefined) ??
    [flagText(cli, "hosts"), flagText(cli, "roles")].filter(Boolean).join(",") ??
    "all";
  cli.stdout.write(session.listHosts(pattern || "all", cli.coreValue("json") === true));
}

/** Hosts for the run: plain `-H` names without an inventory; patterns through it with one. */
export async function runHosts(cli: InventoryCli, remainderOnly: boolean): Promise<RunHosts> {
  const hostsFlag = flagText(cli, "hosts");
  const roles = flagText(cli, "roles");
  const limit = flagText(cli, "limit");
  const session = await openInventory(cli);
  if (!session) {
    if (roles !== undefined) throw new NoInventory("-R/--roles");
    if (limit !== undefined) throw new NoInventory("--limit");
    return { hosts: normalizeHosts(parseHostsFlag(hostsFlag)) };
  }
  const patterns = [hostsFlag, roles].filter((p): p is string => p !== undefined);
  const hosts = patterns.length ? session.resolve(patterns) : remainderOnly ? session.limited() : [];
  if (patterns.length && hosts.length === 0) throw new NoHostsMatched(patterns.join(","), limit);
  return {
    hosts,
    resolveHosts: (specs) => (specs.length === 0 && limit ? session.limited() : session.resolve(specs)),
    inventory: session.inventory,
  };
}
