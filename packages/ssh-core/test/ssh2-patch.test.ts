// The project applies a patch to ssh2 (patches/ssh2@1.17.0.patch). These tests pin its behaviour
// against real sshd, so an ssh2 upgrade that drops or breaks the patch is noticed.
import { readFileSync } from "node:fs";
import ssh2 from "ssh2";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithSshd, type SshdHarness, startSshd } from "./support/sshd.js";

interface ProveSpy {
  client: ssh2.Client;
  proveCalls: () => number;
}

/** Connects a bare ssh2 client and counts the `hostkeys-prove` requests it sends. */
function connectCounting(sshd: SshdHarness, listen: boolean): Promise<ProveSpy> {
  const client = new ssh2.Client();
  let calls = 0;
  if (listen) client.on("hostkeys", () => {});
  return new Promise((resolve, reject) => {
    client.once("error", reject);
    client.once("ready", () => {
      // sshd announces its host keys right after authentication; wrap the sender before the
      // next packet is parsed.
      const proto = (client as unknown as { _protocol: Record<string, (...args: unknown[]) => unknown> })
        ._protocol;
      const original = proto.openssh_hostKeysProve.bind(proto);
      proto.openssh_hostKeysProve = (...args: unknown[]) => {
        calls += 1;
        return original(...args);
      };
      resolve({ client, proveCalls: () => calls });
    });
    client.connect({
      host: sshd.hosts[0].address,
      port: sshd.hosts[0].port,
      username: sshd.user,
      privateKey: readFileSync(sshd.identityFile),
    });
  });
}

/** Runs one command so every packet sshd sent after authentication has been handled. */
function runTrue(client: ssh2.Client): Promise<void> {
  return new Promise((resolve, reject) => {
    client.exec("true", (err, channel) => {
      if (err) return reject(err);
      channel.on("close", () => resolve());
      channel.resume();
    });
  });
}

describeWithSshd("patched ssh2 against real sshd", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it("skips the hostkeys-prove round when nobody listens for 'hostkeys'", async () => {
    const { client, proveCalls } = await connectCounting(sshd, false);
    try {
      await runTrue(client);
      expect(proveCalls()).toBe(0);
    } finally {
      client.end();
    }
  });

  it("still proves and emits the host keys for a 'hostkeys' listener", async () => {
    const { client, proveCalls } = await connectCounting(sshd, true);
    const keys = new Promise<unknown[]>((resolve) => client.once("hostkeys", resolve));
    try {
      await runTrue(client);
      expect(proveCalls()).toBe(1);
      expect((await keys).length).toBeGreaterThan(0);
    } finally {
      client.end();
    }
  });
});
