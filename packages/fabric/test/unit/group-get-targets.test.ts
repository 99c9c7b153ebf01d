// Group downloads never let two hosts write to the same local file: embedded hosts all share the
// HostName 127.0.0.1 (one port each), the case where Fabric's `{host}/` default loses data.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type EmbeddedHosts, startEmbeddedHosts } from "@fabric-ts/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FabricConfig } from "../../src/config/fabric-config.js";
import { TransferError } from "../../src/errors/index.js";
import { ThreadingGroup } from "../../src/group/index.js";

describe("group get: one local path per host", () => {
  let hosts: EmbeddedHosts;
  let local: string;
  const cwd = process.cwd();

  const group = () => {
    const config = new FabricConfig({ lazy: true, runtimeSshPath: hosts.sshConfigPath, env: {} });
    config.set("connectKwargs", { agent: false });
    const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
    return new ThreadingGroup("web1", "web2", {
      config,
      output: { mode: "prefixed" as const, stdout: sink, stderr: sink },
    });
  };

  beforeAll(async () => {
    hosts = await startEmbeddedHosts({ hosts: ["web1", "web2"] });
    for (const host of hosts.hosts) await writeFile(join(host.dir, "app.log"), `log of ${host.name}\n`);
    local = await mkdtemp(join(tmpdir(), "fabric-group-get-"));
    process.chdir(local);
  });
  afterAll(async () => {
    process.chdir(cwd);
    await hosts?.stop();
    if (local) await rm(local, { recursive: true, force: true });
  });

  it("without a local path, falls back to {originalHost}/ when hosts share a HostName", async () => {
    await using g = group();
    expect(new Set(g.connections.map((c) => c.host)).size).toBe(1);
    const results = await g.get("app.log");
    expect(results.failed.size).toBe(0);
    expect(await readFile(join(local, "web1", "app.log"), "utf8")).toBe("log of web1\n");
    expect(await readFile(join(local, "web2", "app.log"), "utf8")).toBe("log of web2\n");
  });

  it("refuses a template that would send two hosts to one path, before anything moves", async () => {
    await using g = group();
    const attempt = g.get("app.log", join(local, "clash", "{host}", "{basename}"));
    await expect(attempt).rejects.toBeInstanceOf(TransferError);
    await expect(attempt).rejects.toThrow(/web1 and web2 would both be written to .*\{originalHost\}/);
    await expect(readFile(join(local, "clash", "127.0.0.1", "app.log"))).rejects.toThrow(/ENOENT/);
  });

  it("accepts a template that tells the hosts apart", async () => {
    await using g = group();
    await g.get("app.log", join(local, "ok", "{originalHost}.log"));
    expect(await readFile(join(local, "ok", "web2.log"), "utf8")).toBe("log of web2\n");
  });
});
