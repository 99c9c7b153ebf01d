import { existsSync } from "node:fs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type SshdHarness, startAgent, startSshd } from "../../src/index.js";
import { isAlive } from "../../src/sshd/process-tree.js";
import { describeWithSshd } from "../../src/sshd/vitest.js";

describeWithSshd("startAgent", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it("holds the keys added to it, including an encrypted one", async () => {
    await using agent = await startAgent();
    expect(await agent.list()).toEqual([]);
    const keys = sshd.clientKeys;
    await agent.add(keys.rsa.privateKeyPath);
    await agent.add(keys.ed25519Encrypted.privateKeyPath, keys.ed25519Encrypted.passphrase);
    const listed = await agent.list();
    expect(listed.map((identity) => identity.fingerprint)).toEqual([
      keys.rsa.fingerprint,
      keys.ed25519Encrypted.fingerprint,
    ]);
    expect(listed.map((identity) => identity.type)).toEqual(["RSA", "ED25519"]);
    await agent.removeAll();
    expect(await agent.list()).toEqual([]);
  });

  it("refuses an encrypted key without its passphrase", async () => {
    await using agent = await startAgent();
    const key = sshd.clientKeys.ed25519Encrypted;
    await expect(agent.add(key.privateKeyPath)).rejects.toThrow(/ssh-add/);
    await expect(agent.add(key.privateKeyPath, "wrong")).rejects.toThrow(/ssh-add/);
    expect(await agent.list()).toEqual([]);
  });

  it("lets ssh log in with nothing but the agent", async () => {
    await using agent = await startAgent();
    await agent.add(sshd.clientKeys.ecdsa.privateKeyPath);
    const viaAgent = await sshd.ssh("host1", "echo agent", {
      identityFile: null,
      sshOptions: ["-o", `IdentityAgent=${agent.socket}`],
    });
    expect(viaAgent.stdout).toBe("agent\n");
    expect(viaAgent.code).toBe(0);
    // The same login without the agent fails, so the agent really did the work.
    const withoutAgent = await sshd.ssh("host1", "echo agent", {
      identityFile: null,
      sshOptions: ["-o", "IdentityAgent=none"],
    });
    expect(withoutAgent.code).toBe(255);
  });

  it("stop() ends the agent and removes its socket", async () => {
    const agent = await startAgent();
    const pid = agent.pid ?? -1;
    expect(existsSync(agent.socket)).toBe(true);
    await agent.stop();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(agent.dir)).toBe(false);
  });
});
