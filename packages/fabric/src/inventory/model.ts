import { InventoryError } from "../errors/index.js";
import type { InventoryValue } from "./python-literal.js";

export type Vars = Record<string, InventoryValue>;

/** A group of an inventory: its own hosts and child groups in the order they were added. */
export class InventoryGroup {
  readonly name: string;
  readonly hosts: InventoryHost[] = [];
  readonly children: InventoryGroup[] = [];
  readonly parents: InventoryGroup[] = [];
  /** Variables set on the group in the inventory sources (not group_vars/ files). */
  readonly vars: Vars = {};
  /** `ansible_group_priority`: among groups of the same depth, higher wins. @default 1 */
  priority = 1;

  constructor(name: string) {
    this.name = name;
  }

  setVariable(key: string, value: InventoryValue): void {
    if (key === "ansible_group_priority") this.priority = Math.trunc(Number(value));
    else this.vars[key] = value;
  }
}

/** A host of an inventory and the groups it was put in directly. */
export class InventoryHost {
  readonly name: string;
  readonly groups: InventoryGroup[] = [];
  /** Variables set on the host in the inventory sources (not host_vars/ files). */
  readonly vars: Vars = {};

  constructor(name: string) {
    this.name = name;
  }
}

/**
 * Hosts and groups as read from one or more sources, with `all` and `ungrouped` always present.
 * `reconcile()` finishes it the way Ansible does once every source was read.
 */
export class InventoryData {
  readonly groups = new Map<string, InventoryGroup>();
  readonly hosts = new Map<string, InventoryHost>();

  constructor() {
    this.addGroup("all");
    this.addGroup("ungrouped");
    this.addChild("all", "ungrouped");
  }

  get all(): InventoryGroup {
    return this.groups.get("all")!;
  }

  addGroup(name: string): InventoryGroup {
    if (!name) throw new InventoryError("Invalid empty/false group name provided");
    let group = this.groups.get(name);
    if (!group) {
      group = new InventoryGroup(name);
      this.groups.set(name, group);
    }
    return group;
  }

  /** Add a host (to `group` when given); `port` becomes its `ansible_port`. */
  addHost(name: string, group?: string, port?: number): InventoryHost {
    if (!name) throw new InventoryError("Invalid empty host name provided");
    let host = this.hosts.get(name);
    if (!host) {
      host = new InventoryHost(name);
      this.hosts.set(name, host);
    }
    if (port !== undefined) host.vars.ansible_port = port;
    if (group !== undefined) {
      const g = this.groups.get(group);
      if (!g) throw new InventoryError(`Could not find group ${group} in inventory`);
      if (!g.hosts.includes(host)) g.hosts.push(host);
      if (!host.groups.includes(g)) host.groups.push(g);
    }
    return host;
  }

  /** Make `child` (a group, or else a host) a member of group `parent`. */
  addChild(parent: string, child: string): void {
    const group = this.groups.get(parent);
    if (!group) throw new InventoryError(`${parent} is not a known group`);
    const kid = this.groups.get(child);
    if (kid) {
      if (kid === group) throw new InventoryError(`can't add group to itself: ${parent}`);
      if (!group.children.includes(kid)) {
        group.children.push(kid);
        kid.parents.push(group);
        if (ancestorsOf(group).has(kid))
          throw new InventoryError(`The group named '${kid.name}' has a recursive dependency loop.`);
      }
      return;
    }
    if (this.hosts.has(child)) {
      this.addHost(child, parent);
      return;
    }
    throw new InventoryError(`${child} is not a known host nor group`);
  }

  /** Top-level groups go under `all`; hosts in no group but `all`/`ungrouped` are `ungrouped`. */
  reconcile(): void {
    for (const group of this.groups.values()) {
      if (group.name !== "all" && group.parents.length === 0) this.addChild("all", group.name);
    }
    const all = this.all;
    const ungrouped = this.groups.get("ungrouped")!;
    for (const host of this.hosts.values()) {
      const others = host.groups.filter((g) => g !== all && g !== ungrouped);
      if (others.length > 0) {
        if (ungrouped.hosts.includes(host)) {
          ungrouped.hosts.splice(ungrouped.hosts.indexOf(host), 1);
          host.groups.splice(host.groups.indexOf(ungrouped), 1);
        }
      } else if (!host.groups.includes(ungrouped)) {
        this.addHost(host.name, "ungrouped");
      }
    }
  }
}

/** Every group above `group` (parents, their parents, …). */
export function ancestorsOf(group: InventoryGroup): Set<InventoryGroup> {
  const seen = new Set<InventoryGroup>();
  const queue = [...group.parents];
  while (queue.length) {
    const next = queue.shift()!;
    if (seen.has(next)) continue;
    seen.add(next);
    queue.push(...next.parents);
  }
  return seen;
}

/** Longest path from `all` (Ansible's group depth: `all` 0, its children 1, …). */
export function groupDepth(group: InventoryGroup, memo = new Map<InventoryGroup, number>()): number {
  const known = memo.get(group);
  if (known !== undefined) return known;
  memo.set(group, 0);
  const depth = group.parents.length ? Math.max(...group.parents.map((p) => groupDepth(p, memo) + 1)) : 0;
  memo.set(group, depth);
  return depth;
}

/**
 * The hosts of a group and of its descendants, each once. Ansible walks descendants level by level;
 * within a level below the direct children its order depends on Python's set hashing, so it varies
 * between runs. Here each level keeps the order of the level above (one of Ansible's orders).
 */
export function hostsOf(group: InventoryGroup): InventoryHost[] {
  const ordered: InventoryGroup[] = [group, ...group.children];
  const seen = new Set<InventoryGroup>([group, ...group.children]);
  let frontier = [...group.children];
  while (frontier.length) {
    const next: InventoryGroup[] = [];
    for (const g of frontier) {
      for (const kid of g.children) {
        if (seen.has(kid)) continue;
        seen.add(kid);
        ordered.push(kid);
        next.push(kid);
      }
    }
    frontier = next;
  }
  const hosts: InventoryHost[] = [];
  const seenHosts = new Set<InventoryHost>();
  for (const g of ordered) {
    for (const host of g.hosts) {
      if (seenHosts.has(host)) continue;
      seenHosts.add(host);
      hosts.push(host);
    }
  }
  return hosts;
}

/** Every group a host belongs to, directly or through a child group. */
export function groupsOfHost(host: InventoryHost): Set<InventoryGroup> {
  const out = new Set<InventoryGroup>();
  for (const g of host.groups) {
    out.add(g);
    for (const a of ancestorsOf(g)) out.add(a);
  }
  return out;
}
