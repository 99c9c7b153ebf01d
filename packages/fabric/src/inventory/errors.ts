/**
 * A bad inventory: names the file and, when known, the line (`inventory.ini:12: …`). Thrown while
 * reading a source; `fab` prints the message and exits 1.
 */
export class InventoryError extends Error {
  readonly code = "INVENTORY_ERROR";
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
