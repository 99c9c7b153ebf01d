import type { Inventory } from "./inventory.js";
import type { InventoryGroup } from "./model.js";

/**
 * The inventory as `ansible-inventory --list` prints it: each group's own hosts and children
 * (empty groups left out), and `_meta.hostvars` with the merged vars of every host that has any.
 */
export function inventoryListJson(inventory: Inventory): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  const format = (group: InventoryGroup) => {
    const entry: { hosts?: string[]; children?: string[] } = {};
    if (group.name !== "all" && group.hosts.length) entry.hosts = group.hosts.map((h) => h.name);
    if (group.children.length) entry.children = group.children.map((g) => g.name);
    if (entry.hosts || entry.children) out[group.name] = entry;
    for (const child of group.children) {
      if (seen.has(child.name)) continue;
      seen.add(child.name);
      format(child);
    }
  };
  format(inventory.data.all);
  const hostvars: Record<string, unknown> = {};
  for (const name of inventory.data.hosts.keys()) {
    const vars = inventory.vars(name);
    if (Object.keys(vars).length) hostvars[name] = vars;
  }
  return { _meta: { hostvars }, ...out };
}
