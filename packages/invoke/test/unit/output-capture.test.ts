// Bounded output capture: a Result keeps at most `captureLimit` characters per stream (the last
// ones), everything still reaches the out/err streams, and memory does not grow with the output.
import { describe, expect, it } from "vitest";
import { Config } from "../../src/config/config.js";
import { Context } from "../../src/context.js";
import { UnexpectedExit } from "../../src/errors.js";
import { DEFAULT_CAPTURE_LIMIT } from "../../src/runners/capture.js";
import { CountingSink } from "../support/counting-sink.js";
import { StringSink } from "../support/streams.js";

const c = new Context();

describe("bounded output capture (local runner)", () => {
  it("600 MB of output (above V8's string limit) succeeds: all of it streamed, the Result keeps the last 4 MiB", async () => {
    // Without the bound this failed with "Invalid string length" after buffering ~1 GB.
    const bytes = 600_000_000;
    const out = new CountingSink("\0");
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 50);
    try {
      const result = await c.run(`head -c ${bytes} /dev/zero`, { outStream: out, inStream: false });
      expect(result.ok).toBe(true);
      expect(result.truncated).toBe(true);
      expect(result.truncatedStreams).toEqual(["stdout"]);
      expect(result.stdout.length).toBe(DEFAULT_CAPTURE_LIMIT);
    } finally {
      clearInterval(sampler);
    }
    expect(out.length).toBe(bytes);
    expect(out.unexpected).toBe(0);
    // A memory bound, not a speed one: 600 MB went through, far less than that stayed resident.
    expect(peak - before).toBeLessThan(200 * 1024 * 1024);
  }, 120_000);

  it("keeps exactly the last captureLimit characters and says which stream was cut", async () => {
    const result = await c.run("seq 1 20000; seq 1 3 >&2", { hide: true, inStream: false, captureLimit: 12 });
    expect(result.stdout).toBe("19999\n20000\n");
    expect(result.stderr).toBe("1\n2\n3\n");
    expect(result.truncated).toBe(true);
    expect(result.truncatedStreams).toEqual(["stdout"]);
  });

  it("output within the limit is kept whole and not marked", async () => {
    const result = await c.run("seq 1 5", { hide: true, inStream: false, captureLimit: 10 });
    expect(result.stdout).toBe("1\n2\n3\n4\n5\n");
    expect(result.truncated).toBe(false);
    expect(result.truncatedStreams).toEqual([]);
  });

  it("the config key run.captureLimit (also as --set run.capture_limit) applies; null keeps everything", async () => {
    const limited = new Context(new Config({ overrides: { run: { captureLimit: 4 } } }));
    expect((await limited.run("printf abcdefgh", { hide: true, inStream: false })).stdout).toBe("efgh");
    const set = new Config();
    set.setOverrideFromArgument("run.capture_limit=3");
    expect((await new Context(set).run("printf abcdefgh", { hide: true, inStream: false })).stdout).toBe(
      "fgh",
    );
    const unlimited = new Context(new Config({ overrides: { run: { captureLimit: null } } }));
    const whole = await unlimited.run("head -c 5000000 /dev/zero", { hide: true, inStream: false });
    expect(whole.stdout.length).toBe(5_000_000);
    expect(whole.truncated).toBe(false);
  });

  it("a failure report shows the end of a truncated output", async () => {
    const error = await c
      .run("seq 1 100000; exit 3", { hide: true, inStream: false, captureLimit: 50 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedExit);
    expect((error as UnexpectedExit).result.stdout.endsWith("99999\n100000\n")).toBe(true);
    expect(String((error as UnexpectedExit).message)).toContain("100000");
  });

  it("everything is mirrored even when the Result keeps little", async () => {
    const out = new StringSink();
    const result = await c.run("seq 1 1000", { outStream: out, inStream: false, captureLimit: 5 });
    expect(out.text).toBe(`${Array.from({ length: 1000 }, (_, i) => i + 1).join("\n")}\n`);
    expect(result.stdout).toBe("1000\n");
  });

  it("refuses a captureLimit that is not a positive whole number", async () => {
    for (const bad of [0, -1, 1.5, Number.NaN, "10"]) {
      await expect(c.run("true", { hide: true, captureLimit: bad as number })).rejects.toThrow(
        /captureLimit/,
      );
    }
  });
});
