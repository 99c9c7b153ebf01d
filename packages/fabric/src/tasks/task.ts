import { Task, type TaskArgShape, type TaskArgValues, type TaskOptions } from "@fabric-ts/invoke";
import type { Connection } from "../connection/connection.js";
import type { HostSpec } from "./host-spec.js";

/** Invoke's task options plus the hosts the task runs on when `fab -H` gives none. */
export interface FabricTaskOptions<A extends TaskArgShape> extends TaskOptions<A> {
  /**
   * Run once per host, each with its own Connection (`-H` replaces this list). With an inventory
   * loaded, a string is an Ansible host pattern (`"web:&prod:!web3"`), as is each string entry.
   */
  hosts?: readonly HostSpec[] | string;
}

type Body<A extends TaskArgShape, R, C> = (c: C, args: TaskArgValues<A>) => R | Promise<R>;

/**
 * A task that knows its hosts. Under `fab` it receives a Connection per host; with no hosts at all
 * (neither `hosts` nor `-H`) it gets a plain local Context, as in Fabric.
 */
export class FabricTask<A extends TaskArgShape = TaskArgShape, R = unknown, C = Connection> extends Task<
  A,
  R,
  C
> {
  readonly hosts: readonly HostSpec[];

  constructor(options: FabricTaskOptions<A>, body: Body<A, R, C>) {
    const { hosts, ...rest } = options;
    super(rest, body);
    this.hosts = typeof hosts === "string" ? [hosts] : [...(hosts ?? [])];
  }
}

/**
 * Define a Fabric task: Invoke's `task()` with `hosts`, and a Connection as first argument.
 * @example
 * export const deploy = task({ hosts: ["web1", { host: "web2", port: 2222 }] }, async (c) => {
 *   const env = c.config.get("deployEnv", "staging");
 *   await c.run(`./deploy.sh ${env}`);
 * });
 */
export function task<R>(
  body: (c: Connection, args: TaskArgValues<{}>) => R | Promise<R>,
): FabricTask<{}, Awaited<R>>;
export function task<const A extends TaskArgShape = {}, R = unknown, C = Connection>(
  options: FabricTaskOptions<A>,
  body: Body<A, R, C>,
): FabricTask<A, Awaited<R>, C>;
export function task<A extends TaskArgShape, R, C>(
  first: FabricTaskOptions<A> | Body<A, R, C>,
  body?: Body<A, R, C>,
): FabricTask<A, Awaited<R>, C> {
  if (typeof first === "function") return new FabricTask({}, first) as FabricTask<A, Awaited<R>, C>;
  if (!body) throw new TypeError("task(options, body): the body function is missing");
  return new FabricTask(first, body) as FabricTask<A, Awaited<R>, C>;
}

/**
 * The hosts a task declares. Checked by shape, not instanceof: a fabfile may have loaded its own
 * copy of this package.
 */
export function taskHosts(value: unknown): readonly HostSpec[] {
  const hosts = (value as { hosts?: unknown }).hosts;
  return Array.isArray(hosts) ? (hosts as HostSpec[]) : [];
}
