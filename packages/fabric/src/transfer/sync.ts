import { posix } from "node:path";
import type { SftpSession, SshClient } from "@fabric-ts/ssh-core";
import { runPool } from "../pool.js";
import { sha256LocalAll, sha256RemoteAll } from "./checksum.js";
import { type FilterOptions, PathFilter } from "./glob.js";
import { walkLocal } from "./local-tree.js";
import type { TransferOptions } from "./options.js";
import { ProgressTracker } from "./progress.js";
import { walkRemote } from "./remote-tree.js";
import { checksumCandidates, planSync, type SyncPlan } from "./sync-plan.js";
import { totalBytes } from "./tree.js";
import { concurrencyOf, putTree } from "./tree-transfer.js";

export interface SyncOptions
  extends FilterOptions,
    Pick<
      TransferOptions,
      | "preserveMode"
      | "onProgress"
      | "onFileProgress"
      | "progress"
      | "signal"
      | "symlinks"
      | "concurrency"
      | "atomic"
    > {
  /** Remove remote entries that are not in the local tree (excluded paths are never removed). @default false */
  delete?: boolean;
  /** Compare file contents by SHA-256 (remote `sha256sum`) instead of size and mtime. @default false */
  checksum?: boolean;
  /** Work out and report what would change, change nothing. @default false */
  dryRun?: boolean;
}

/** What `sync` did (or would do with `dryRun`). Paths are relative to the two roots. */
export interface SyncReport {
  local: string;
  remote: string;
  dryRun: boolean;
  /** Files and symlinks sent, new or changed. */
  sent: string[];
  /** Directories created. */
  created: string[];
  /** Entries whose permission bits alone were fixed. */
  chmodded: string[];
  /** Remote entries removed (extraneous ones with `delete`, and ones a different type replaced). */
  deleted: string[];
  /** Extraneous remote entries kept because `delete` was off. */
  extraneous: string[];
  unchanged: number;
  /** File bytes sent. */
  bytes: number;
}

export interface SyncSides {
  sftp: SftpSession;
  client: () => Promise<SshClient>;
  localRoot: string;
  remoteRoot: string;
  cleanupRemote?: (path: string) => Promise<void>;
}

/**
 * Make `remoteRoot` a copy of `localRoot`: one remote listing (pipelined READDIRs), a plan, then
 * only what changed moves. Times are always copied (the next sync's quick check relies on them).
 */
export async function syncTree(sides: SyncSides, options: SyncOptions = {}): Promise<SyncReport> {
  const { sftp, localRoot, remoteRoot } = sides;
  const filter = new PathFilter(options);
  const symlinks = options.symlinks ?? "preserve";
  const preserveMode = options.preserveMode ?? true;
  const local = await walkLocal(localRoot, filter, symlinks);
  const remoteExists = await sftp.stat(remoteRoot).then(
    (stats) => stats.isDirectory(),
    () => false,
  );
  const remote = remoteExists ? await walkRemote(sftp, remoteRoot, filter, "preserve") : { entries: [] };

  let checksums: { local: Map<string, string>; remote: Map<string, string> } | undefined;
  if (options.checksum) {
    const candidates = checksumCandidates(local.entries, remote.entries);
    const [localSums, remoteSums] = await Promise.all([
      sha256LocalAll(localRoot, candidates),
      candidates.length > 0 ? sha256RemoteAll(await sides.client(), remoteRoot, candidates) : new Map(),
    ]);
    checksums = { local: localSums, remote: remoteSums };
  }
  const plan = planSync(local.entries, remote.entries, {
    preserveMode,
    ...(checksums ? { checksums } : {}),
  });
  const report = reportOf(plan, localRoot, remoteRoot, options);
  if (options.dryRun) return report;

  const remotePath = (path: string) => posix.join(remoteRoot, path);
  const removeRemote = async (path: string, isDirectory: boolean) => {
    if (isDirectory) await sftp.rmdir(remotePath(path), { recursive: true });
    else await sftp.unlink(remotePath(path));
  };
  for (const entry of plan.replace) await removeRemote(entry.path, entry.type === "directory");
  const tracker = new ProgressTracker(totalBytes(plan.send), options.onProgress, options.onFileProgress);
  await putTree({
    sftp,
    from: localRoot,
    to: remoteRoot,
    entries: [...plan.mkdir, ...plan.send].sort((a, b) => depthOf(a.path) - depthOf(b.path)),
    options: { ...options, preserveMode, preserveTimes: true },
    tracker,
    ...(sides.cleanupRemote ? { cleanupRemote: sides.cleanupRemote } : {}),
  });
  await runPool(plan.chmod, concurrencyOf(options), (entry) =>
    sftp.chmod(remotePath(entry.path), entry.mode),
  );
  if (options.delete) {
    // Deepest first, so a directory is empty of what we remove before its own turn.
    const doomed = [...plan.extraneous].sort((a, b) => depthOf(b.path) - depthOf(a.path));
    for (const entry of doomed) await removeRemote(entry.path, entry.type === "directory");
  }
  // Sending into existing directories changed their mtimes; put the local ones back.
  const touched = new Set(plan.send.map((entry) => posix.dirname(entry.path)));
  if (options.delete) for (const entry of plan.extraneous) touched.add(posix.dirname(entry.path));
  const directories = local.entries.filter((entry) => entry.type === "directory" && touched.has(entry.path));
  await runPool(directories, concurrencyOf(options), (entry) =>
    sftp.utimes(remotePath(entry.path), entry.atime, entry.mtime),
  );
  tracker.finish();
  report.bytes = tracker.transferred;
  return report;
}

function reportOf(plan: SyncPlan, local: string, remote: string, options: SyncOptions): SyncReport {
  const deleteExtraneous = options.delete ?? false;
  return {
    local,
    remote,
    dryRun: options.dryRun ?? false,
    sent: plan.send.map((entry) => entry.path),
    created: plan.mkdir.map((entry) => entry.path),
    chmodded: plan.chmod.map((entry) => entry.path),
    deleted: [...plan.replace, ...(deleteExtraneous ? plan.extraneous : [])].map((entry) => entry.path),
    extraneous: deleteExtraneous ? [] : plan.extraneous.map((entry) => entry.path),
    unchanged: plan.unchanged,
    bytes: options.dryRun ? totalBytes(plan.send) : 0,
  };
}

function depthOf(path: string): number {
  return path.split("/").length;
}
