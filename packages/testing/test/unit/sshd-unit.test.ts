import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decideSuite, type SshdAvailability } from "../../src/sshd/availability.js";
import { findProgram } from "../../src/sshd/binaries.js";
import { runCommand } from "../../src/sshd/exec.js";
import { knownHostsName, planHosts } from "../../src/sshd/hosts.js";
import { fingerprintOf } from "../../src/sshd/keys.js";
import { hashHostName, renderKnownHosts } from "../../src/sshd/known-hosts.js";
import { renderSshConfig } from "../../src/sshd/ssh-config.js";
import { renderSshdConfig } from "../../src/sshd/sshd-config.js";
import { baseInput } from "../support/sshd-config-input.js";

const ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGir4vgCnGKVnrFRZnh7NSC76ms0BW1vuTlc1bzdMHyw fabts-host";

describe("planHosts", () => {
  it("numbers hosts from 127.0.0.1 with host1… aliases", () => {
    expect(planHosts(3)).toEqual([
      { alias: "host1", address: "127.0.0.1", port: undefined },
      { alias: "host2", address: "127.0.0.2", port: undefined },
      { alias: "host3", address: "127.0.0.3", port: undefined },
    ]);
    expect(planHosts(undefined)).toHaveLength(1);
  });

  it("keeps given aliases and ports, and refuses non-loopback or duplicate hosts", () => {
    expect(planHosts([{ alias: "web", address: "127.0.0.9", port: 2200 }, "127.0.0.10"])).toEqual([
      { alias: "web", address: "127.0.0.9", port: 2200 },
      { alias: "host2", address: "127.0.0.10", port: undefined },
    ]);
    expect(() => planHosts(["192.168.1.1"])).toThrow(/loopback only/);
    expect(() => planHosts(["localhost"])).toThrow(/loopback only/);
    expect(() => planHosts(["127.0.0.1", "127.0.0.1"])).toThrow(/duplicate/);
    expect(() => planHosts([{ alias: "a b", address: "127.0.0.1" }])).toThrow(/invalid host alias/);
    expect(() => planHosts(0)).toThrow(/from 1 to 254/);
  });

  it("names port 22 bare and other ports in brackets, like OpenSSH", () => {
    expect(knownHostsName("127.0.0.1", 22)).toBe("127.0.0.1");
    expect(knownHostsName("127.0.0.1", 2222)).toBe("[127.0.0.1]:2222");
  });
});

describe("renderSshdConfig", () => {
  it("listens on every endpoint and applies the options", () => {
    const text = renderSshdConfig({
      ...baseInput,
      maxSessions: 3,
      maxStartups: "2:30:5",
      allowTcpForwarding: "local",
    });
    const lines = text.split("\n");
    expect(lines).toContain("ListenAddress 127.0.0.1:2222");
    expect(lines).toContain("ListenAddress 127.0.0.2:2222");
    expect(lines).toContain("MaxSessions 3");
    expect(lines).toContain("MaxStartups 2:30:5");
    expect(lines).toContain("AllowTcpForwarding local");
    expect(lines).toContain("AllowUsers fabts fabts-nopw");
    expect(lines).toContain("UsePAM no");
    expect(text).not.toMatch(/^Include/m);
  });

  it("puts extra lines first so they win, drops the default they replace, and keeps Match last", () => {
    const text = renderSshdConfig({
      ...baseInput,
      extraConfig: ["PrintMotd yes", "Match Address 127.0.0.2", "  MaxSessions 1"],
    });
    const lines = text.trimEnd().split("\n");
    expect(lines.filter((line) => /^PrintMotd/.test(line))).toEqual(["PrintMotd yes"]);
    expect(lines.indexOf("PrintMotd yes")).toBeLessThan(lines.indexOf("ListenAddress 127.0.0.1:2222"));
    expect(lines.slice(-2)).toEqual(["Match Address 127.0.0.2", "  MaxSessions 1"]);
  });

  it("refuses extra lines that would break the harness's own bookkeeping", () => {
    expect(() => renderSshdConfig({ ...baseInput, extraConfig: ["ListenAddress 0.0.0.0"] })).toThrow(
      /hosts\/port/,
    );
    expect(() => renderSshdConfig({ ...baseInput, extraConfig: ["port 22"] })).toThrow(/hosts\/port/);
  });

  it("quotes paths with spaces", () => {
    const text = renderSshdConfig({ ...baseInput, authorizedKeysFile: "/tmp/a b/keys" });
    expect(text).toContain('AuthorizedKeysFile "/tmp/a b/keys"');
  });
});

describe("renderSshConfig", () => {
  it("writes one strict block per alias, matching the bare address when it is unique", () => {
    const text = renderSshConfig({
      hosts: [
        { alias: "host1", address: "127.0.0.1", port: 2222 },
        { alias: "other", address: "127.0.0.1", port: 2223 },
        { alias: "host3", address: "127.0.0.3", port: 2222 },
      ],
      user: "fabts",
      identityFile: "/k/id_ed25519",
      knownHostsFile: "/k/known_hosts",
    });
    expect(text).toContain("Host host1\n  HostName 127.0.0.1\n  Port 2222\n  User fabts\n");
    expect(text).toContain("Host host3 127.0.0.3\n");
    for (const line of ["IdentityFile /k/id_ed25519", "IdentitiesOnly yes", "StrictHostKeyChecking yes"]) {
      expect(text.split(`  ${line}\n`)).toHaveLength(4);
    }
  });
});

describe("known_hosts", () => {
  it("hashes host names like HashKnownHosts (HMAC-SHA1 keyed by the salt)", () => {
    const salt = Buffer.alloc(20, 7);
    const hashed = hashHostName("[127.0.0.1]:2222", salt);
    const [, magic, saltB64, hash] = hashed.split("|");
    expect(magic).toBe("1");
    expect(Buffer.from(saltB64 ?? "", "base64")).toEqual(salt);
    expect(hash).toBe(createHmac("sha1", salt).update("[127.0.0.1]:2222").digest("base64"));
  });

  it("renders every endpoint × key; ssh-keygen -F finds the hashed entries", async () => {
    const endpoints = [
      { address: "127.0.0.1", port: 2222 },
      { address: "127.0.0.2", port: 22 },
    ];
    const plain = renderKnownHosts(endpoints, [ED25519]);
    expect(plain).toBe(
      `[127.0.0.1]:2222 ${ED25519.replace(" fabts-host", "")}\n127.0.0.2 ${ED25519.replace(" fabts-host", "")}\n`,
    );
    const keygen = findProgram("ssh-keygen");
    if (!keygen) return expect.fail("ssh-keygen is not installed");
    const dir = mkdtempSync(join(tmpdir(), "fabts-unit-"));
    try {
      const file = join(dir, "known_hosts");
      writeFileSync(file, renderKnownHosts(endpoints, [ED25519], { hashed: true }));
      for (const name of ["[127.0.0.1]:2222", "127.0.0.2"]) {
        const found = await runCommand(keygen, ["-F", name, "-f", file]);
        expect(found.code).toBe(0);
        expect(found.stdout).toContain("ssh-ed25519");
      }
      expect((await runCommand(keygen, ["-F", "[127.0.0.3]:2222", "-f", file])).code).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("computes fingerprints exactly like ssh-keygen -l", async () => {
    const keygen = findProgram("ssh-keygen");
    if (!keygen) return expect.fail("ssh-keygen is not installed");
    const result = await runCommand(keygen, ["-l", "-E", "sha256", "-f", "-"], { input: `${ED25519}\n` });
    expect(result.stdout.split(" ")[1]).toBe(fingerprintOf(ED25519));
  });
});

describe("decideSuite", () => {
  const missing: SshdAvailability = {
    available: false,
    reason: "sshd not found",
    sudo: false,
    sudoReason: "sshd not found",
  };
  const noRoot: SshdAvailability = {
    available: true,
    reason: undefined,
    sudo: false,
    sudoReason: "not root",
  };

  it("runs when the harness is available", () => {
    expect(decideSuite(noRoot, {}, {})).toEqual({ action: "run" });
  });

  it("fails in CI and skips elsewhere, saying what is missing", () => {
    expect(decideSuite(missing, {}, { CI: "true" })).toEqual({ action: "fail", reason: "sshd not found" });
    expect(decideSuite(missing, {}, { CI: "1" })).toEqual({ action: "fail", reason: "sshd not found" });
    expect(decideSuite(missing, {}, {})).toEqual({ action: "skip", reason: "sshd not found" });
    expect(decideSuite(missing, {}, { CI: "false" })).toEqual({ action: "skip", reason: "sshd not found" });
  });

  it("applies the same policy to suites that need sudo", () => {
    expect(decideSuite(noRoot, { sudo: true }, { CI: "true" })).toEqual({
      action: "fail",
      reason: "not root",
    });
    expect(decideSuite(noRoot, { sudo: true }, {})).toEqual({ action: "skip", reason: "not root" });
  });
});
