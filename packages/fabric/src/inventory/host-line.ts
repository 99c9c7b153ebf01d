import { InventoryError } from "../errors/index.js";
import { expandHostRange, hasRange, splitHostPort } from "./host-range.js";
import type { InventoryData, Vars } from "./model.js";

/**
 * Add the hosts a pattern stands for (`web[01:03].example.com:2222`) to `group`, each with `vars`
 * set after the pattern's port (so an inline `ansible_port` wins).
 */
export function addHostPattern(
  data: InventoryData,
  pattern: string,
  group: string,
  vars: Vars,
  ini: boolean,
): void {
  const { name, port } = splitHostPort(pattern);
  if (ini && port === undefined && pattern.trim().endsWith(":"))
    throw new InventoryError(
      `Invalid host pattern '${pattern}' supplied, ending in ':' is not allowed, this character is reserved to provide a port.`,
    );
  let names: string[];
  try {
    names = hasRange(name) ? expandHostRange(name) : [name];
  } catch (error) {
    throw new InventoryError(`${(error as Error).message} (in host pattern '${pattern}')`);
  }
  for (const host of names) {
    if (ini && host.trim() === "---")
      throw new InventoryError(
        `Invalid host pattern '${host}' supplied, '---' is normally a sign this is a YAML file.`,
      );
    const added = data.addHost(host, group, port);
    for (const [key, value] of Object.entries(vars)) added.vars[key] = value;
  }
}
