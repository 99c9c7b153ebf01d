import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GroupException } from "../../../src/errors/index.js";
import { SerialGroup } from "../../../src/group/serial-group.js";
import { ThreadingGroup } from "../../../src/group/threading-group.js";
import { configFor, type EmbeddedHosts, startEmbeddedHosts } from "../../support/embedded-hosts.js";
import { runFab } from "../../support/fab-process.js";

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("skipUnreachable: hosts that cannot be reached are reported apart from failures", () => {
  let hosts: EmbeddedHosts;
  let dir: string;
  let sshConfigPath: string;
  beforeAll(async () => {
    hosts = await startEmbeddedHosts({ hosts: 3 });
    dir = await mkdtemp(join(tmpdir(), "fabric-unreachable-"));
    sshConfigPath = join(dir, "ssh_config");
    const web3 = hosts.host("web3");
    // `down` refuses connections; `badkey` answers with a host key known_hosts does not list.
    const extra = [
      "Host down",
      "  HostName 127.0.0.1",
      `  Port ${await closedPort()}`,
      "Host badkey",
      `  HostName ${web3.address}`,
      `  Port ${web3.port}`,
      `  UserKnownHostsFile ${join(dir, "empty_known_hosts")}`,
      "  StrictHostKeyChecking yes",
    ].join("\n");
    await writeFile(join(dir, "empty_known_hosts"), "");
    await writeFile(sshConfigPath, `${extra}\n${await readFile(hosts.sshConfigPath, "utf8")}`);
  });
  afterAll(async () => {
    await hosts?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("a ThreadingGroup with skipUnreachable succeeds on the others and lists the unreachable host", async () => {
    await using group = new ThreadingGroup("web1", "down", "web2", {
      config: configFor(sshConfigPath),
      skipUnreachable: true,
    });
    const result = await group.run("echo hi", { hide: true });
    expect(result.ok).toBe(true);
    expect([...result.succeeded.keys()].map((c) => c.originalHost)).toEqual(["web1", "web2"]);
    expect(result.failed.size).toBe(0);
    const unreachable = [...result.unreachable];
    expect(unreachable.map(([c]) => c.originalHost)).toEqual(["down"]);
    expect((unreachable[0]?.[1] as { code?: string } | undefined)?.code).toBe("CONNECT_REFUSED");
    expect(result.outcomes().map((o) => o.status)).toEqual(["ok", "unreachable", "ok"]);
    expect(result.summary()).toContain("2 ok, 1 unreachable");
  });

  it("without it, the unreachable host fails the group (Fabric's behaviour)", async () => {
    await using group = new SerialGroup("web1", "down", { config: configFor(sshConfigPath) });
    const error = await group.run("true", { hide: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GroupException);
    const result = (error as GroupException).result;
    expect([...result.failed.keys()].map((c) => c.originalHost)).toEqual(["down"]);
    expect(result.unreachable.size).toBe(0);
  });

  it("a host key failure is never 'unreachable': it still fails the group", async () => {
    await using group = new ThreadingGroup("web1", "badkey", "down", {
      config: configFor(sshConfigPath),
      skipUnreachable: true,
    });
    const error = await group.run("true", { hide: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GroupException);
    const result = (error as GroupException).result;
    const failed = [...result.failed];
    expect(failed.map(([c]) => c.originalHost)).toEqual(["badkey"]);
    expect((failed[0]?.[1] as { code?: string } | undefined)?.code).toBe("HOST_KEY_UNKNOWN");
    expect([...result.unreachable.keys()].map((c) => c.originalHost)).toEqual(["down"]);
  });

  it("fab --skip-unreachable exits 0, shows the host as unreachable in the summary and the JSON events", async () => {
    const plain = await runFab(
      ["-S", sshConfigPath, "-H", "web1,down,web2", "--skip-unreachable", "--", "true"],
      {
        env: { HOME: dir },
      },
    );
    expect(plain.hung).toBe(false);
    expect(plain.code).toBe(0);
    expect(plain.stderr).toMatch(/down\s+unreachable/);
    expect(plain.stderr).toContain("2 ok, 1 unreachable");

    const json = await runFab(
      ["-S", sshConfigPath, "-H", "web1,down", "--skip-unreachable", "--json", "--", "true"],
      { env: { HOME: dir } },
    );
    expect(json.code).toBe(0);
    const summary = JSON.parse(json.stdout.trimEnd().split("\n").at(-1) ?? "{}");
    expect(summary).toMatchObject({ event: "summary", ok: true, failed: [], unreachable: ["down"] });

    const strict = await runFab(["-S", sshConfigPath, "-H", "web1,down", "--", "true"], {
      env: { HOME: dir },
    });
    expect(strict.code).not.toBe(0);
    expect(strict.stderr).toContain("down");
  });
});
