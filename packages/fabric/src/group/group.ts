import type { Result, RunOptions, SudoOptions } from "@fabric-ts/invoke";
import { FabricConfig } from "../config/fabric-config.js";
import { Connection } from "../connection/connection.js";
import { GroupException, HostSkipped } from "../errors/index.js";
import { fanOut, type HostJob } from "../fanout/fanout.js";
import type { HostOutputOptions, HostStreams, OutputMode } from "../output/host-output.js";
import { ProgressBar } from "../output/progress.js";
import { routeOutput, withStreams } from "../output/route.js";
import { currentTaskSession } from "../tasks/task-session.js";
import { GroupResult } from "./group-result.js";
import { uniqueLabels } from "./host-label.js";
import { groupLocalTemplate } from "./local-targets.js";

type ConnectionOptions = NonNullable<ConstructorParameters<typeof Connection>[1]>;
type PutArgs = Parameters<Connection["put"]>;
type GetArgs = Parameters<Connection["get"]>;
type SyncArgs = Parameters<Connection["sync"]>;
type TransferResultOf<M extends "put" | "get"> = Awaited<ReturnType<Connection[M]>>;

/** How a group schedules its hosts and shows their output. */
export interface GroupSettings {
  /** Hosts running at once. SerialGroup: 1; ThreadingGroup: @default 64 */
  concurrency?: number;
  /** After the first failure, start no further hosts (they end up as `HostSkipped`). @default false */
  failFast?: boolean;
  /**
   * `prefixed` (default): each line as `[host] line`, line-buffered; `plain`: untouched, as Fabric;
   * `json`: NDJSON events (give `events` in the object form). Streams passed to a call win.
   */
  output?: OutputMode | HostOutputOptions;
  /**
   * Connect to each host before its operation; hosts that cannot be reached (refused, timed out,
   * handshake or jump host failure) are reported in `GroupResult.unreachable` instead of failing the
   * group. Auth and host key failures still fail it. @default false
   */
  skipUnreachable?: boolean;
}

/** Options of a group made from host strings: the settings plus options for every Connection. */
export type GroupOptions = GroupSettings & ConnectionOptions;

/** `new SerialGroup("web1", "web2", { user: "deploy" })`: hosts, then optionally options. */
export type GroupArgs = string[] | [...hosts: string[], options: GroupOptions];

const SETTING_KEYS = new Set(["concurrency", "failFast", "output", "skipUnreachable"]);

/**
 * Several Connections driven together. `run`, `sudo`, `put`, `get` and `call` resolve to a
 * {@link GroupResult} or reject with a {@link GroupException} holding it when any host failed
 * (`warn: true` makes non-zero exits plain failed Results instead, as on a Connection).
 * Subclasses fix the scheduling: {@link SerialGroup} (one host at a time) and
 * {@link ThreadingGroup} (concurrently, up to a limit).
 */
export abstract class Group implements Iterable<Connection> {
  readonly concurrency: number;
  readonly failFast: boolean;
  readonly output: HostOutputOptions;
  readonly skipUnreachable: boolean;
  #connections: readonly Connection[];
  #labels: readonly string[];

  constructor(...args: GroupArgs) {
    const list = args as readonly (string | GroupOptions)[];
    const last = list.at(-1);
    const options: GroupOptions = typeof last === "object" && last !== null ? last : {};
    const hosts = list.filter((arg): arg is string => typeof arg === "string");
    const connectionOptions = Object.fromEntries(
      Object.entries(options).filter(([key]) => !SETTING_KEYS.has(key)),
    ) as ConnectionOptions;
    // Read config files and the environment once for the whole group; each Connection still gets
    // its own copy, as if it had built its own FabricConfig. Inside a `fab` task: the session's.
    const base =
      connectionOptions.config === undefined && hosts.length > 0
        ? (currentTaskSession()?.config ?? new FabricConfig())
        : undefined;
    const optionsFor = (): ConnectionOptions =>
      base ? { ...connectionOptions, config: base.clone() } : { ...connectionOptions };
    const connections = hosts.map((host) => new Connection(host, optionsFor()));
    this.#connections =
      connectionOptions.gateway === undefined ? shareGateways(hosts, connections, optionsFor) : connections;
    const settings = this.settings(options);
    this.concurrency = settings.concurrency;
    this.failFast = settings.failFast;
    this.output = settings.output;
    this.skipUnreachable = options.skipUnreachable ?? false;
    this.#labels = uniqueLabels(this.#connections);
  }

  /**
   * A group over existing Connections (Fabric's `Group.from_connections`).
   * @example const group = ThreadingGroup.fromConnections([web1, web2], { concurrency: 10 });
   */
  static fromConnections<G extends Group>(
    this: new (
      ...args: GroupArgs
    ) => G,
    connections: Iterable<Connection>,
    settings: GroupSettings = {},
  ): G {
    const group = new this(settings as GroupOptions);
    group.#connections = [...connections];
    group.#labels = uniqueLabels(group.#connections);
    return group;
  }

  /** The group's Connections, in order. */
  get connections(): readonly Connection[] {
    return this.#connections;
  }

  get length(): number {
    return this.connections.length;
  }

  [Symbol.iterator](): Iterator<Connection> {
    return this.connections[Symbol.iterator]();
  }

  /** Run `command` on every host. */
  run(command: string, options: RunOptions = {}): Promise<GroupResult<Result>> {
    return this.#each(
      (c, streams) => c.run(command, this.#runOptions(c, options, streams)) as Promise<Result>,
      options,
    );
  }

  /** Run `command` with sudo on every host. */
  sudo(command: string, options: SudoOptions & RunOptions = {}): Promise<GroupResult<Result>> {
    return this.#each(
      (c, streams) => c.sudo(command, this.#runOptions(c, options, streams)) as Promise<Result>,
      options,
    );
  }

  /**
   * Upload to every host (files or directories, see `Connection.put`). On a TTY a progress bar
   * shows one row per host and the total (hosts × bytes), unless `progress: false`.
   */
  put(...args: PutArgs): Promise<GroupResult<TransferResultOf<"put">>> {
    const [local, remote, options] = args;
    const withBar = this.#withProgress(options);
    return this.#each((c) => c.put(local, remote, withBar) as Promise<TransferResultOf<"put">>);
  }

  /**
   * Download from every host. Without a local path each host's file lands in `<host>/` (the
   * `{host}/` template, or `{originalHost}/`… when hosts share a HostName), so hosts never overwrite
   * each other; a given template that would send two hosts to one path is refused before anything
   * moves. Templates work for directories and remote globs too.
   */
  get(...args: GetArgs): Promise<GroupResult<TransferResultOf<"get">>> {
    const [remote, local, options] = args;
    let perHost: GetArgs[1];
    try {
      perHost = (
        typeof local === "string" || local === undefined
          ? groupLocalTemplate(local, this.connections, remote)
          : local
      ) as GetArgs[1];
    } catch (error) {
      return Promise.reject(error);
    }
    const withBar = this.#withProgress(options);
    return this.#each((c) => c.get(remote, perHost, withBar) as Promise<TransferResultOf<"get">>);
  }

  /** `Connection.sync` on every host: each resolves to its own report. */
  sync(...args: SyncArgs): Promise<GroupResult<Awaited<ReturnType<Connection["sync"]>>>> {
    const [local, remote, options] = args;
    const withBar = this.#withProgress(options);
    return this.#each((c) => c.sync(local, remote, withBar));
  }

  /** The caller's options, plus one progress bar shared by every host unless they chose otherwise. */
  #withProgress<O extends { progress?: boolean | ProgressBar }>(options: O | undefined): O {
    const given = options ?? ({} as O);
    if (given.progress !== undefined || this.output.mode === "json") return given;
    return { ...given, progress: new ProgressBar({ stream: this.output.stderr ?? process.stderr }) };
  }

  /**
   * Call `fn` once per host with its Connection (whole functions per host, not just one command).
   * Output of `run`/`sudo` inside `fn` is routed like the group's own (prefixes, JSON events).
   * @example await group.call(async (c) => { await c.run("systemctl stop app"); await c.put("app.tar", "/srv"); });
   */
  call<T>(fn: (connection: Connection, index: number) => T | Promise<T>): Promise<GroupResult<Awaited<T>>> {
    return this.#each<Awaited<T>>(async (c, streams, index): Promise<Awaited<T>> => {
      const unroute = streams ? routeOutput(c, streams) : undefined;
      try {
        return await fn(c, index);
      } finally {
        unroute?.();
      }
    });
  }

  /** Close every Connection (and a gateway Connection they share). */
  async close(): Promise<void> {
    await Promise.allSettled(this.connections.map((c) => c.close()));
    const gateways = new Set(
      this.connections
        .map((c) => (c as { gateway?: unknown }).gateway)
        .filter((g) => g instanceof Connection),
    );
    await Promise.allSettled([...gateways].map((g) => (g as Connection).close()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** The subclass's defaults for concurrency and fail-fast. */
  protected abstract settings(options: GroupSettings): {
    concurrency: number;
    failFast: boolean;
    output: HostOutputOptions;
  };

  /** Routed streams; and hosts running side by side do not share (and split) our stdin. */
  #runOptions<O extends RunOptions>(c: Connection, options: O, streams: HostStreams | undefined): O {
    const routed = withStreams(c, options, streams);
    if (this.concurrency === 1 || routed.inStream !== undefined || c.config.run.inStream) return routed;
    return { ...routed, inStream: false };
  }

  /** Run `op` per host over the fan-out, under the group's limit; throw a GroupException when any host failed. */
  async #each<V>(
    op: (connection: Connection, streams: HostStreams | undefined, index: number) => Promise<V>,
    options: { signal?: AbortSignal } = {},
  ): Promise<GroupResult<V>> {
    const jobs = this.connections.map(
      (connection, index): HostJob<V> => ({
        label: this.#labels[index] ?? connection.host,
        reach: () => connection.open(),
        run: (streams) => op(connection, streams, index),
      }),
    );
    const runs = await fanOut(jobs, {
      concurrency: this.concurrency,
      failFast: this.failFast,
      skipUnreachable: this.skipUnreachable,
      output: this.output,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const why = options.signal?.aborted ? "aborted" : "fail-fast";
    const result = new GroupResult<V>();
    this.connections.forEach((connection, index) => {
      const run = runs[index]!;
      if (run.state === "unreachable") result.setUnreachable(connection, run.error!, run.durationMs);
      else if (run.state === "skipped")
        result.setTimed(connection, new HostSkipped(this.#labels[index] ?? "", why), null);
      else result.setTimed(connection, run.state === "done" ? (run.value as V) : run.error!, run.durationMs);
    });
    if (!result.ok) throw new GroupException(result);
    return result;
  }
}

/**
 * Members whose ssh_config gives equal ProxyJump chains are rebuilt over one gateway Connection,
 * so a bastion carries one SSH session for the whole group (each target gets its own channel).
 */
function shareGateways(
  hosts: readonly string[],
  connections: Connection[],
  optionsFor: () => ConnectionOptions,
): Connection[] {
  const shared: Connection[] = [];
  return connections.map((connection, index) => {
    const gateway = connection.gateway;
    if (!(gateway instanceof Connection)) return connection;
    const same = shared.find((candidate) => sameChain(candidate, gateway));
    if (!same) {
      shared.push(gateway);
      return connection;
    }
    return new Connection(hosts[index]!, { ...optionsFor(), gateway: same });
  });
}

function sameChain(a: Connection, b: Connection): boolean {
  if (!a.equals(b)) return false;
  const [ga, gb] = [a.gateway, b.gateway];
  if (ga instanceof Connection && gb instanceof Connection) return sameChain(ga, gb);
  return ga === gb;
}
