import { FabricError, type FabricErrorCode, tagKind } from "./fabric-error.js";

/**
 * A bad inventory: names the file and, when known, the line (`inventory.ini:12: …`). Thrown while
 * reading a source; `fab` prints the message and exits 1.
 */
export class InventoryError extends FabricError {
  static {
    tagKind(InventoryError, "InventoryError");
  }
  override readonly code: FabricErrorCode = "INVENTORY_ERROR";
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(message: string, where: { file?: string | undefined; line?: number | undefined } = {}) {
    const prefix = where.file ? `${where.file}${where.line ? `:${where.line}` : ""}: ` : "";
    super(`${prefix}${message}`);
    this.name = "InventoryError";
    this.file = where.file;
    this.line = where.line;
  }
}

/** A host pattern that cannot be evaluated (bad regex, subscript past the end). Code `INVENTORY_ERROR`. */
export class PatternError extends InventoryError {
  static {
    tagKind(PatternError, "PatternError");
  }
  constructor(message: string) {
    super(message);
    this.name = "PatternError";
  }
}

/** A flag that needs an inventory, and none was found. */
export class NoInventory extends FabricError {
  static {
    tagKind(NoInventory, "NoInventory");
  }
  override readonly code: FabricErrorCode = "NO_INVENTORY";
  constructor(flag: string) {
    super(
      `${flag} needs an inventory: give --inventory FILE, set 'inventory' in the config, or put inventory.ini/inventory.yml/inventory.ts/hosts beside the fabfile.`,
    );
    this.name = "NoInventory";
  }
}

/** `-H`/`-R` selected no host. */
export class NoHostsMatched extends FabricError {
  static {
    tagKind(NoHostsMatched, "NoHostsMatched");
  }
  override readonly code: FabricErrorCode = "NO_HOSTS_MATCHED";
  constructor(pattern: string, limit: string | undefined) {
    super(`No hosts matched '${pattern}'${limit ? ` with --limit '${limit}'` : ""} in the inventory.`);
    this.name = "NoHostsMatched";
  }
}
