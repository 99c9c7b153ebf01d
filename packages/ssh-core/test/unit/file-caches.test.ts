/**
 * Files read by every connection (known_hosts, IdentityFile keys, ssh_config) are parsed once per
 * process and reused while unchanged. These tests pin the invalidation: a rewrite (even of the same
 * size), a replacement by rename, a chmod and a file changed right after it was read are all seen.
 */
import { chmod, mkdtemp, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import ssh2 from "ssh2";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { StatCache } from "../../src/cache/stat-cache.js";
import { loadIdentityFiles } from "../../src/client/identities.js";
import { HostKeyError } from "../../src/errors.js";
import { loadKnownHostsFiles } from "../../src/known-hosts/files.js";
import { verifyHostKey } from "../../src/known-hosts/verifier.js";
import { resolveSshConfigSync } from "../../src/ssh-config/resolve.js";
import { blob } from "../support/key-blob.js";

const KEY_A = blob("ssh-ed25519", "A".repeat(32));
const KEY_B = blob("ssh-ed25519", "B".repeat(32));
const b64 = (b: Buffer) => b.toString("base64");

/** Move a file's times well into the past, so that a cache may trust what it read from it. */
async function settle(path: string): Promise<void> {
  const past = new Date(Date.now() - 60_000);
  await utimes(path, past, past);
  // utimes sets ctime to now, and ctime cannot be set back: wait until it is settled too.
  const { ctimeMs } = await stat(path);
  await sleep(Math.max(0, ctimeMs + 1_100 - Date.now()));
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "fabts-file-caches-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("StatCache", () => {
  it("returns a value only while the file's stat is the one it was stored with", async () => {
    const path = join(dir, "f");
    await writeFile(path, "one");
    await settle(path);
    const cache = new StatCache<string>();
    const before = Date.now();
    const stats = await stat(path);
    cache.set(path, stats, "parsed one", before);
    expect(cache.get(path, await stat(path))).toBe("parsed one");

    await writeFile(path, "two"); // same size, new mtime
    expect(cache.get(path, await stat(path))).toBeUndefined();
  });

  it("does not trust what it read from a file changed just before", async () => {
    const path = join(dir, "f");
    await writeFile(path, "fresh");
    const cache = new StatCache<string>();
    const before = Date.now();
    const stats = await stat(path);
    cache.set(path, stats, "parsed", before);
    // Same stat, but a write in the same clock tick would not have changed it: not reused.
    expect(cache.get(path, stats)).toBeUndefined();
  });

  it("evicts the oldest entry beyond its size", async () => {
    const cache = new StatCache<number>(2);
    const paths = ["a", "b", "c"].map((name) => join(dir, name));
    for (const path of paths) await writeFile(path, "x");
    for (const path of paths) await settle(path);
    const now = Date.now();
    for (const [i, path] of paths.entries()) cache.set(path, await stat(path), i, now);
    expect(cache.get(paths[0]!, await stat(paths[0]!))).toBeUndefined();
    expect(cache.get(paths[2]!, await stat(paths[2]!))).toBe(2);
  });
});

describe("known_hosts cache", () => {
  it("parses an unchanged file once, even for connections starting together", async () => {
    const file = join(dir, "known_hosts");
    await writeFile(file, `web1 ssh-ed25519 ${b64(KEY_A)}\n`);
    await settle(file);
    await loadKnownHostsFiles([file]);
    const loads = await Promise.all(Array.from({ length: 5 }, () => loadKnownHostsFiles([file])));
    for (const entries of loads) expect(entries[0]).toBe(loads[0]![0]);
  });

  it("sees a same-size rewrite with a different key: the host key is then refused", async () => {
    const file = join(dir, "known_hosts");
    const policy = {
      strictHostKeyChecking: "yes" as const,
      userKnownHostsFiles: [file],
      globalKnownHostsFiles: [],
    };
    await writeFile(file, `web1 ssh-ed25519 ${b64(KEY_A)}\n`);
    await settle(file);
    expect((await verifyHostKey("web1", 22, KEY_A, policy)).status).toBe("known");
    expect((await verifyHostKey("web1", 22, KEY_A, policy)).status).toBe("known");

    await writeFile(file, `web1 ssh-ed25519 ${b64(KEY_B)}\n`);
    await expect(verifyHostKey("web1", 22, KEY_A, policy)).rejects.toMatchObject({
      code: "HOST_KEY_MISMATCH",
    });
    expect((await verifyHostKey("web1", 22, KEY_B, policy)).status).toBe("known");
  });

  it("sees a file replaced by rename and a file that disappears", async () => {
    const file = join(dir, "known_hosts");
    await writeFile(file, `web1 ssh-ed25519 ${b64(KEY_A)}\n`);
    await settle(file);
    expect(await loadKnownHostsFiles([file])).toHaveLength(1);

    const replacement = join(dir, "known_hosts.new");
    await writeFile(replacement, `web1 ssh-ed25519 ${b64(KEY_A)}\nweb2 ssh-ed25519 ${b64(KEY_B)}\n`);
    await settle(replacement);
    await rename(replacement, file);
    expect((await loadKnownHostsFiles([file])).map((e) => e.line)).toEqual([1, 2]);

    await rm(file);
    expect(await loadKnownHostsFiles([file])).toEqual([]);
  });

  it("sees a change made right after the file was read", async () => {
    const file = join(dir, "known_hosts");
    const policy = {
      strictHostKeyChecking: "yes" as const,
      userKnownHostsFiles: [file],
      globalKnownHostsFiles: [],
    };
    await writeFile(file, `web1 ssh-ed25519 ${b64(KEY_A)}\n`);
    expect((await verifyHostKey("web1", 22, KEY_A, policy)).status).toBe("known");
    await writeFile(file, `web1 ssh-ed25519 ${b64(KEY_B)}\n`);
    await expect(verifyHostKey("web1", 22, KEY_A, policy)).rejects.toBeInstanceOf(HostKeyError);
  });
});

describe("identity file cache", () => {
  const keyText = () => ssh2.utils.generateKeyPairSync("ed25519").private;

  it("reuses the parsed key while the file is unchanged, with a fresh Identity each time", async () => {
    const path = join(dir, "id_ed25519");
    await writeFile(path, keyText(), { mode: 0o600 });
    await settle(path);
    const [first] = await loadIdentityFiles([path]);
    const [second] = await loadIdentityFiles([path]);
    expect(second).not.toBe(first);
    expect(second!.privateKey).toBe(first!.privateKey);
  });

  it("reads a replaced key file again", async () => {
    const path = join(dir, "id_ed25519");
    await writeFile(path, keyText(), { mode: 0o600 });
    await settle(path);
    const [first] = await loadIdentityFiles([path]);
    await writeFile(path, keyText(), { mode: 0o600 }); // same size, another key
    const [second] = await loadIdentityFiles([path]);
    expect(second!.publicBlob!.equals(first!.publicBlob!)).toBe(false);
  });

  it("still reports a key file that became unreadable", async () => {
    const path = join(dir, "id_ed25519");
    await writeFile(path, keyText(), { mode: 0o600 });
    await settle(path);
    await loadIdentityFiles([path]);
    await rm(path);
    await writeFile(path, "not a key\n", { mode: 0o600 });
    await expect(loadIdentityFiles([path])).rejects.toMatchObject({ code: "KEY_UNREADABLE" });
  });
});

describe("ssh_config file cache", () => {
  const resolve = (configFile: string) =>
    resolveSshConfigSync({ host: "web1", configFile, homeDir: dir, localUser: "me", env: {} });

  it("resolves from the changed file after a same-size rewrite", async () => {
    const path = join(dir, "config");
    await writeFile(path, "Host web1\n  Port 2201\n");
    await settle(path);
    expect(resolve(path).port).toBe(2201);
    expect(resolve(path).port).toBe(2201);
    await writeFile(path, "Host web1\n  Port 2202\n");
    expect(resolve(path).port).toBe(2202);
  });

  it("checks the user file's permissions on every read, cached or not", async () => {
    const path = join(dir, "user-config");
    await writeFile(path, "Host web1\n  Port 2201\n", { mode: 0o644 });
    await settle(path);
    const resolveUser = () =>
      resolveSshConfigSync({
        host: "web1",
        userConfigFile: path,
        systemConfigFile: join(dir, "none"),
        homeDir: dir,
        localUser: "me",
        env: {},
      });
    expect(resolveUser().port).toBe(2201);
    await chmod(path, 0o666);
    expect(() => resolveUser()).toThrow(/Bad owner or permissions/);
  });
});
