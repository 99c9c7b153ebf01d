import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { onProcessExit } from "./exit-cleanup.js";
import { startReaper } from "./reaper.js";

let scratch: string | undefined;

/**
 * A temp dir shared by everything this process creates once (client keys, the askpass script).
 * Removed at exit, or by a watchdog when the process is killed (test runners often kill workers).
 */
export function processScratchDir(): string {
  if (!scratch) {
    const dir = mkdtempSync(join(tmpdir(), `fabts-process-${process.pid}-`));
    const reaper = startReaper(undefined, dir);
    onProcessExit(() => {
      reaper.dismiss();
      rmSync(dir, { recursive: true, force: true });
    });
    scratch = dir;
  }
  return scratch;
}
