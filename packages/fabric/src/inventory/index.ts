// Ansible inventories for fab: loaded on demand (nothing here is imported unless an inventory is used).
export { type InventoryHostKwargs, hostKwargsFromVars, SECRET_VARS, sshArgsToOptions } from "./connection-vars.js";
export { InventoryError } from "./errors.js";
export { inventoryListJson } from "./list-json.js";
export { Inventory, type LoadInventoryOptions, type SelectedHost } from "./inventory.js";
export { splitPattern } from "./patterns.js";
export { parseIniValue, type InventoryValue } from "./python-literal.js";
export {
  defineInventory,
  type InventoryDefinition,
  type InventoryGroupDefinition,
  type VarsOf,
  type VarsSchema,
} from "./typed.js";
