import { Call } from "@fabric-ts/invoke";
import type { HostKwargs } from "./host-spec.js";
import { hostSpecLabel } from "./host-spec.js";

type CallChanges = Parameters<Call["clone"]>[0];

/** A task call bound to one host: the Executor gives it a fresh Connection (Fabric's `ConnectionCall`). */
export class ConnectionCall extends Call {
  readonly host: HostKwargs;
  /** Position of the host in the session's host list (stable colours and ordering). */
  readonly hostIndex: number;

  constructor(call: Call, host: HostKwargs, hostIndex: number) {
    super(call.task, { args: { ...call.args }, calledAs: call.calledAs, direct: call.direct });
    this.host = { ...host };
    this.hostIndex = hostIndex;
  }

  /** Same task, same arguments and same host (unlike Fabric, `fab -H a,a t` runs `t` on `a` once). */
  override equals(other: Call): boolean {
    return (
      other instanceof ConnectionCall &&
      super.equals(other) &&
      JSON.stringify(this.host) === JSON.stringify(other.host)
    );
  }

  override clone(changes: CallChanges = {}): ConnectionCall {
    return new ConnectionCall(super.clone(changes), this.host, this.hostIndex);
  }

  override toString(): string {
    return `${super.toString().slice(0, -1)}, host='${hostSpecLabel(this.host)}'>`;
  }
}
