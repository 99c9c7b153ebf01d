// The rest of the task API is Invoke's, so a fabfile needs only this package.
export { Call, Collection, call, count, Task } from "@fabric-ts/invoke";
export { ConnectionCall } from "./connection-call.js";
export { type HostKwargs, type HostSpec, normalizeHosts, parseHostsFlag } from "./host-spec.js";
export { FabricTask, type FabricTaskOptions, task } from "./task.js";
