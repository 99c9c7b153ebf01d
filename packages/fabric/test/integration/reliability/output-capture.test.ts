// Huge remote output over a real sshd: the Result keeps a bounded tail, every byte reaches the
// output stream, and `fab` (the installed bin) streams gigabytes at flat memory.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { DEFAULT_CAPTURE_LIMIT } from "../../../../invoke/src/runners/capture.js";
import { CountingSink } from "../../../../invoke/test/support/counting-sink.js";
import { Connection } from "../../../src/connection/connection.js";
import { FAB_BIN } from "../../support/fab-bin.js";
import { NO_FABFILE } from "../../support/fab-process.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../../support/fabric-sshd.js";

const TIME = "/usr/bin/time";

interface MeasuredRun {
  code: number | null;
  stdoutBytes: number;
  nonZeroBytes: number;
  stderr: string;
  maxRssKb: number;
}

/** `fab <args>` (the built bin) under `/usr/bin/time -v`, stdout counted (never kept). */
function measuredFab(args: readonly string[]): Promise<MeasuredRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(TIME, ["-v", process.execPath, FAB_BIN, ...args], {
      cwd: NO_FABFILE,
      env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: NO_FABFILE },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdoutBytes = 0;
    let nonZeroBytes = 0;
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      for (const byte of chunk) if (byte !== 0) nonZeroBytes += 1;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.once("error", reject);
    child.once("close", (code) => {
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolve({ code, stdoutBytes, nonZeroBytes, stderr, maxRssKb: rss ? Number(rss[1]) : Number.NaN });
    });
  });
}

describeWithSshd("huge output over SSH (real sshd)", () => {
  let sshd: SshdHarness;
  let c: Connection;
  beforeAll(async () => {
    sshd = await startSshd();
    c = new Connection("host1", { config: harnessConfig(sshd) });
  });
  afterAll(async () => {
    await c?.close();
    await sshd?.stop();
  });

  it("Connection.run: 64 MB streamed to outStream in full, the Result keeps the last 4 MiB and is marked truncated", async () => {
    const bytes = 64 * 1024 * 1024;
    const out = new CountingSink("\0");
    const result = await c.run(`head -c ${bytes} /dev/zero`, { outStream: out, inStream: false });
    expect(result.ok).toBe(true);
    expect(out.length).toBe(bytes);
    expect(out.unexpected).toBe(0);
    expect(result.truncated).toBe(true);
    expect(result.truncatedStreams).toEqual(["stdout"]);
    expect(result.stdout.length).toBe(DEFAULT_CAPTURE_LIMIT);
  }, 120_000);

  it("captureLimit keeps the tail of stdout and stderr separately", async () => {
    const result = await c.run("seq 1 50000; seq 1 50000 >&2", {
      hide: true,
      inStream: false,
      captureLimit: 12,
    });
    expect(result.stdout).toBe("49999\n50000\n");
    expect(result.stderr).toBe("49999\n50000\n");
    expect(result.truncatedStreams).toEqual(["stdout", "stderr"]);
  });

  it("fab -- 'cat file' > pipe: the exact bytes of a binary file, on stdout and on stderr", async () => {
    const data = randomBytes(500_000);
    const local = mkdtempSync(join(tmpdir(), "fab-binary-"));
    try {
      writeFileSync(join(local, "data.bin"), data);
      await c.put(join(local, "data.bin"), "fab-binary.bin");
      const fab = (command: string) =>
        spawnSync(process.execPath, [FAB_BIN, "-S", sshd.sshConfigPath, "-H", "host1", "--", command], {
          cwd: NO_FABFILE,
          env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: NO_FABFILE },
        });
      const out = fab("cat fab-binary.bin");
      expect(out.status).toBe(0);
      expect(Buffer.compare(out.stdout, data)).toBe(0);
      const err = fab("cat fab-binary.bin >&2");
      expect(err.status).toBe(0);
      expect(Buffer.compare(err.stderr, data)).toBe(0);
    } finally {
      rmSync(local, { recursive: true, force: true });
      await c.run("rm -f fab-binary.bin", { hide: true });
    }
  });

  it("fab -- 'head -c 600000000 /dev/zero' > pipe: exit 0, every byte delivered, peak RSS under 200 MB", async () => {
    expect(existsSync(FAB_BIN)).toBe(true);
    expect(existsSync(TIME)).toBe(true);
    const bytes = 600_000_000;
    const run = await measuredFab([
      "-S",
      sshd.sshConfigPath,
      "-H",
      "host1",
      "--",
      `head -c ${bytes} /dev/zero`,
    ]);
    expect(run.stderr).not.toContain("Invalid string length");
    expect(run.code).toBe(0);
    expect(run.stdoutBytes).toBe(bytes);
    expect(run.nonZeroBytes).toBe(0);
    // Before the bound: exit 1 with "Invalid string length" at about 1 GB peak.
    expect(run.maxRssKb).toBeLessThan(200 * 1024);
  }, 300_000);
});
