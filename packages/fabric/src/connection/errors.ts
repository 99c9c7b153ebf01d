/** Base class of Fabric's own errors; `code` is stable, match on it rather than on the text. */
export class FabricError extends Error {
  readonly code: string = "FABRIC_ERROR";

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A Connection was described inconsistently (Fabric raised `ValueError` for these). */
export class ConnectionSpecError extends FabricError {
  override readonly code: string = "INVALID_CONNECTION_SPEC";
}

/** A transfer was asked for with unusable paths or objects (Fabric's `ValueError`s in Transfer). */
export class TransferError extends FabricError {
  override readonly code: string = "INVALID_TRANSFER";
}
