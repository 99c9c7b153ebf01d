import { describe, expect, it } from "vitest";
import { run, sudo } from "../../src/run.js";

describe("module-level helpers", () => {
  it("run() uses a fresh default Context", async () => {
    const result = await run("echo module", { hide: true, inStream: false });
    expect(result.stdout).toBe("module\n");
    expect(result.shell).toBe("/bin/bash");
  });

  it.skipIf(process.getuid?.() !== 0)("sudo() runs as root (root's sudo asks no password)", async () => {
    const result = await sudo("id -u", { hide: true, inStream: false });
    expect(result.stdout).toBe("0\n");
  });
});
