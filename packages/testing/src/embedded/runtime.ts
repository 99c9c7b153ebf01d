import type { FaultPlan } from "./faults.js";
import type { PtyModule } from "./pty.js";
import type { EmbeddedHostEvents, ExecLogEntry } from "./types.js";
import type { ResolvedUser } from "./users.js";

/** What the protocol handlers need from the host that owns a connection. */
export interface HostRuntime {
  readonly name: string;
  readonly dir: string;
  readonly shell: string;
  readonly baseEnv: Record<string, string>;
  readonly users: ReadonlyMap<string, ResolvedUser>;
  readonly log: ExecLogEntry[];
  readonly pty: PtyModule | undefined;
  readonly address: string;
  readonly port: number;
  faults: FaultPlan;
  emit<K extends keyof EmbeddedHostEvents>(event: K, ...args: EmbeddedHostEvents[K]): boolean;
}
