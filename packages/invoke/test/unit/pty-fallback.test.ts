import { afterEach, describe, expect, it, vi } from "vitest";
import { Config } from "../../src/config/config.js";
import { Context } from "../../src/context.js";
import { PlatformError } from "../../src/errors.js";
import { Local } from "../../src/runners/local.js";
import type { PtyLoad } from "../../src/runners/pty.js";
import { ptySize } from "../../src/terminals.js";

class NoPty extends Local {
  protected override loadPty(): Promise<PtyLoad> {
    return Promise.resolve({ ok: false, reason: "node-pty is not installed" });
  }
}

function contextWithoutPty(): Context {
  const config = new Config();
  config.set("runners.local", NoPty);
  return new Context(config);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("pty fallback", () => {
  it("runs without a pty and warns once on stderr", async () => {
    const warnings: string[] = [];
    vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      warnings.push(String(chunk));
      return true;
    });
    const c = contextWithoutPty();
    const first = await c.run("echo out; echo err >&2", { pty: true, hide: true, inStream: false });
    await c.run("true", { pty: true, hide: true, inStream: false });
    expect(first.pty).toBe(false);
    expect(first.stdout).toBe("out\n");
    expect(first.stderr).toBe("err\n");
    const fallbackWarnings = warnings.filter((w) => w.includes("falling back to non-pty execution!"));
    expect(fallbackWarnings).toEqual([
      "WARNING: no pseudo-terminal available (node-pty is not installed); falling back to non-pty execution!\n",
    ]);
  });

  it("throws PlatformError with fallback: false", async () => {
    await expect(
      contextWithoutPty().run("true", { pty: true, fallback: false, inStream: false }),
    ).rejects.toBeInstanceOf(PlatformError);
  });
});

describe("ptySize", () => {
  it("defaults to 80x24 without a terminal and reads a terminal's size", () => {
    expect(ptySize({ isTTY: false } as NodeJS.WriteStream)).toEqual({ columns: 80, rows: 24 });
    expect(ptySize({ isTTY: true, columns: 132, rows: 50 } as NodeJS.WriteStream)).toEqual({
      columns: 132,
      rows: 50,
    });
  });
});
