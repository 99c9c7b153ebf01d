import { FabricError, type FabricErrorCode, tagKind } from "./fabric-error.js";

/** A mocked host was asked to run a command nobody programmed an answer for. */
export class UnexpectedCommand extends FabricError {
  static {
    tagKind(UnexpectedCommand, "UnexpectedCommand");
  }
  override readonly code: FabricErrorCode = "UNEXPECTED_COMMAND";
  readonly host: string;
  readonly method: string;
  readonly command: string;

  constructor(host: string, method: string, command: string, known: readonly string[]) {
    const list =
      known.length > 0 ? `\nProgrammed ${method} answers:\n${known.map((k) => `  ${k}`).join("\n")}` : "";
    super(`${host}: no mocked answer for ${method}(${JSON.stringify(command)})${list}`);
    this.host = host;
    this.method = method;
    this.command = command;
  }
}

/** A Connection to a host the {@link MockRemote} was not told about. */
export class UnexpectedHost extends FabricError {
  static {
    tagKind(UnexpectedHost, "UnexpectedHost");
  }
  override readonly code: FabricErrorCode = "UNEXPECTED_HOST";
  readonly host: string;

  constructor(host: string, known: readonly string[]) {
    super(
      `MockRemote: no mocked host ${JSON.stringify(host)} (mocked: ${known.length > 0 ? known.join(", ") : "none"})`,
    );
    this.host = host;
  }
}

/** Something a mock cannot do (raw SFTP sessions, tunnels, interactive shells). */
export class NotMocked extends FabricError {
  static {
    tagKind(NotMocked, "NotMocked");
  }
  override readonly code: FabricErrorCode = "NOT_MOCKED";
}

/** Recorded commands differ from the expected ones, or programmed answers were never used. */
export class MockExpectationError extends FabricError {
  static {
    tagKind(MockExpectationError, "MockExpectationError");
  }
  override readonly code: FabricErrorCode = "MOCK_EXPECTATION_FAILED";
}
