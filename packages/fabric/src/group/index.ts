export { GroupException, HostSkipped } from "../errors/index.js";
export { Group, type GroupArgs, type GroupOptions, type GroupSettings } from "./group.js";
export { GroupResult } from "./group-result.js";
export { SerialGroup } from "./serial-group.js";
export { DEFAULT_CONCURRENCY, ThreadingGroup } from "./threading-group.js";
