import { FabricError, type FabricErrorCode, tagKind } from "./fabric-error.js";

/** A file helper could not read, write or inspect a remote file (the cause says why). */
export class RemoteFileError extends FabricError {
  static {
    tagKind(RemoteFileError, "RemoteFileError");
  }
  override readonly code: FabricErrorCode = "REMOTE_FILE_FAILED";
}

/** A template's `validate` command refused the rendered file; the live file was left untouched. */
export class ValidationFailed extends FabricError {
  static {
    tagKind(ValidationFailed, "ValidationFailed");
  }
  override readonly code: FabricErrorCode = "VALIDATION_FAILED";
  constructor(
    message: string,
    /** The validator's exit code. */
    readonly exitCode: number,
    /** What the validator printed (stdout then stderr). */
    readonly output: string,
  ) {
    super(message);
  }
}

/** A prompt needed an answer and there is no terminal to ask on, nor an answer in config or env. */
export class PromptUnavailable extends FabricError {
  static {
    tagKind(PromptUnavailable, "PromptUnavailable");
  }
  override readonly code: FabricErrorCode = "PROMPT_UNAVAILABLE";
}

/** An answer given in config or env failed the prompt's validation. */
export class InvalidAnswer extends FabricError {
  static {
    tagKind(InvalidAnswer, "InvalidAnswer");
  }
  override readonly code: FabricErrorCode = "INVALID_ANSWER";
}

/** A rebooted host did not go down, or did not answer SSH again, in time; or came back with another host key. */
export class RebootFailed extends FabricError {
  static {
    tagKind(RebootFailed, "RebootFailed");
  }
  override readonly code: FabricErrorCode = "REBOOT_FAILED";
}
