export { Group, type GroupArgs, type GroupOptions, type GroupSettings } from "./group.js";
export { GroupException } from "./group-exception.js";
export { GroupResult } from "./group-result.js";
export { HostSkipped } from "./host-skipped.js";
export { SerialGroup } from "./serial-group.js";
export { DEFAULT_CONCURRENCY, ThreadingGroup } from "./threading-group.js";
