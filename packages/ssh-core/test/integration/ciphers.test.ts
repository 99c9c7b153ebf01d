// Every cipher ssh-core offers by default carries a session end to end against real sshd, on the ssh2
// crypto binding this Node has (or its JavaScript fallback). A binding compiled for the wrong OpenSSL
// API once broke chacha20-poly1305 only ("digital envelope routines::invalid operation"), which the
// default order (AES-GCM first) hid from every other test.
import { afterAll, beforeAll, expect, it } from "vitest";
import { SshClient } from "../../src/client/ssh-client.js";
import { ssh2AlgorithmTables } from "../../src/ssh2-internals.js";
import { baseOptions, describeWithSshd, type SshdHarness, startSshd } from "../support/sshd.js";

describeWithSshd("ciphers against real sshd", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  const ciphers = ssh2AlgorithmTables().DEFAULT_CIPHER;

  it("offers chacha20-poly1305 and AES-GCM by default", () => {
    expect(ciphers).toContain("chacha20-poly1305@openssh.com");
    expect(ciphers).toContain("aes128-gcm@openssh.com");
  });

  it.each(ciphers)("%s: runs a command and moves 1 MiB each way", async (cipher) => {
    const client = await SshClient.connect(
      baseOptions(sshd, sshd.knownHostsPath, {
        identityFiles: [sshd.identityFile],
        algorithms: { cipher: [cipher] },
      }),
    );
    try {
      const up = await client.run("wc -c", { stdin: "y".repeat(1 << 20) });
      expect(up.stdout.trim()).toBe("1048576");
      const down = await client.run("head -c 1048576 /dev/zero");
      expect(down.stdout.length).toBe(1 << 20);
    } finally {
      await client.close();
    }
  });
});
