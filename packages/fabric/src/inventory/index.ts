// Ansible inventories for fab: loaded on demand (nothing here is imported unless an inventory is used).

export { InventoryError } from "../errors/index.js";
export {
  hostKwargsFromVars,
  type InventoryHostKwargs,
  SECRET_VARS,
  sshArgsToOptions,
} from "./connection-vars.js";
export { Inventory, type LoadInventoryOptions, type SelectedHost } from "./inventory.js";
export { inventoryListJson } from "./list-json.js";
export { splitPattern } from "./patterns.js";
export { type InventoryValue, parseIniValue } from "./python-literal.js";
export {
  defineInventory,
  type InventoryDefinition,
  type InventoryGroupDefinition,
  type VarsOf,
  type VarsSchema,
} from "./typed.js";
