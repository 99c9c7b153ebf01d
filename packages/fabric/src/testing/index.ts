// Test helpers for code that uses Connections, groups and fabfile tasks: no network, no SSH server.
export {
  MockExpectationError,
  NotMocked,
  UnexpectedCommand,
  UnexpectedHost,
} from "../errors/index.js";
export {
  type CommandExpectation,
  expectCommands,
  type MockCommandCall,
  type MockMethod,
} from "./expect-commands.js";
export { MockConnection, type MockConnectionOptions, mockConfig } from "./mock-connection.js";
export { MockHost, type MockHostOptions } from "./mock-host.js";
export { MockRemote, type MockRemoteOptions, startMockRemote } from "./mock-remote.js";
export { type MockFiles, MockSftp, type MockSftpOptions, type MockTransfer } from "./mock-sftp.js";
