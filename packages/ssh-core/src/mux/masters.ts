import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { defaultControlDir } from "./control-dir.js";
import type { MasterInfo } from "./master-spec.js";

/** A master found in the control directory. */
export interface MasterEntry extends MasterInfo {
  /** Its process is running and its socket is in place. */
  alive: boolean;
}

/**
 * The masters of the control directory (default {@link defaultControlDir}), from the `<socket>.json`
 * each one writes. Records of masters that are gone are removed.
 */
export function listMasters(dir: string = defaultControlDir()): MasterEntry[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((name) => name.endsWith(".json"));
  } catch {
    return [];
  }
  const found: MasterEntry[] = [];
  for (const name of names) {
    const file = join(dir, name);
    let info: MasterInfo;
    try {
      info = JSON.parse(readFileSync(file, "utf8")) as MasterInfo;
    } catch {
      continue;
    }
    const alive = isRunning(info.pid) && existsSync(info.socketPath);
    if (!alive) rmSync(file, { force: true });
    else found.push({ ...info, alive });
  }
  return found.sort((a, b) => a.startedAt - b.startedAt);
}

/**
 * Stop masters (all of the directory, or those `which` picks): each is sent SIGTERM, closes its
 * upstream connection and removes its socket. Resolves with the ones stopped once they are gone (or
 * after `timeoutMs`).
 */
export async function stopMasters(
  options: { dir?: string; which?: (master: MasterEntry) => boolean; timeoutMs?: number } = {},
): Promise<MasterEntry[]> {
  const masters = listMasters(options.dir).filter(options.which ?? (() => true));
  for (const master of masters) {
    try {
      process.kill(master.pid, "SIGTERM");
    } catch {}
  }
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  while (Date.now() < deadline && masters.some((m) => isRunning(m.pid))) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return masters;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
