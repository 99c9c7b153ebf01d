// 100 concurrent runs share their listeners on stdin, on an AbortSignal and on SIGINT: Node never
// prints MaxListenersExceededWarning, whatever stdin is.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const here = dirname(fileURLToPath(import.meta.url));
const DIST_INDEX = join(here, "..", "..", "dist", "index.js");

const SCRIPT = [
  `import { Context } from ${JSON.stringify(DIST_INDEX)};`,
  "const warnings = [];",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a script run elsewhere
  "process.on('warning', (w) => warnings.push(`${w.name}: ${w.message}`));",
  "const c = new Context();",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the source text of a script run elsewhere
  "const many = (options) => Promise.all(Array.from({ length: 100 }, (_, i) => c.run(`echo ${i}`, { hide: true, ...options })));",
  "const plain = await many({});",
  "await many({ signal: new AbortController().signal });",
  "await many({ timeout: 30 });",
  "const sigint = process.listenerCount('SIGINT');",
  "await new Promise((resolve) => setTimeout(resolve, 50));",
  "process.stdout.write(JSON.stringify({ warnings, ok: plain.every((r) => r.ok), sigint, after: process.listenerCount('SIGINT'), stdin: process.stdin.listenerCount('data') }));",
].join("\n");

describe("100 concurrent runs", () => {
  it.each([
    ["a pipe at EOF", "pipe"],
    ["/dev/null", "ignore"],
  ] as const)("stdin %s: no MaxListenersExceededWarning, listeners gone afterwards", (_name, stdin) => {
    const child = spawnSync(process.execPath, ["--input-type=module", "-e", SCRIPT], {
      stdio: [stdin, "pipe", "pipe"],
      encoding: "utf8",
      timeout: 120_000,
      ...(stdin === "pipe" ? { input: "" } : {}),
    });
    expect(child.stderr).not.toContain("MaxListenersExceededWarning");
    const report = JSON.parse(child.stdout) as {
      warnings: string[];
      ok: boolean;
      sigint: number;
      after: number;
      stdin: number;
    };
    expect(report.warnings).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.sigint).toBeLessThanOrEqual(1);
    expect(report.after).toBe(0);
    expect(report.stdin).toBe(0);
    // 300 processes under a full suite on 2 cores took 40 s once: the child's own guard is the bound.
  }, 150_000);
});

describe("concurrent runs mirroring into one slow sink", () => {
  it("wait for its drain through one shared listener: no MaxListenersExceededWarning, every byte delivered", async () => {
    const { Context } = await import("../../src/context.js");
    const { CountingSink } = await import("../support/counting-sink.js");
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    try {
      const sink = new CountingSink("\0");
      const c = new Context();
      // 20 runs, each far above the sink's highWaterMark: every pump pauses for the sink's drain.
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          c.run("head -c 1000000 /dev/zero", { outStream: sink, inStream: false }),
        ),
      );
      expect(results.every((r) => r.ok)).toBe(true);
      expect(sink.length).toBe(20 * 1_000_000);
      expect(sink.unexpected).toBe(0);
      expect(sink.listenerCount("drain")).toBe(0);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
    } finally {
      process.off("warning", onWarning);
    }
  }, 120_000);
});
