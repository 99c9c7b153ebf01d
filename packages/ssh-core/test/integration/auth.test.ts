import { afterAll, beforeAll, expect, it } from "vitest";
import type { SshClientOptions } from "../../src/client/options.js";
import { SshClient } from "../../src/client/ssh-client.js";
import {
  baseOptions,
  describeWithSshd,
  type SshdHarness,
  scratchKnownHosts,
  startAgent,
  startSshd,
  whoamiWith,
} from "../support/sshd.js";

describeWithSshd("SshClient authentication against real sshd", () => {
  let sshd: SshdHarness;
  let knownHosts: Awaited<ReturnType<typeof scratchKnownHosts>>;
  beforeAll(async () => {
    sshd = await startSshd({ password: true, keyboardInteractive: true });
    knownHosts = await scratchKnownHosts(sshd);
  });
  afterAll(async () => {
    await knownHosts?.cleanup();
    await sshd?.stop();
  });

  const options = (extra: Partial<SshClientOptions>) => baseOptions(sshd, knownHosts.file, extra);

  const whoami = (extra: Partial<SshClientOptions>) => whoamiWith(options(extra));

  /** Which key sshd says the last login used (its log names the fingerprint at LogLevel VERBOSE). */
  async function lastAcceptedKeyLine(): Promise<string> {
    const log = await sshd.readLog();
    const lines = log.split("\n").filter((l) => l.includes("Accepted"));
    return lines.at(-1) ?? "";
  }

  it.each(["ed25519", "rsa", "ecdsa"] as const)(
    "logs in with an unencrypted %s IdentityFile",
    async (type) => {
      const key = sshd.clientKeys[type];
      expect(await whoami({ identityFiles: [key.privateKeyPath] })).toBe(sshd.user);
      const accepted = await lastAcceptedKeyLine();
      expect(accepted).toContain("publickey");
      if (type === "rsa") expect(accepted).toMatch(/RSA SHA256/);
    },
  );

  it("skips missing default key files silently and uses the next one", async () => {
    expect(
      await whoami({ identityFiles: ["/nonexistent/id_rsa", sshd.clientKeys.ecdsa.privateKeyPath] }),
    ).toBe(sshd.user);
  });

  it("decrypts an encrypted key with the passphrase option", async () => {
    const key = sshd.clientKeys.ed25519Encrypted;
    expect(await whoami({ identityFiles: [key.privateKeyPath], passphrase: key.passphrase })).toBe(sshd.user);
  });

  it("prompts for an encrypted key's passphrase only when the server accepts the key, re-asking on a typo", async () => {
    const key = sshd.clientKeys.ed25519Encrypted;
    const prompts: Array<{ key: string; attempt: number }> = [];
    const user = await whoami({
      identityFiles: [key.privateKeyPath],
      promptPassphrase: async (info) => {
        prompts.push(info);
        return info.attempt === 1 ? "wrong" : key.passphrase;
      },
    });
    expect(user).toBe(sshd.user);
    expect(prompts.map((p) => p.attempt)).toEqual([1, 2]);
    expect(prompts[0]?.key).toContain("id_ed25519_encrypted");
  });

  it("fails with BAD_PASSPHRASE (not a generic auth error) for a wrong passphrase", async () => {
    const key = sshd.clientKeys.ed25519Encrypted;
    const error = await SshClient.connect(
      options({
        identityFiles: [key.privateKeyPath],
        passphrase: "definitely wrong",
        password: sshd.password,
      }),
    ).catch((e) => e);
    expect(error.code).toBe("BAD_PASSPHRASE");
    expect(error.message).not.toContain("definitely wrong");
  });

  it("fails with KEY_UNREADABLE for a file that is not a key", async () => {
    const error = await SshClient.connect(options({ identityFiles: [sshd.sshdConfigPath] })).catch((e) => e);
    expect(error.code).toBe("KEY_UNREADABLE");
    expect(error.path).toBe(sshd.sshdConfigPath);
  });

  it("authenticates through a real ssh-agent holding the encrypted key", async () => {
    const agent = await startAgent();
    try {
      const key = sshd.clientKeys.ed25519Encrypted;
      await agent.add(key.privateKeyPath, key.passphrase);
      // No identity files and no passphrase: only the agent can have signed.
      expect(await whoami({ agent: agent.socket })).toBe(sshd.user);
      expect(await lastAcceptedKeyLine()).toContain("publickey");
    } finally {
      await agent.stop();
    }
  });

  it("IdentitiesOnly ignores agent keys that match no IdentityFile", async () => {
    const agent = await startAgent();
    try {
      await agent.add(sshd.clientKeys.rsa.privateKeyPath);
      const error = await SshClient.connect(
        options({
          agent: agent.socket,
          identitiesOnly: true,
          identityFiles: ["/nonexistent/key"],
          authMethods: { password: false, keyboardInteractive: false },
        }),
      ).catch((e) => e);
      expect(error.code).toBe("AUTH_FAILED");
      expect(error.message).toContain("agent (0 keys)");
      // Without IdentitiesOnly the same agent key gets in.
      expect(await whoami({ agent: agent.socket, identityFiles: ["/nonexistent/key"] })).toBe(sshd.user);
    } finally {
      await agent.stop();
    }
  });

  it("logs in with a password", async () => {
    expect(
      await whoami({ password: sshd.password as string, authMethods: { keyboardInteractive: false } }),
    ).toBe(sshd.user);
    expect(await lastAcceptedKeyLine()).toContain("Accepted password");
  });

  it("answers keyboard-interactive challenges through the callback", async () => {
    const challenges: string[] = [];
    const user = await whoami({
      authMethods: { password: false },
      onKeyboardInteractive: async (challenge) => {
        challenges.push(...challenge.prompts.map((p) => p.prompt));
        expect(challenge.prompts.every((p) => p.echo === false)).toBe(true);
        return challenge.prompts.map(() => sshd.password as string);
      },
    });
    expect(user).toBe(sshd.user);
    expect(challenges.some((p) => /password/i.test(p))).toBe(true);
    expect(await lastAcceptedKeyLine()).toContain("keyboard-interactive");
  });

  it("lists every method it tried, without secrets, when all fail", async () => {
    const agent = await startAgent();
    try {
      await agent.add(sshd.clientKeys.rsa.privateKeyPath);
      await agent.add(sshd.clientKeys.ecdsa.privateKeyPath);
      // A key the server does not know (the sshd's own host key) so publickey fails too.
      const stranger = sshd.hostKeys[0]?.privateKeyPath as string;
      // Make the agent keys unknown to the server by using a user that does not exist.
      const error = await SshClient.connect(
        options({
          username: "nosuchuser",
          agent: agent.socket,
          identityFiles: [stranger],
          password: "s3cret-value",
          authMethods: { keyboardInteractive: false },
        }),
      ).catch((e) => e);
      expect(error.code).toBe("AUTH_FAILED");
      expect(error.message).toContain(
        `Authentication failed for nosuchuser@${sshd.hosts[0]?.address}:${sshd.port}`,
      );
      expect(error.message).toMatch(/tried: agent \(2 keys\), publickey \S+, password\)/);
      expect(error.message).not.toContain("s3cret-value");
      expect(error.attempts.map((a: { method: string }) => a.method)).toEqual([
        "agent",
        "publickey",
        "password",
      ]);
    } finally {
      await agent.stop();
    }
  });
});
