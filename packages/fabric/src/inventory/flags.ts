// The inventory flags of `fab`. Light on purpose: the program imports this at start-up; the
// inventory itself (parsers, yaml) is imported only when one is in play (see ./session.ts).
import { Argument } from "@fabric-ts/invoke";

/** `--inventory`, `--limit`, `-R/--roles` and `--list-hosts`. */
export function inventoryArgs(): Argument[] {
  return [
    new Argument({
      names: ["inventory"],
      kind: "list",
      help: "Ansible inventory file (INI, YAML or inventory.ts). May be given multiple times.",
    }),
    new Argument({
      names: ["limit"],
      help: "Narrow the hosts to an Ansible host pattern (e.g. 'web:!web3').",
    }),
    new Argument({
      names: ["roles", "R"],
      help: "Inventory group(s) or host pattern to run on (Fabric 1's roles).",
    }),
    new Argument({
      names: ["list-hosts"],
      optional: true,
      help: "Print the hosts a pattern selects (default: -H/-R or all), one per line, and exit.",
    }),
  ];
}

/**
 * `-R` is `--roles` in fab (Fabric 1's habit): Invoke's `--dry` keeps its long name only.
 */
export function withRolesShortFlag(args: Argument[]): Argument[] {
  return args.map((arg) =>
    arg.names.includes("dry") && arg.names.includes("R")
      ? new Argument({ names: ["dry"], kind: "bool", default: false, help: arg.help ?? "" })
      : arg,
  );
}

/** Whether argv's core flags bring an inventory into play (beyond config and a default file). */
export interface InventoryFlags {
  files: string[];
  limit: string | undefined;
  roles: string | undefined;
  /** `--list-hosts`: true (no pattern), a pattern, or undefined when absent. */
  listHosts: string | true | undefined;
}
