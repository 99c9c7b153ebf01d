import type { Fleet, HostPool } from "./hosts.js";
import type { Command, Measurement } from "./measure.js";
import type { NodeBinary } from "./second-node.js";
import type { WorkerSpec } from "./workers/spec.js";

/**
 * fabric-ts: the public API under test. stand-in: a lower layer of fabric-ts (ssh-core) shown
 * while the public API is not there. peer: another tool. reference: a floor (raw ssh2, bare node).
 */
export type Role = "fabric-ts" | "stand-in" | "peer" | "reference";

export interface Contender {
  name: string;
  role: Role;
  /** Set when the contender cannot run on this machine (missing tool); shown instead of figures. */
  unavailable?: string;
  /** Untimed work before each run (remove the previous run's output). */
  prepare?: () => Promise<void>;
  command: Command;
  /** Returns a description of what is wrong with the run's result, or undefined when it is right. */
  verify: (run: Measurement) => Promise<string | undefined> | string | undefined;
}

export interface ScenarioPlan {
  contenders: Contender[];
  teardown?: () => Promise<void>;
}

export interface Scenario {
  id: string;
  title: string;
  /** Bytes moved per run, for a throughput column. */
  bytes?: number;
  /** Only in full mode (too slow for --quick). */
  fullOnly?: boolean;
  /** Rounds override (e.g. 1 for the leak scenario, whose figure comes from inside the run). */
  rounds?: number;
  plan: (ctx: BenchContext) => Promise<ScenarioPlan>;
}

export interface BenchContext {
  pool: HostPool;
  quick: boolean;
  /** Local scratch directory (root-owned). */
  workDir: string;
  /** Scratch directory on the "remote" side, owned by the test user. */
  remoteDir: string;
  /** Environment whose HOME holds the bench's ~/.ssh/config and known_hosts (fabric-ts, Python Fabric). */
  env: NodeJS.ProcessEnv;
  /** Rewrites ~/.ssh/config and known_hosts of the bench HOME to cover a new fleet. */
  addToHome: (fleet: Fleet) => Promise<void>;
  workersDir: string;
  pythonScript: string;
  python: string | undefined;
  fabCli: string | undefined;
  /** The TypeScript fabfiles for fabric-ts, beside the packages `fabCli` belongs to (default: apps/bench/fabfiles). */
  fabfilesDir?: string;
  /** Node 24 to run fabric-ts on beside the machine's Node (start-up scenarios), when there is one. */
  node24: NodeBinary | undefined;
  parallelSsh: string | undefined;
}

export function workerCommand(
  ctx: BenchContext,
  worker: "ssh-core" | "ssh2" | "fabric-ts",
  spec: WorkerSpec,
  nodeFlags: string[] = [],
): Command {
  return {
    argv: [process.execPath, ...nodeFlags, `${ctx.workersDir}/${worker}-worker.js`, JSON.stringify(spec)],
    env: ctx.env,
  };
}
