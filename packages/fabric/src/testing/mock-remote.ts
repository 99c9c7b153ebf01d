import type { Writable } from "node:stream";
import type { RunOptions, SudoOptions } from "@fabric-ts/invoke";
import type { FabricConfig } from "../config/fabric-config.js";
import { Connection, type ConnectionOptions } from "../connection/connection.js";
import { MockExpectationError, NotMocked, UnexpectedHost } from "../errors/index.js";
import type { PutSource, TransferOptions } from "../transfer/transfer.js";
import { type CommandExpectation, expectCommands, type MockCommandCall } from "./expect-commands.js";
import { mockConfig } from "./mock-connection.js";
import { MockHost, type MockHostOptions } from "./mock-host.js";

/** The hosts a {@link MockRemote} answers for. */
export interface MockRemoteOptions {
  /** The hosts that may be connected to, by name (as given to Connection/groups/`-H`), with their answers. */
  hosts?: Readonly<Record<string, MockHostOptions>>;
  /** Answers for any host not listed; without it, connecting to an unlisted host throws {@link UnexpectedHost}. */
  otherHosts?: MockHostOptions;
}

type Method = (this: Connection, ...args: never[]) => unknown;

let active: MockRemote | null = null;

/**
 * Mocks the network for every {@link Connection} while started, including Connections your code
 * creates itself (groups, `new Connection(...)` inside a task): each is matched by host name to a
 * {@link MockHost} that answers its commands and transfers. Nothing is dialled. Fabric's `MockRemote`,
 * but at the Connection level instead of Paramiko's client.
 * @example
 * using remote = startMockRemote({ hosts: { web1: { otherwise: true }, web2: { otherwise: true } } });
 * await restartAll(); // creates a ThreadingGroup("web1", "web2") internally
 * remote.expectCommands({ web1: ["systemctl restart app"], web2: ["systemctl restart app"] });
 */
export class MockRemote {
  /** A config without files (no `~/.ssh/config`): give it to the Connections and groups you build. */
  readonly config: FabricConfig = mockConfig();
  /** Every call on every host, in the order they were made. */
  readonly calls: MockCommandCall[] = [];
  readonly #hosts = new Map<string, MockHost>();
  readonly #otherHosts: MockHostOptions | undefined;
  #saved: Map<PropertyKey, PropertyDescriptor | undefined> | null = null;

  constructor(options: MockRemoteOptions = {}) {
    for (const [name, answers] of Object.entries(options.hosts ?? {})) this.expect(name, answers);
    this.#otherHosts = options.otherHosts;
  }

  /** Add (or replace) a mocked host. */
  expect(name: string, options: MockHostOptions = {}): MockHost {
    const host = new MockHost(name, options);
    this.#hosts.set(name, host);
    return host;
  }

  /** The mocked host of that name. @throws {UnexpectedHost} */
  host(name: string): MockHost {
    const host = this.#hosts.get(name);
    if (!host) throw new UnexpectedHost(name, [...this.#hosts.keys()]);
    return host;
  }

  get hosts(): MockHost[] {
    return [...this.#hosts.values()];
  }

  get started(): boolean {
    return this.#saved !== null;
  }

  /** A Connection to a mocked host, over {@link config} unless options give another. */
  connection(host: string, options: ConnectionOptions = {}): Connection {
    return new Connection(host, { config: this.config, ...options });
  }

  /** What `get()` wrote on every host, by local path. */
  get downloads(): Map<string, Buffer> {
    const all = new Map<string, Buffer>();
    for (const host of this.#hosts.values())
      for (const [path, data] of host.sftp.downloads) all.set(path, data);
    return all;
  }

  /** Patch Connection so every instance talks to these mocks. Only one MockRemote may be started at a time. */
  start(): this {
    if (this.#saved) return this;
    if (active) throw new NotMocked("another MockRemote is already started; stop it first");
    const proto = Connection.prototype as unknown as Record<PropertyKey, unknown>;
    const saved = new Map<PropertyKey, PropertyDescriptor | undefined>();
    const replace = (name: PropertyKey, descriptor: PropertyDescriptor) => {
      saved.set(name, Object.getOwnPropertyDescriptor(proto, name));
      Object.defineProperty(proto, name, { configurable: true, ...descriptor });
    };
    const method = (fn: Method): PropertyDescriptor => ({ value: fn, writable: true });
    const remote = this;
    const originalLocal = Connection.prototype.local;

    replace("isConnected", { get: () => false });
    for (const name of ["open", "close", "releaseLease"])
      replace(
        name,
        method(async () => {}),
      );
    for (const name of [
      "openClient",
      "acquireLease",
      "sftp",
      "shell",
      "forwardLocal",
      "forwardRemote",
      "openGateway",
    ]) {
      replace(
        name,
        method(function (this: Connection) {
          return Promise.reject(new NotMocked(`${this.originalHost}: ${name}() is not mocked by MockRemote`));
        }),
      );
    }
    replace(
      "run",
      method(function (this: Connection, command: string, options?: RunOptions) {
        return remote.#answer(this, "run", command, options);
      } as Method),
    );
    replace(
      "sudo",
      method(function (this: Connection, command: string, options?: SudoOptions) {
        return remote.#answer(this, "sudo", command, options);
      } as Method),
    );
    replace(
      "local",
      method(function (this: Connection, command: string, options?: RunOptions) {
        const host = remote.#hostFor(this);
        if (!host.mocksLocal) return (originalLocal as Connection["local"]).call(this, command, options);
        return remote.#answer(this, "local", command, options);
      } as Method),
    );
    replace(
      "put",
      method(function (this: Connection, local: PutSource, path?: string, options?: TransferOptions) {
        return remote.#hostFor(this).sftp.put(this, local, path, options);
      } as Method),
    );
    replace(
      "get",
      method(function (this: Connection, path: string, local?: string | Writable, options?: TransferOptions) {
        return remote.#hostFor(this).sftp.get(this, path, local, options);
      } as Method),
    );
    this.#saved = saved;
    active = this;
    return this;
  }

  /** Undo the patching (idempotent). */
  stop(): void {
    const saved = this.#saved;
    if (!saved) return;
    const proto = Connection.prototype as unknown as Record<PropertyKey, unknown>;
    for (const [name, descriptor] of saved) {
      if (descriptor) Object.defineProperty(proto, name, descriptor);
      else delete proto[name];
    }
    this.#saved = null;
    if (active === this) active = null;
  }

  [Symbol.dispose](): void {
    this.stop();
  }

  /**
   * Assert each listed host's commands, in order. Hosts not listed must have received nothing.
   * @throws {MockExpectationError}
   */
  expectCommands(expected: Readonly<Record<string, readonly CommandExpectation[]>>): void {
    const failures: string[] = [];
    for (const host of new Set([...Object.keys(expected), ...this.#hosts.keys()])) {
      const calls = this.#hosts.get(host)?.calls ?? [];
      try {
        expectCommands(calls, expected[host] ?? [], host);
      } catch (error) {
        failures.push((error as Error).message);
      }
    }
    if (failures.length > 0) throw new MockExpectationError(failures.join("\n"));
  }

  /**
   * Fabric's `safety()`: every listed host was used (a command or a transfer) and every programmed
   * command was run. @throws {MockExpectationError}
   */
  verify(): void {
    const problems: string[] = [];
    for (const host of this.#hosts.values()) {
      if (host.calls.length === 0 && host.sftp.transfers.length === 0) {
        problems.push(`${host.name}: never used`);
        continue;
      }
      try {
        host.verify();
      } catch (error) {
        problems.push((error as Error).message);
      }
    }
    if (problems.length > 0) throw new MockExpectationError(problems.join("\n"));
  }

  #hostFor(connection: Connection): MockHost {
    const found = this.#hosts.get(connection.originalHost) ?? this.#hosts.get(connection.host);
    if (found) return found;
    if (this.#otherHosts) return this.expect(connection.originalHost, this.#otherHosts);
    throw new UnexpectedHost(connection.originalHost, [...this.#hosts.keys()]);
  }

  async #answer(
    connection: Connection,
    method: "run" | "sudo" | "local",
    command: string,
    options: RunOptions | SudoOptions = {},
  ) {
    const host = this.#hostFor(connection);
    const before = host.calls.length;
    try {
      return await host.answer(connection, method, command, options);
    } finally {
      const call = host.calls[before];
      if (call) this.calls.push(call);
    }
  }
}

/** A started {@link MockRemote}; `using remote = startMockRemote(...)` stops it at the end of the scope. */
export function startMockRemote(options: MockRemoteOptions = {}): MockRemote {
  return new MockRemote(options).start();
}
