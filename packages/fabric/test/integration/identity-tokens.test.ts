// ssh_config IdentityFile with tokens (`id_%r@%h`) is opened expanded, as ssh does: the login below
// works only if the client loads the key from the expanded path (IdentitiesOnly, no agent).
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "../../src/connection/connection.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

describeWithSshd("IdentityFile tokens against real sshd", () => {
  let sshd: SshdHarness;
  let dir: string;

  beforeAll(async () => {
    sshd = await startSshd();
    dir = await mkdtemp(join(tmpdir(), "fabric-idtokens-"));
    const host = sshd.hosts[0]!;
    await mkdir(join(dir, "keys"), { mode: 0o700 });
    await copyFile(sshd.identityFile, join(dir, "keys", `id_${sshd.user}@${host.address}`));
    await writeFile(
      join(dir, "ssh_config"),
      [
        "Host tokens",
        `  HostName ${host.address}`,
        `  Port ${host.port}`,
        `  User ${sshd.user}`,
        "  IdentitiesOnly yes",
        `  IdentityFile ${dir}/keys/id_%r@%h`,
        `  UserKnownHostsFile ${sshd.knownHostsPath}`,
        "  StrictHostKeyChecking yes",
        "",
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await sshd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("logs in with the key at the expanded path", async () => {
    const host = sshd.hosts[0]!;
    await using c = new Connection("tokens", { config: harnessConfig(sshd, join(dir, "ssh_config")) });
    expect(c.identityFiles).toEqual([join(dir, "keys", `id_${sshd.user}@${host.address}`)]);
    expect((await c.run("echo in", { hide: true })).stdout).toBe("in\n");
  });
});
