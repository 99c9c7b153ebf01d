// Warm connections: a background master per destination holds the SSH connection across processes.

export { connectThroughMaster, type WarmConnectionOptions } from "./connect-through-master.js";
export {
  ControlDirError,
  controlSocketPath,
  defaultControlDir,
  ensureControlDir,
  type MasterDestination,
} from "./control-dir.js";
export type { MasterClientOptions, MasterInfo, MasterSpec } from "./master-spec.js";
export { listMasters, type MasterEntry, stopMasters } from "./masters.js";
