import { errorKindsOf, tagErrorKind } from "@fabric-ts/invoke/errors";
import type { ConnectionSpecError, InvalidV1Env, TransferError } from "./connection.js";
import type {
  InvalidAnswer,
  PromptUnavailable,
  RebootFailed,
  RemoteFileError,
  ValidationFailed,
} from "./helpers.js";
import type { GroupException, HostSkipped, HostsFailed, NothingToDo } from "./hosts.js";
import type { InventoryError, NoHostsMatched, NoInventory, PatternError } from "./inventory.js";
import type { MockExpectationError, NotMocked, UnexpectedCommand, UnexpectedHost } from "./testing.js";

/** Where fabric's error classes write their kind tag (see {@link isFabricError}). */
const KIND = Symbol.for("@fabric-ts/fabric.error-kind");

/**
 * Tags a class's prototype with its name, so {@link isFabricError} recognises its errors even when
 * they come from another copy of the package (where `instanceof` fails) or a minified build.
 */
export function tagKind(cls: { readonly prototype: object }, kind: FabricErrorClassName): void {
  tagErrorKind(cls, KIND, kind);
}

/**
 * Base class of Fabric's own errors; `code` is stable, match on it rather than on the text. Test with
 * {@link isFabricError} rather than `instanceof`.
 */
export class FabricError extends Error {
  static {
    tagKind(FabricError, "FabricError");
  }
  readonly code: FabricErrorCode = "FABRIC_ERROR";

  constructor(message?: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Every fabric error class by name: what `isFabricError(e, "Name")` narrows to. */
export interface FabricErrorClasses {
  FabricError: FabricError;
  ConnectionSpecError: ConnectionSpecError;
  TransferError: TransferError;
  InvalidV1Env: InvalidV1Env;
  RemoteFileError: RemoteFileError;
  ValidationFailed: ValidationFailed;
  PromptUnavailable: PromptUnavailable;
  InvalidAnswer: InvalidAnswer;
  RebootFailed: RebootFailed;
  InventoryError: InventoryError;
  PatternError: PatternError;
  NoInventory: NoInventory;
  NoHostsMatched: NoHostsMatched;
  HostSkipped: HostSkipped;
  GroupException: GroupException;
  NothingToDo: NothingToDo;
  HostsFailed: HostsFailed;
  UnexpectedCommand: UnexpectedCommand;
  UnexpectedHost: UnexpectedHost;
  NotMocked: NotMocked;
  MockExpectationError: MockExpectationError;
}

export type FabricErrorClassName = keyof FabricErrorClasses;

/** Every `code` a fabric error carries, with the class that carries it. */
export interface FabricErrorCodes {
  FABRIC_ERROR: FabricError;
  INVALID_CONNECTION_SPEC: ConnectionSpecError;
  INVALID_TRANSFER: TransferError;
  INVALID_V1_ENV: InvalidV1Env;
  REMOTE_FILE_FAILED: RemoteFileError;
  VALIDATION_FAILED: ValidationFailed;
  PROMPT_UNAVAILABLE: PromptUnavailable;
  INVALID_ANSWER: InvalidAnswer;
  REBOOT_FAILED: RebootFailed;
  /** `InventoryError` and its subclass `PatternError`. */
  INVENTORY_ERROR: InventoryError;
  NO_INVENTORY: NoInventory;
  NO_HOSTS_MATCHED: NoHostsMatched;
  HOST_SKIPPED: HostSkipped;
  GROUP_FAILED: GroupException;
  NOTHING_TO_DO: NothingToDo;
  HOSTS_FAILED: HostsFailed;
  UNEXPECTED_COMMAND: UnexpectedCommand;
  UNEXPECTED_HOST: UnexpectedHost;
  NOT_MOCKED: NotMocked;
  MOCK_EXPECTATION_FAILED: MockExpectationError;
}

/** The stable codes of fabric's errors (see {@link FabricErrorCodes} for which class carries which). */
export type FabricErrorCode = keyof FabricErrorCodes;

/** What `isFabricError`'s second argument accepts: a class name or a code. */
export type FabricErrorSelector = FabricErrorClassName | FabricErrorCode;

/** The error type a selector narrows to: the named class (its subclasses included), or the carrier of a code. */
export type SelectedFabricError<S extends FabricErrorSelector> = S extends FabricErrorClassName
  ? FabricErrorClasses[S]
  : S extends FabricErrorCode
    ? FabricErrorCodes[S] & { readonly code: S }
    : never;

/**
 * Whether `value` is an error thrown by `@fabric-ts/fabric`, from this copy of the package or any
 * other (errors are recognised by a tag on their class, not by `instanceof`; a plain `Error` whose
 * `name` is "HostsFailed" is not one). With a class name, true for that class and its subclasses
 * (`"InventoryError"` covers `PatternError`); with a code, true when the error carries that code.
 * @example if (isFabricError(error, "HostsFailed")) process.exitCode = error.exitCode
 */
export function isFabricError(value: unknown): value is FabricError;
export function isFabricError<S extends FabricErrorSelector>(
  value: unknown,
  select: S,
): value is SelectedFabricError<S>;
export function isFabricError(value: unknown, select?: FabricErrorSelector): boolean {
  const kinds = errorKindsOf(value, KIND);
  if (!kinds.includes("FabricError")) return false;
  return select === undefined || kinds.includes(select) || (value as { code?: unknown }).code === select;
}
