// Every error @fabric-ts/fabric throws: FabricError and its subclasses, each with a stable `code`,
// the cross-copy guard `isFabricError`, and the classification of ssh-core failures.
export { ConnectionSpecError, InvalidV1Env, TransferError } from "./connection.js";
export {
  FabricError,
  type FabricErrorClasses,
  type FabricErrorClassName,
  type FabricErrorCode,
  type FabricErrorCodes,
  type FabricErrorSelector,
  isFabricError,
  type SelectedFabricError,
} from "./fabric-error.js";
export {
  InvalidAnswer,
  PromptUnavailable,
  RebootFailed,
  RemoteFileError,
  ValidationFailed,
} from "./helpers.js";
export { GroupException, HostSkipped, HostsFailed, NothingToDo } from "./hosts.js";
export { InventoryError, NoHostsMatched, NoInventory, PatternError } from "./inventory.js";
export { isTransportError, isUnreachableError, UNREACHABLE_CODES } from "./ssh-failures.js";
export { MockExpectationError, NotMocked, UnexpectedCommand, UnexpectedHost } from "./testing.js";
