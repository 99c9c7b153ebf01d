import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readBanner, type SshdHarness, startSshd } from "../../src/index.js";
import { isPortFree } from "../../src/sshd/ports.js";
import { descendantsOf, isAlive } from "../../src/sshd/process-tree.js";
import { describeWithSshd } from "../../src/sshd/vitest.js";

describeWithSshd("startSshd with three hosts", () => {
  let sshd: SshdHarness;

  beforeAll(async () => {
    sshd = await startSshd({ hosts: 3 });
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it("serves three loopback hosts on one port", () => {
    expect(sshd.hosts.map((host) => [host.alias, host.address, host.port])).toEqual([
      ["host1", "127.0.0.1", sshd.port],
      ["host2", "127.0.0.2", sshd.port],
      ["host3", "127.0.0.3", sshd.port],
    ]);
    expect(sshd.pid).toBeGreaterThan(0);
  });

  it("logs in to every host with the OpenSSH client, strict host key checking on", async () => {
    for (const host of sshd.hosts) {
      const result = await sshd.ssh(host.alias, "echo ok; id -un");
      expect(result.stderr).toBe("");
      expect(result.stdout).toBe(`ok\n${sshd.user}\n`);
      expect(result.code).toBe(0);
    }
  });

  it("the generated ssh_config also answers to the bare address", async () => {
    const result = await sshd.ssh("host2", "true", { sshOptions: ["-G"] });
    expect(result.stdout).toContain("hostname 127.0.0.2\n");
    expect(result.stdout).toContain(`port ${sshd.port}\n`);
    expect(result.stdout).toContain("stricthostkeychecking true\n");
  });

  it("refuses a host whose key is not in known_hosts (the checking really is strict)", async () => {
    const empty = join(sshd.dir, "empty_known_hosts");
    await writeFile(empty, "");
    const result = await sshd.ssh("host1", "true", { sshOptions: ["-o", `UserKnownHostsFile=${empty}`] });
    expect(result.code).toBe(255);
    expect(result.stderr).toMatch(/Host key verification failed/);
  });

  it("the hashed known_hosts variant verifies too", async () => {
    const result = await sshd.ssh("host3", "echo hashed", {
      sshOptions: ["-o", `UserKnownHostsFile=${sshd.hashedKnownHostsPath}`],
    });
    expect(result.stdout).toBe("hashed\n");
    expect(result.code).toBe(0);
  });

  it("authorizes every client key type, the encrypted one with its passphrase", async () => {
    const keys = sshd.clientKeys;
    for (const key of [keys.ed25519, keys.rsa, keys.ecdsa]) {
      const result = await sshd.ssh("host1", "echo in", { sshOptions: ["-i", key.privateKeyPath] });
      expect({ key: key.type, out: result.stdout, code: result.code }).toEqual({
        key: key.type,
        out: "in\n",
        code: 0,
      });
    }
    const identityFile = keys.ed25519Encrypted.privateKeyPath;
    const withPassphrase = await sshd.ssh("host1", "echo unlocked", {
      identityFile,
      secret: keys.ed25519Encrypted.passphrase,
    });
    expect(withPassphrase.stdout).toBe("unlocked\n");
    const wrongPassphrase = await sshd.ssh("host1", "echo unlocked", {
      identityFile,
      sshOptions: ["-o", "NumberOfPasswordPrompts=1"],
      secret: "not the passphrase",
    });
    expect(wrongPassphrase.code).toBe(255);
    const noKey = await sshd.ssh("host1", "echo unlocked", { identityFile: null });
    expect(noKey.code).toBe(255);
    expect(noKey.stderr).toMatch(/Permission denied/);
  });

  it("records the login in its log, with the key that was used", async () => {
    expect(await sshd.readLog()).toContain(`Accepted publickey for ${sshd.user}`);
    expect(sshd.logTail(500)).toContain(sshd.clientKeys.ed25519.fingerprint);
  });

  it("exposes host keys whose fingerprints match what the server presents", async () => {
    expect(sshd.hostKeys.map((key) => key.type).sort()).toEqual(["ecdsa", "ed25519", "rsa"]);
    const result = await sshd.ssh("host1", "true", {
      sshOptions: ["-v", "-o", "HostKeyAlgorithms=ssh-ed25519"],
    });
    const ed25519 = sshd.hostKeys.find((key) => key.type === "ed25519");
    expect(result.stderr).toContain(`Server host key: ssh-ed25519 ${ed25519?.fingerprint}`);
  });

  it("answers with an OpenSSH banner on every address", async () => {
    for (const host of sshd.hosts) {
      expect(await readBanner(host.address, host.port)).toMatch(/^SSH-2\.0-OpenSSH_/);
    }
  });
});

describeWithSshd("harness lifecycle", () => {
  it("stop() leaves no process, no open port and no temp dir", async () => {
    const sshd = await startSshd({ hosts: 2 });
    const pid = sshd.pid ?? -1;
    // A session in progress must not survive stop() either.
    const session = spawn("ssh", [...sshd.sshArgs("host1"), "sleep 60"], { stdio: "ignore" });
    const sessionExit = once(session, "exit");
    await waitFor(() => descendantsOf(pid).length >= 2);
    const sessionPids = descendantsOf(pid);
    await sshd.stop();
    expect(isAlive(pid)).toBe(false);
    expect(sessionPids.filter(isAlive)).toEqual([]);
    expect(existsSync(sshd.dir)).toBe(false);
    expect(await isPortFree(["127.0.0.1", "127.0.0.2"], sshd.port)).toBe(true);
    expect(sshd.running).toBe(false);
    await sessionExit;
    await sshd.stop(); // idempotent
  });

  it("kill() drops a live session; restart() serves the same port and host keys again", async () => {
    await using sshd = await startSshd();
    const session = spawn("ssh", [...sshd.sshArgs("host1"), "echo started; sleep 60"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const started = new Promise<void>((resolve) => session.stdout.on("data", () => resolve()));
    await started;
    const exited = once(session, "exit");
    await sshd.kill();
    const [code] = await exited;
    expect(code).toBe(255);
    expect(sshd.running).toBe(false);
    expect((await sshd.ssh("host1", "true")).code).toBe(255);

    await sshd.restart();
    expect(sshd.running).toBe(true);
    // Same known_hosts file, so the host keys are unchanged.
    const again = await sshd.ssh("host1", "echo back");
    expect(again.stdout).toBe("back\n");
  });

  it("killSessions() drops connections but keeps the listener", async () => {
    await using sshd = await startSshd();
    const session = spawn("ssh", [...sshd.sshArgs("host1"), "echo started; sleep 60"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    await new Promise<void>((resolve) => session.stdout.on("data", () => resolve()));
    const exited = once(session, "exit");
    expect(sshd.killSessions()).toBeGreaterThan(0);
    expect((await exited)[0]).toBe(255);
    expect(sshd.running).toBe(true);
    expect((await sshd.ssh("host1", "echo still")).stdout).toBe("still\n");
  });

  it("stop() also ends sessions a fault test left stopped (SIGSTOP)", async () => {
    const sshd = await startSshd();
    const pid = sshd.pid ?? -1;
    const session = spawn("ssh", [...sshd.sshArgs("host1"), "echo started; sleep 60"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    await new Promise<void>((resolve) => session.stdout.on("data", () => resolve()));
    const sessionExit = once(session, "exit");
    await sshd.kill("SIGSTOP");
    expect(sshd.running).toBe(true);
    const stopped = descendantsOf(pid);
    expect(stopped.length).toBeGreaterThan(0);
    await sshd.stop();
    expect([pid, ...stopped].filter(isAlive)).toEqual([]);
    await sessionExit;
  });

  it("takes aliases, addresses and ports from host specs", async () => {
    await using sshd = await startSshd({
      hosts: [{ alias: "web", address: "127.0.0.5" }, "127.0.0.6"],
    });
    expect(sshd.hosts.map((h) => h.alias)).toEqual(["web", "host2"]);
    expect((await sshd.ssh("web", "echo web")).stdout).toBe("web\n");
  });

  it("serves two hosts on one address with different ports", async () => {
    const port = await freePort();
    await using sshd = await startSshd({
      hosts: ["127.0.0.1", { alias: "other", address: "127.0.0.1", port }],
    });
    expect(sshd.host("other").port).toBe(port);
    expect(sshd.host("host1").port).not.toBe(port);
    expect((await sshd.ssh("other", "echo other")).stdout).toBe("other\n");
    expect((await sshd.ssh("host1", "echo first")).stdout).toBe("first\n");
  });

  it("fails with the sshd log and a fix when the configuration is bad", async () => {
    const attempt = startSshd({ extraConfig: ["NoSuchOption yes"] });
    await expect(attempt).rejects.toThrow(
      /Bad configuration option: NoSuchOption[\s\S]*To fix: fix the sshd_config/,
    );
  });

  it("fails clearly when the requested port is taken", async () => {
    await using first = await startSshd();
    await expect(startSshd({ port: first.port })).rejects.toThrow(
      /Address already in use[\s\S]*pick another port/,
    );
  });

  it("rejects addresses outside 127.0.0.0/8", async () => {
    await expect(startSshd({ hosts: ["10.0.0.1"] })).rejects.toThrow(/not in 127\.0\.0\.0\/8/);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}

async function freePort(): Promise<number> {
  const { findFreePort } = await import("../../src/sshd/ports.js");
  return findFreePort(["127.0.0.1"]);
}
