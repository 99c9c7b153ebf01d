import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HostKeyError } from "../../src/errors.js";
import {
  hashHostName,
  knownHostsName,
  matchPatternList,
  matchWildcard,
} from "../../src/known-hosts/host-pattern.js";
import { fingerprintSha256, keyTypeOfBlob } from "../../src/known-hosts/key-blob.js";
import { checkHostKey } from "../../src/known-hosts/lookup.js";
import { parseKnownHosts } from "../../src/known-hosts/parse.js";
import { verifyHostKey } from "../../src/known-hosts/verifier.js";
import { blob } from "../support/key-blob.js";

const KEY_A = blob("ssh-ed25519", "A".repeat(32));
const KEY_B = blob("ssh-ed25519", "B".repeat(32));
const RSA = blob("ssh-rsa", "rsa-key-material");
const b64 = (b: Buffer) => b.toString("base64");

describe("host patterns", () => {
  it("matches wildcards case-insensitively", () => {
    expect(matchWildcard("*.example.com", "WEB1.example.com")).toBe(true);
    expect(matchWildcard("web?", "web12")).toBe(false);
    expect(matchWildcard("web?", "web1")).toBe(true);
    expect(matchWildcard("*", "")).toBe(true);
    expect(matchWildcard("a*b*c", "axxbyyc")).toBe(true);
    expect(matchWildcard("a*b*c", "axxbyy")).toBe(false);
  });

  it("lets a negated pattern veto the whole list", () => {
    expect(matchPatternList(["*.example.com", "!bad.example.com"], "good.example.com")).toBe(true);
    expect(matchPatternList(["*.example.com", "!bad.example.com"], "bad.example.com")).toBe(false);
    expect(matchPatternList(["!bad.example.com"], "good.example.com")).toBe(false);
  });

  it("names non-default ports [host]:port and honours HostKeyAlias", () => {
    expect(knownHostsName("Web1", 22)).toBe("web1");
    expect(knownHostsName("127.0.0.2", 2222)).toBe("[127.0.0.2]:2222");
    expect(knownHostsName("127.0.0.2", 2222, "MyAlias")).toBe("myalias");
  });

  it("matches hashed entries produced like ssh-keygen -H", () => {
    const hashed = hashHostName("[127.0.0.1]:2222", Buffer.alloc(20, 7));
    const { entries } = parseKnownHosts(`${hashed} ssh-ed25519 ${b64(KEY_A)}\n`);
    expect(checkHostKey(entries, "[127.0.0.1]:2222", "ssh-ed25519", KEY_A).status).toBe("known");
    expect(checkHostKey(entries, "127.0.0.1", "ssh-ed25519", KEY_A).status).toBe("unknown");
  });
});

describe("parseKnownHosts", () => {
  it("parses markers, comments, pattern lists and reports bad lines with their numbers", () => {
    const text = [
      "# comment",
      "",
      `web1,web2 ssh-ed25519 ${b64(KEY_A)} some comment`,
      `@revoked * ssh-ed25519 ${b64(KEY_B)}`,
      `@cert-authority *.example.com ssh-ed25519 ${b64(KEY_A)}`,
      "@bogus host ssh-ed25519 AAAA",
      "onlyhost",
    ].join("\n");
    const { entries, problems } = parseKnownHosts(text, "/kh");
    expect(entries.map((e) => [e.line, e.marker])).toEqual([
      [3, null],
      [4, "revoked"],
      [5, "cert-authority"],
    ]);
    expect(entries[0]?.hosts).toEqual({ kind: "patterns", patterns: ["web1", "web2"] });
    expect(entries[0]?.comment).toBe("some comment");
    expect(problems.map((p) => p.line)).toEqual([6, 7]);
  });
});

describe("checkHostKey", () => {
  const text = [
    `web1 ssh-ed25519 ${b64(KEY_A)}`,
    `web1 ssh-rsa ${b64(RSA)}`,
    `@revoked * ssh-ed25519 ${b64(KEY_B)}`,
    `web2 ssh-ed25519 ${b64(KEY_A)}`,
  ].join("\n");
  const { entries } = parseKnownHosts(text, "/kh");

  it("classifies known, changed, revoked and unknown like OpenSSH", () => {
    expect(checkHostKey(entries, "web1", "ssh-ed25519", KEY_A).status).toBe("known");
    expect(checkHostKey(entries, "web1", "ssh-ed25519", KEY_B).status).toBe("revoked");
    const changed = checkHostKey(entries, "web2", "ssh-ed25519", blob("ssh-ed25519", "C".repeat(32)));
    expect(changed).toMatchObject({ status: "changed", entry: { line: 4 } });
    expect(checkHostKey(entries, "web3", "ssh-ed25519", KEY_A)).toEqual({
      status: "unknown",
      otherKeyTypes: [],
    });
    expect(checkHostKey(entries, "web2", "ssh-rsa", RSA)).toEqual({
      status: "unknown",
      otherKeyTypes: ["ssh-ed25519"],
    });
  });

  it("reads the key type from the blob and fingerprints like ssh-keygen -l", () => {
    expect(keyTypeOfBlob(RSA)).toBe("ssh-rsa");
    expect(fingerprintSha256(KEY_A)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});

describe("verifyHostKey", () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "kh-test-"));
    file = join(dir, "ssh", "known_hosts");
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const policy = (extra: object) => ({ userKnownHostsFiles: [file], globalKnownHostsFiles: [], ...extra });

  it("yes: refuses an unknown key with HOST_KEY_UNKNOWN and the fingerprint", async () => {
    const error = await verifyHostKey("h", 2222, KEY_A, policy({ strictHostKeyChecking: "yes" })).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(HostKeyError);
    expect(error.code).toBe("HOST_KEY_UNKNOWN");
    expect(error.message).toContain(fingerprintSha256(KEY_A));
    await expect(stat(file)).rejects.toThrow();
  });

  it("accept-new: appends `[host]:port type base64` to a new 0600 file, then knows it", async () => {
    const verdict = await verifyHostKey("H", 2222, KEY_A, policy({ strictHostKeyChecking: "accept-new" }));
    expect(verdict.added?.line).toBe(`[h]:2222 ssh-ed25519 ${b64(KEY_A)}`);
    expect(await readFile(file, "utf8")).toBe(`[h]:2222 ssh-ed25519 ${b64(KEY_A)}\n`);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, "ssh"))).mode & 0o777).toBe(0o700);
    const again = await verifyHostKey("h", 2222, KEY_A, policy({ strictHostKeyChecking: "yes" }));
    expect(again.status).toBe("known");
  });

  it("accept-new with hashing writes a |1| entry that matches later", async () => {
    await verifyHostKey(
      "h",
      22,
      KEY_A,
      policy({ strictHostKeyChecking: "accept-new", hashKnownHosts: true }),
    );
    const text = await readFile(file, "utf8");
    expect(text).toMatch(/^\|1\|[^|]+\|[^ ]+ ssh-ed25519 /);
    expect(text).not.toContain("h ");
    expect((await verifyHostKey("h", 22, KEY_A, policy({ strictHostKeyChecking: "yes" }))).status).toBe(
      "known",
    );
  });

  it("never glues a new entry onto an unterminated last line", async () => {
    await verifyHostKey("seed", 22, KEY_B, policy({ strictHostKeyChecking: "accept-new" }));
    await writeFile(file, `other ssh-ed25519 ${b64(KEY_B)}`);
    await verifyHostKey("h", 22, KEY_A, policy({ strictHostKeyChecking: "accept-new" }));
    expect((await readFile(file, "utf8")).split("\n")).toEqual([
      `other ssh-ed25519 ${b64(KEY_B)}`,
      `h ssh-ed25519 ${b64(KEY_A)}`,
      "",
    ]);
  });

  it("refuses a changed key in every mode, naming file:line", async () => {
    await verifyHostKey("h", 22, KEY_A, policy({ strictHostKeyChecking: "accept-new" }));
    const changed = blob("ssh-ed25519", "C".repeat(32));
    for (const mode of ["yes", "accept-new", "no", "ask"] as const) {
      const error = await verifyHostKey("h", 22, changed, policy({ strictHostKeyChecking: mode })).catch(
        (e) => e,
      );
      expect(error.code).toBe("HOST_KEY_MISMATCH");
      expect(error.message).toContain(`${file}:1`);
      expect(error.message).toContain(fingerprintSha256(changed));
    }
  });

  it("refuses a revoked key even with StrictHostKeyChecking=no", async () => {
    await mkdir(join(dir, "ssh"));
    await writeFile(file, `@revoked * ssh-ed25519 ${b64(KEY_A)}\n`);
    const error = await verifyHostKey("h", 22, KEY_A, policy({ strictHostKeyChecking: "no" })).catch(
      (e) => e,
    );
    expect(error.code).toBe("HOST_KEY_REVOKED");
  });

  it("ask: uses the callback's answer, and behaves like yes without one", async () => {
    const asked: string[] = [];
    const onUnknownHostKey = async (info: { hostName: string }) => {
      asked.push(info.hostName);
      return false;
    };
    const refused = await verifyHostKey(
      "h",
      22,
      KEY_A,
      policy({ strictHostKeyChecking: "ask", onUnknownHostKey }),
    ).catch((e) => e);
    expect(refused.code).toBe("HOST_KEY_UNKNOWN");
    expect(asked).toEqual(["h"]);
    const noCallback = await verifyHostKey("h", 22, KEY_A, policy({})).catch((e) => e);
    expect(noCallback.code).toBe("HOST_KEY_UNKNOWN");
    const accepted = await verifyHostKey(
      "h",
      22,
      KEY_A,
      policy({ strictHostKeyChecking: "ask", onUnknownHostKey: async () => true }),
    );
    expect(accepted.added?.file).toBe(file);
  });

  it("looks the key up under the HostKeyAlias and consults global files", async () => {
    const global = join(dir, "global_known_hosts");
    await writeFile(global, `myalias ssh-ed25519 ${b64(KEY_A)}\n`);
    const verdict = await verifyHostKey("10.9.9.9", 2200, KEY_A, {
      userKnownHostsFiles: [file],
      globalKnownHostsFiles: [global],
      hostKeyAlias: "myalias",
      strictHostKeyChecking: "yes",
    });
    expect(verdict).toMatchObject({ status: "known", hostName: "myalias" });
  });
});
