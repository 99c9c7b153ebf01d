import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveAlgorithmList } from "../../src/client/algorithms.js";
import { clientOptionsFromSshConfig } from "../../src/client/from-ssh-config.js";
import { resolveSshConfig } from "../../src/ssh-config/index.js";

describe("clientOptionsFromSshConfig", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "cfg-test-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("maps a resolved ssh_config onto explicit client options (seconds → ms, agent none → false)", async () => {
    const file = join(dir, "config");
    await writeFile(
      file,
      [
        "Host web",
        "  HostName 127.0.0.9",
        "  Port 2201",
        "  User deploy",
        "  IdentityFile ~/.ssh/deploy_key",
        "  IdentitiesOnly yes",
        "  IdentityAgent none",
        "  StrictHostKeyChecking accept-new",
        "  UserKnownHostsFile /tmp/kh1 /tmp/kh2",
        "  HostKeyAlias webalias",
        "  ConnectTimeout 7",
        "  ConnectionAttempts 3",
        "  ServerAliveInterval 15",
        "  ServerAliveCountMax 4",
        "  Ciphers aes256-gcm@openssh.com,chacha20-poly1305@openssh.com",
        "  HashKnownHosts yes",
        "  BatchMode yes",
        "  PasswordAuthentication no",
        "",
      ].join("\n"),
    );
    const resolved = await resolveSshConfig({ host: "web", configFile: file });
    const options = clientOptionsFromSshConfig(resolved, { password: "from-override" });
    expect(options).toMatchObject({
      host: "127.0.0.9",
      port: 2201,
      username: "deploy",
      identitiesOnly: true,
      agent: false,
      strictHostKeyChecking: "accept-new",
      userKnownHostsFiles: ["/tmp/kh1", "/tmp/kh2"],
      hostKeyAlias: "webalias",
      hashKnownHosts: true,
      connectTimeout: 7000,
      connectionAttempts: 3,
      keepaliveInterval: 15_000,
      keepaliveCountMax: 4,
      batchMode: true,
      authMethods: { password: false },
      password: "from-override",
    });
    expect(options.identityFiles?.[0]).toMatch(/deploy_key$/);
    expect(options.algorithms?.cipher).toEqual(["aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com"]);
    expect(options.algorithms?.serverHostKey).toBeUndefined();
  });

  it("leaves the cipher order to ssh2 unless a file sets Ciphers (OpenSSH's default puts chacha20 first)", async () => {
    const file = join(dir, "config-no-ciphers");
    await writeFile(file, "Host web\n  HostName 127.0.0.9\n");
    const resolved = await resolveSshConfig({ host: "web", configFile: file });
    expect(resolved.ciphers[0]).toBe("chacha20-poly1305@openssh.com");
    expect(clientOptionsFromSshConfig(resolved).algorithms?.cipher).toBeUndefined();
  });
});

describe("resolveAlgorithmList", () => {
  it("understands OpenSSH's +, -, ^ forms and drops algorithms ssh2 lacks", () => {
    expect(resolveAlgorithmList("kex", "sntrup761x25519-sha512@openssh.com,curve25519-sha256")).toEqual([
      "curve25519-sha256",
    ]);
    expect(resolveAlgorithmList("cipher", "-*cbc,aes128-gcm*")).not.toContain("aes128-gcm@openssh.com");
    expect(resolveAlgorithmList("serverHostKey", "^ssh-rsa")[0]).toBe("ssh-rsa");
    expect(resolveAlgorithmList("kex", "+diffie-hellman-group1-sha1").at(-1)).toBe(
      "diffie-hellman-group1-sha1",
    );
    expect(() => resolveAlgorithmList("cipher", "nonexistent-cipher")).toThrow(/No supported cipher/);
  });
});
