// Transfers against the in-process SSH server: an SFTP server without posix-rename (replacing a file
// takes the unlink-then-rename path), and a connection dropped mid-transfer by fault injection.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type EmbeddedHosts, startEmbeddedHosts } from "@fabric-ts/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FabricConfig } from "../../src/config/fabric-config.js";
import { Connection } from "../../src/connection/connection.js";

describe("transfers against embedded hosts", () => {
  let hosts: EmbeddedHosts;
  let local: string;

  const connect = () => {
    const config = new FabricConfig({ lazy: true, runtimeSshPath: hosts.sshConfigPath, env: {} });
    config.set("connectKwargs", { agent: false });
    return new Connection("web1", { config });
  };

  beforeAll(async () => {
    hosts = await startEmbeddedHosts({ hosts: 1 });
    local = await mkdtemp(join(tmpdir(), "fabric-embedded-xfer-"));
  });
  afterAll(async () => {
    await hosts?.stop();
    if (local) await rm(local, { recursive: true, force: true });
  });

  it("replaces existing files and symlinks on a server without posix-rename", async () => {
    await using c = connect();
    const sftp = await c.sftp();
    expect(sftp.extensions["posix-rename@openssh.com"]).toBeUndefined();
    const target = join(local, "remote-side");
    const src = join(local, "src");
    await mkdir(join(src, "d"), { recursive: true });
    await writeFile(join(src, "d", "a.txt"), "first");
    await c.put(src, target, { method: "sftp" });
    await writeFile(join(src, "d", "a.txt"), "second");
    await c.put(`${src}/`, target, { method: "sftp" });
    expect(await readFile(join(target, "d", "a.txt"), "utf8")).toBe("second");
    const { utimes } = await import("node:fs/promises");
    await utimes(join(src, "d", "a.txt"), 1_000_000_000, 1_000_000_000);
    const report = await c.sync(src, target);
    expect(report.sent).toEqual(["d/a.txt"]); // the put above did not copy mtimes
    expect((await c.sync(src, target)).sent).toEqual([]);
  });

  it("a put cut off mid-transfer rejects and leaves the old file", async () => {
    const target = join(local, "big.bin");
    await writeFile(target, "old");
    const src = join(local, "big-src.bin");
    await writeFile(src, Buffer.alloc(8 * 1024 * 1024, 5));
    const host = hosts.host("web1");
    await using c = connect();
    await c.open();
    host.faults.dropAfterBytes = 2 * 1024 * 1024;
    try {
      const error = await c.put(src, target).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ statusName: "CONNECTION_LOST" });
    } finally {
      host.faults.dropAfterBytes = undefined;
    }
    expect(await readFile(target, "utf8")).toBe("old");
    // The temporary file was removed over a fresh connection.
    const { readdir } = await import("node:fs/promises");
    expect((await readdir(local)).filter((name) => name.includes("fabric-ts"))).toEqual([]);
  });
});
