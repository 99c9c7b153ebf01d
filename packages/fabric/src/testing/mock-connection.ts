import type { Writable } from "node:stream";
import type {
  AsyncRunOptions,
  DisownedResult,
  DisownRunOptions,
  Result as InvokeResult,
  RunHandle,
  RunOptions,
  SudoOptions,
  SyncRunOptions,
} from "@fabric-ts/invoke";
import type { LocalTunnel, RemoteTunnel, SftpSession, SshClient } from "@fabric-ts/ssh-core";
import { FabricConfig } from "../config/fabric-config.js";
import { Connection, type ConnectionOptions } from "../connection/connection.js";
import { NotMocked } from "../errors/index.js";
import type { Result } from "../result.js";
import type { PutSource, TransferOptions, TransferResult } from "../transfer/transfer.js";
import type { CommandExpectation } from "./expect-commands.js";
import { MockHost, type MockHostOptions } from "./mock-host.js";

/** Connection options plus what the mocked host answers (or an existing {@link MockHost}). */
export interface MockConnectionOptions extends ConnectionOptions, MockHostOptions {
  /** Share a host's answers, files and call log with other mocks. */
  mock?: MockHost;
}

/**
 * A {@link Connection} that never dials: `run`/`sudo` answer from programmed results, `put`/`get`
 * use an in-memory {@link MockSftp}, `cd()`/`prefix()` are recorded. Pass it to a task body or a
 * function under test wherever a Connection is expected.
 * @example
 * const c = new MockConnection("web1", { run: { "readlink ~/app/current": "/srv/releases/2\n" }, otherwise: true });
 * await rollback.invoke(c);
 * c.expectCommands(["readlink ~/app/current", /^ln -sfn/]);
 */
export class MockConnection extends Connection {
  readonly mock: MockHost;

  constructor(host = "host", options: MockConnectionOptions = {}) {
    const { run, sudo, local, otherwise, repeat, files, home, mock, ...connectionOptions } = options;
    super(host, { ...connectionOptions, config: connectionOptions.config ?? mockConfig() });
    this.mock =
      mock ??
      new MockHost(this.originalHost, {
        ...(run !== undefined ? { run } : {}),
        ...(sudo !== undefined ? { sudo } : {}),
        ...(local !== undefined ? { local } : {}),
        ...(otherwise !== undefined ? { otherwise } : {}),
        ...(repeat !== undefined ? { repeat } : {}),
        ...(files !== undefined ? { files } : {}),
        ...(home !== undefined ? { home } : {}),
      });
  }

  /** Every command this connection's host received. */
  get calls(): MockHost["calls"] {
    return this.mock.calls;
  }

  /** The commands received, in order (all methods). */
  get commands(): string[] {
    return this.mock.commands;
  }

  /** The host's in-memory files and downloads. */
  get sftpMock(): MockHost["sftp"] {
    return this.mock.sftp;
  }

  override get isConnected(): boolean {
    return false;
  }

  override async open(): Promise<void> {}

  override async close(): Promise<void> {}

  override openClient(): Promise<SshClient> {
    return Promise.reject(new NotMocked(`${this.originalHost}: MockConnection has no SSH client`));
  }

  override sftp(): Promise<SftpSession> {
    return Promise.reject(
      new NotMocked(`${this.originalHost}: raw SFTP sessions are not mocked; use put()/get()`),
    );
  }

  override run(command: string, options: AsyncRunOptions): Promise<RunHandle>;
  override run(command: string, options: DisownRunOptions): Promise<DisownedResult>;
  override run(command: string, options?: SyncRunOptions): Promise<Result>;
  override run(command: string, options?: RunOptions): Promise<Result | RunHandle>;
  override async run(command: string, options: RunOptions = {}): Promise<InvokeResult | RunHandle> {
    return this.mock.answer(this, "run", command, options);
  }

  override sudo(command: string, options: SudoOptions & AsyncRunOptions): Promise<RunHandle>;
  override sudo(command: string, options: SudoOptions & DisownRunOptions): Promise<DisownedResult>;
  override sudo(command: string, options?: SudoOptions & SyncRunOptions): Promise<Result>;
  override sudo(command: string, options?: SudoOptions): Promise<Result | RunHandle>;
  override async sudo(command: string, options: SudoOptions = {}): Promise<InvokeResult | RunHandle> {
    return this.mock.answer(this, "sudo", command, options);
  }

  override local(command: string, options: AsyncRunOptions): Promise<RunHandle>;
  override local(command: string, options: DisownRunOptions): Promise<DisownedResult>;
  override local(command: string, options?: SyncRunOptions): Promise<InvokeResult>;
  override local(command: string, options?: RunOptions): Promise<InvokeResult | RunHandle>;
  override local(command: string, options: RunOptions = {}): Promise<InvokeResult | RunHandle> {
    if (!this.mock.mocksLocal) return super.local(command, options);
    return this.mock.answer(this, "local", command, options);
  }

  override put(local: PutSource, remote?: string, options?: TransferOptions): Promise<TransferResult> {
    return this.mock.sftp.put(this, local, remote, options);
  }

  override get(
    remote: string,
    local?: string | Writable,
    options?: TransferOptions,
  ): Promise<TransferResult> {
    return this.mock.sftp.get(this, remote, local, options);
  }

  override shell(): Promise<Result> {
    return Promise.reject(new NotMocked(`${this.originalHost}: interactive shells are not mocked`));
  }

  override forwardLocal(): Promise<LocalTunnel> {
    return Promise.reject(new NotMocked(`${this.originalHost}: port forwarding is not mocked`));
  }

  override forwardRemote(): Promise<RemoteTunnel> {
    return Promise.reject(new NotMocked(`${this.originalHost}: port forwarding is not mocked`));
  }

  /** Assert the commands this host received, in order. */
  expectCommands(expected: readonly CommandExpectation[]): void {
    this.mock.expectCommands(expected);
  }

  /** Assert every programmed command was used. */
  verify(): void {
    this.mock.verify();
  }
}

/**
 * A config for mocks: Fabric's defaults and no files at all (no `~/.ssh/config`, no
 * `~/.fabric.yaml`), so a developer's own setup cannot change what a unit test sees.
 */
export function mockConfig(overrides: Record<string, unknown> = {}): FabricConfig {
  return new FabricConfig({ lazy: true, overrides: { loadSshConfigs: false, ...overrides } });
}
