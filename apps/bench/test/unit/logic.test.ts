import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { daemonGroups, fleetAddress } from "../../src/hosts.js";
import type { Measurement } from "../../src/measure.js";
import { parseTimeOutput } from "../../src/measure.js";
import { parseOptions } from "../../src/options.js";
import { BEGIN_MARK, END_MARK, formatMs, renderScenarioTable, spliceGenerated } from "../../src/render.js";
import { type ScenarioResult, summarizeContender } from "../../src/runner.js";
import { median, roundOrder, summarize } from "../../src/stats.js";
import { evaluateTargets } from "../../src/targets.js";
import { checkExit, checkLines, treeDigest, workerReport } from "../../src/verify.js";
import { mapLimited } from "../../src/workers/spec.js";

const run = (over: Partial<Measurement>): Measurement => ({
  wallMs: 1,
  userMs: 0,
  sysMs: 0,
  maxRssKb: 0,
  exitCode: 0,
  signal: null,
  stdout: "",
  stderr: "",
  ...over,
});

describe("statistics", () => {
  it("takes the median of odd and even counts", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(summarize([3, 9, 1])).toEqual({ median: 3, min: 1, max: 9, n: 3 });
  });

  it("rotates the run order every round", () => {
    expect(roundOrder(["a", "b", "c"], 0)).toEqual(["a", "b", "c"]);
    expect(roundOrder(["a", "b", "c"], 1)).toEqual(["b", "c", "a"]);
    expect(roundOrder(["a", "b", "c"], 3)).toEqual(["a", "b", "c"]);
  });
});

describe("measurement parsing", () => {
  it("reads time(1) output after a non-zero-exit notice", () => {
    expect(parseTimeOutput("Command exited with non-zero status 1\n0.12 0.03 10240\n")).toEqual({
      userMs: 120,
      sysMs: 30,
      maxRssKb: 10240,
    });
    expect(() => parseTimeOutput("garbage")).toThrow(/unexpected/);
  });

  it("reads the worker's report line", () => {
    expect(workerReport('ok\nBENCH {"loopMs":12.5,"label":"x"}\n')).toEqual({ loopMs: 12.5 });
    expect(workerReport("ok\n")).toEqual({});
  });
});

describe("output checks", () => {
  it("accepts exactly the expected lines and rejects anything else", () => {
    expect(checkLines(run({ stdout: "ok\nok\nBENCH {}\n" }), "ok", 2)).toBeUndefined();
    expect(checkLines(run({ stdout: "ok\n" }), "ok", 2)).toMatch(/expected 2/);
    expect(checkLines(run({ stdout: "ok\nno\n" }), "ok", 2)).toMatch(/1 of 2/);
    expect(checkLines(run({ exitCode: 255, stderr: "Connection refused" }), "ok", 1)).toMatch(
      /exit 255: Connection refused/,
    );
  });

  it("reports a signal death", () => {
    expect(checkExit(run({ exitCode: null, signal: "SIGKILL" }))).toMatch(/signal SIGKILL/);
  });

  it("digests a tree by paths and contents", async () => {
    const root = await mkdtemp(join(tmpdir(), "bench-digest-"));
    await mkdir(join(root, "d"));
    await writeFile(join(root, "d", "a"), "one");
    const first = await treeDigest(root);
    expect(first.files).toBe(1);
    await writeFile(join(root, "d", "a"), "two");
    expect((await treeDigest(root)).digest).not.toBe(first.digest);
  });
});

describe("hosts", () => {
  it("spreads fleets over distinct loopback addresses, 16 per sshd", () => {
    expect(fleetAddress(0)).toBe("127.1.0.1");
    expect(fleetAddress(249)).toBe("127.1.0.250");
    expect(fleetAddress(250)).toBe("127.2.0.1");
    const addresses = Array.from({ length: 500 }, (_, i) => fleetAddress(i));
    expect(new Set(addresses).size).toBe(500);
    const groups = daemonGroups(addresses);
    expect(groups).toHaveLength(32);
    expect(groups.every((g) => g.length <= 16)).toBe(true);
  });

  it("never has more than the limit in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const outcomes = await mapLimited([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
      if (n === 4) throw new Error("four");
      return n * 2;
    });
    expect(peak).toBe(3);
    expect(outcomes.filter((o) => o.status === "rejected")).toHaveLength(1);
    expect(outcomes[6]).toEqual({ status: "fulfilled", value: 14 });
  });
});

function scenario(rows: [string, "fabric-ts" | "stand-in" | "peer", number[]][]): ScenarioResult {
  return {
    id: "a",
    title: "(a) test",
    rounds: 3,
    contenders: rows.map(([name, role, walls]) =>
      summarizeContender(
        { name, role },
        walls.map((wallMs) => ({ wallMs, cpuMs: wallMs / 2, maxRssKb: 1024 * 50, metrics: {} })),
        [],
      ),
    ),
  };
}

describe("tables and targets", () => {
  it("renders the ratio of the fabric-ts row to each peer", () => {
    const table = renderScenarioTable(
      scenario([
        ["fabric-ts fab", "fabric-ts", [100, 120, 110]],
        ["OpenSSH `ssh h true`", "peer", [200, 220, 210]],
      ]),
    );
    expect(table).toContain(
      "| OpenSSH `ssh h true` | peer | 210 ms | 200 ms | 220 ms | 105 ms | 50 MB | 0.52× |",
    );
    expect(formatMs(1500)).toBe("1.50 s");
  });

  it("falls back to the stand-in and marks unmet targets", () => {
    const result = scenario([
      ["fabric-ts fab", "fabric-ts", []],
      ["ssh-core", "stand-in", [300, 300, 300]],
      ["OpenSSH `ssh h true`", "peer", [200, 200, 200]],
      ["Python Fabric fab", "peer", [600, 600, 600]],
    ]);
    const [vsSsh, vsFabric] = evaluateTargets([result]);
    expect(vsSsh).toMatchObject({ status: "not met", by: "ssh-core" });
    expect(vsFabric).toMatchObject({ status: "met" });
    expect(evaluateTargets([]).every((c) => c.status === "no data")).toBe(true);
  });

  it("checks (g) for the machine's Node and for Node 24 against Python Fabric", () => {
    const task = {
      ...scenario([
        ["fabric-ts (Node 20.20.2) `fab -H h deploy`", "fabric-ts", [300, 300, 300]],
        ["fabric-ts (Node 24.22.3) `fab -H h deploy`", "fabric-ts", [250, 250, 250]],
        ["Python Fabric `fab -H h deploy`", "peer", [350, 350, 350]],
      ]),
      id: "g-task",
    };
    const checks = evaluateTargets([task]).filter((c) => c.scenario === "g-task");
    expect(checks).toMatchObject([
      { status: "not met", by: "fabric-ts (Node 20.20.2) `fab -H h deploy`" },
      { status: "met", by: "fabric-ts (Node 24.22.3) `fab -H h deploy`" },
    ]);
    expect(checks[1]?.measured).toBe("0.71× (250 ms vs 350 ms)");
  });

  it("replaces only the generated part of RESULTS.md", () => {
    const doc = `# R\n\nintro\n\n${BEGIN_MARK}\nold\n${END_MARK}\n\n## Analysis\nmine\n`;
    const next = spliceGenerated(doc, "new table", "## Latest");
    expect(next).toContain("intro");
    expect(next).toContain("## Analysis\nmine");
    expect(next).toContain("new table");
    expect(next).not.toContain("old");
    expect(spliceGenerated("# R\n", "t", "## L")).toContain(`${BEGIN_MARK}\n## L\n\nt\n${END_MARK}`);
  });

  it("parses options, including pnpm's `--`", () => {
    expect(parseOptions(["--", "--quick", "--only", "a,b"])).toMatchObject({ quick: true, only: ["a", "b"] });
    expect(() => parseOptions(["--rounds", "0"])).toThrow(/positive/);
    // fabric-ts rows come from the packed install unless --workspace is given.
    expect(parseOptions([]).workspace).toBe(false);
    expect(parseOptions(["--workspace"]).workspace).toBe(true);
  });
});
