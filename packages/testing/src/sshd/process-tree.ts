import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

function parentMapFromProc(): Map<number, number> | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  const parents = new Map<number, number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name is in parentheses and may contain spaces; fields after it are fixed.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ppid = Number(fields[1]);
      if (Number.isInteger(ppid)) parents.set(Number(entry), ppid);
    } catch {
      // The process exited while we were reading.
    }
  }
  return parents;
}

function parentMapFromPs(): Map<number, number> {
  const result = spawnSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" });
  const parents = new Map<number, number>();
  for (const line of (result.stdout ?? "").split("\n")) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid !== undefined && ppid !== undefined && Number.isInteger(pid) && Number.isInteger(ppid)) {
      parents.set(pid, ppid);
    }
  }
  return parents;
}

/** Every live descendant of `rootPid` (children first, then theirs), not including the root. */
export function descendantsOf(rootPid: number): number[] {
  const parents = parentMapFromProc() ?? parentMapFromPs();
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const found: number[] = [];
  const queue = [rootPid];
  for (let pid = queue.shift(); pid !== undefined; pid = queue.shift()) {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) === "Z";
  } catch {
    return false;
  }
}

/** True while a process with this pid exists and is not a zombie (an orphaned zombie may never be reaped). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return !isZombie(pid);
}

/** Sends `signal` to each pid, ignoring the ones that already exited. */
export function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}
