import { FabricError, type FabricErrorCode, tagKind } from "./fabric-error.js";

/** A Connection was described inconsistently (Fabric raised `ValueError` for these). */
export class ConnectionSpecError extends FabricError {
  static {
    tagKind(ConnectionSpecError, "ConnectionSpecError");
  }
  override readonly code: FabricErrorCode = "INVALID_CONNECTION_SPEC";
}

/** A transfer was asked for with unusable paths or objects (Fabric's `ValueError`s in Transfer). */
export class TransferError extends FabricError {
  static {
    tagKind(TransferError, "TransferError");
  }
  override readonly code: FabricErrorCode = "INVALID_TRANSFER";
}

/** `Connection.from_v1` was given an env without a host (Fabric's `InvalidV1Env`). */
export class InvalidV1Env extends FabricError {
  static {
    tagKind(InvalidV1Env, "InvalidV1Env");
  }
  override readonly code: FabricErrorCode = "INVALID_V1_ENV";
}
