import { closeSync, openSync, readFileSync, rmSync, statSync, writeSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { isAlive } from "./process-tree.js";

function tryAcquire(path: string): boolean {
  try {
    const fd = openSync(path, "wx", 0o600);
    writeSync(fd, String(process.pid));
    closeSync(fd);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return false;
  }
}

function removeIfStale(path: string): void {
  let content: string;
  let ageMs: number;
  try {
    content = readFileSync(path, "utf8");
    ageMs = Date.now() - statSync(path).mtimeMs;
  } catch {
    return;
  }
  const owner = Number(content);
  // An empty file is a lock being written right now, unless it has been empty for a while.
  const stale = content === "" ? ageMs > 5_000 : !Number.isInteger(owner) || owner <= 0 || !isAlive(owner);
  // A lock whose owner died (SIGKILLed test worker) must not block every later run.
  if (stale) rmSync(path, { force: true });
}

/** Runs `work` while holding an exclusive lock file shared by every process on the machine. */
export async function withFileLock<T>(path: string, work: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (!tryAcquire(path)) {
    removeIfStale(path);
    if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${path}`);
    await delay(25);
  }
  try {
    return await work();
  } finally {
    rmSync(path, { force: true });
  }
}
