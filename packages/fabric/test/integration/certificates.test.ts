// A Connection logs in with an OpenSSH user certificate named by ssh_config CertificateFile, against a
// real sshd that trusts only a CA (TrustedUserCAKeys, no authorized_keys).
import { execFile } from "node:child_process";
import { chmod, copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "../../src/connection/connection.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

const run = promisify(execFile);

describeWithSshd("Connection with a user certificate against real sshd", () => {
  let sshd: SshdHarness;
  let dir: string;
  const open: Connection[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fabric-certs-"));
    await chmod(dir, 0o755);
    await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", join(dir, "ca")]);
    sshd = await startSshd({
      extraConfig: [`TrustedUserCAKeys ${join(dir, "ca.pub")}`, "AuthorizedKeysFile none"],
    });
  });
  afterAll(async () => {
    await Promise.all(open.map((c) => c.close()));
    await sshd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("takes CertificateFile from ssh_config and fails the same login without it", async () => {
    // Certify the harness's own IdentityFile key, which the server does not authorize by itself.
    await copyFile(`${sshd.identityFile}.pub`, join(dir, "id.pub"));
    await run("ssh-keygen", [
      "-q",
      "-s",
      join(dir, "ca"),
      "-I",
      "deploy-cert",
      "-n",
      sshd.user,
      "-V",
      "-5m:+1h",
      join(dir, "id.pub"),
    ]);
    const sshConfig = join(dir, "ssh_config");
    const harnessBlocks = await readFile(sshd.sshConfigPath, "utf8");
    await writeFile(
      sshConfig,
      `Host host1\n  CertificateFile ${join(dir, "id-cert.pub")}\n\n${harnessBlocks}`,
    );

    const withCertificate = new Connection("host1", { config: harnessConfig(sshd, sshConfig) });
    open.push(withCertificate);
    const result = await withCertificate.run("whoami", { hide: true });
    expect(result.stdout.trim()).toBe(sshd.user);
    const accepted = (await sshd.readLog()).split("\n").filter((l) => l.includes("Accepted publickey"));
    expect(accepted.at(-1)).toContain("ID deploy-cert ");

    const without = new Connection("host1", { config: harnessConfig(sshd) });
    open.push(without);
    await expect(without.run("true", { hide: true })).rejects.toMatchObject({ code: "AUTH_FAILED" });
  });
});
