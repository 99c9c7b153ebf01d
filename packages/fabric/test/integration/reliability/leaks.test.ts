// No leaks and no hangs: a child process runs thousands of commands on one connection and hundreds
// of connect/close cycles against an embedded host served by this process, reports RSS and active
// handles, and must then exit on its own. FABTS_LEAK_FULL=1 runs the full 10,000 / 1,000.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedHosts, startEmbeddedHosts } from "../../support/embedded-hosts.js";
import { FIXTURES, runFab, runNode, TS_NODE_ARGS } from "../../support/fab-process.js";

const FULL = process.env.FABTS_LEAK_FULL === "1";
const COMMANDS = FULL ? 10_000 : 2_000;
const CYCLES = FULL ? 1_000 : 200;
const MB = 1024 * 1024;

interface Sample {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  resources: string[];
}

function counts(resources: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of resources) out[name] = (out[name] ?? 0) + 1;
  return out;
}

describe("no leaks, no hangs", () => {
  let hosts: EmbeddedHosts;
  beforeAll(async () => {
    hosts = await startEmbeddedHosts({ hosts: 1 });
  });
  afterAll(() => hosts?.stop());

  it(
    `${COMMANDS} commands on one connection and ${CYCLES} connect/close cycles: flat RSS, no leftover handles, prompt exit`,
    async () => {
      const run = await runNode(
        ["--expose-gc", ...TS_NODE_ARGS, join(FIXTURES, "reliability", "leak-worker.ts")],
        {
          env: {
            LEAK_COMMANDS: String(COMMANDS),
            LEAK_CYCLES: String(CYCLES),
            LEAK_SSH_CONFIG: hosts.sshConfigPath,
            HOME: hosts.rootDir,
          },
          hangAfterMs: FULL ? 600_000 : 170_000,
        },
      );
      expect(run.stderr).toBe("");
      // It exited by itself once the work was done: nothing kept the event loop alive.
      expect(run.hung).toBe(false);
      expect(run.code).toBe(0);
      const report = JSON.parse(run.stdout) as Record<string, Sample>;
      const { baseline, afterWarmup, afterCommands, beforeCycles, afterCycles } = report as Record<
        string,
        Sample
      >;
      const grew = (field: "heapUsed" | "external") => (afterCommands![field] - afterWarmup![field]) / MB;
      // The leak signals for commands, measured after a forced GC: the JS heap (+0.2-0.5 MB over
      // 10,000 commands, where 1 KiB kept per command would add 9.6 MB) and Buffers (flat).
      expect(grew("heapUsed")).toBeLessThan(FULL ? 4 : 1.5);
      expect(grew("external")).toBeLessThan(2);
      // RSS itself follows V8's heap sizing: on Node 24 the committed heap doubles in steps over the
      // first ~10,000 commands (28 -> 141 MB, then flat for the next 20,000). What lies outside the V8
      // heap (RSS - heapTotal) is bounded instead: it moved 5-16 MB here, where a native leak of 16 KiB
      // per command would add 31 MB (153 MB in the full run).
      const native = (s: Sample) => (s.rss - s.heapTotal) / MB;
      expect(native(afterCommands!) - native(afterWarmup!)).toBeLessThan(FULL ? 48 : 28);
      // Over connect/close cycles, memory outside the V8 heap also carries the C allocator's
      // fragmentation from the crypto binding (measured: JS heap and external memory flat while RSS rose
      // 11-32 MB over 1,000 cycles on a loaded machine, and 27-28 MB over the short run's first 200 on
      // Node 24, where it then settles), so the leak signal there is the heap after a forced GC; the rest
      // keeps a bound that a real per-connection leak of 100 KiB or more would cross.
      expect((afterCycles!.heapUsed - beforeCycles!.heapUsed) / MB).toBeLessThan(FULL ? 8 : 4);
      expect(native(afterCycles!) - native(beforeCycles!)).toBeLessThan(FULL ? 64 : 40);
      // Every socket and timer of the connections is gone once they are closed.
      const before = counts(baseline!.resources);
      const leftover = Object.entries(counts(afterCycles!.resources)).filter(
        ([name, count]) => count > (before[name] ?? 0),
      );
      expect(leftover).toEqual([]);
      expect(hosts.host("web1").connections).toBe(0);
    },
    FULL ? 700_000 : 180_000,
  );

  it("fab exits promptly after a remote command, and after one whose connection was dropped", async () => {
    const web1 = hosts.host("web1");
    const ok = await runFab(["-S", hosts.sshConfigPath, "-H", "web1", "--", "echo done"], {
      env: { HOME: hosts.rootDir },
      hangAfterMs: 60_000,
    });
    expect(ok.hung).toBe(false);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe("done\n");

    web1.faults = { dropOnExec: "dropme" };
    try {
      const dropped = await runFab(["-S", hosts.sshConfigPath, "-H", "web1", "--", "echo dropme"], {
        env: { HOME: hosts.rootDir },
        hangAfterMs: 60_000,
      });
      expect(dropped.hung).toBe(false);
      expect(dropped.code).not.toBe(0);
      expect(dropped.stderr).toMatch(/lost|closed/i);
    } finally {
      web1.faults = {};
    }
  }, 150_000);
});
