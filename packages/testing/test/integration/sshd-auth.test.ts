import ssh2 from "ssh2";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type SshdHarness, startSshd } from "../../src/index.js";
import { describeWithSshd } from "../../src/sshd/vitest.js";

const { Client } = ssh2;

type ConnectConfig = ssh2.ConnectConfig;

/** Connects with ssh2 (host key checked against the harness's ed25519 key) and resolves when ready. */
function connect(sshd: SshdHarness, config: Partial<ConnectConfig>): Promise<ssh2.Client> {
  const host = sshd.host("host1");
  const hostKey = sshd.hostKeys.find((key) => key.type === "ed25519");
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once("ready", () => resolve(client));
    client.once("error", reject);
    client.connect({
      host: host.address,
      port: host.port,
      username: sshd.user,
      hostHash: "sha256",
      hostVerifier: (hash: string) =>
        `SHA256:${Buffer.from(hash, "hex").toString("base64").replace(/=+$/, "")}` === hostKey?.fingerprint,
      algorithms: { serverHostKey: ["ssh-ed25519"] },
      readyTimeout: 10_000,
      ...config,
    });
  });
}

function exec(client: ssh2.Client, command: string): Promise<{ stdout: string; code: number | undefined }> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, channel) => {
      if (error) return reject(error);
      let stdout = "";
      let code: number | undefined;
      channel.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      channel.on("exit", (exitCode: number) => {
        code = exitCode;
      });
      channel.on("close", () => resolve({ stdout, code }));
    });
  });
}

describeWithSshd(
  "password auth",
  () => {
    let sshd: SshdHarness;
    beforeAll(async () => {
      sshd = await startSshd({ password: true });
    });
    afterAll(async () => {
      await sshd?.stop();
    });

    const passwordOnly = ["-o", "PreferredAuthentications=password", "-o", "NumberOfPasswordPrompts=1"];

    it("exposes the password and accepts it from the OpenSSH client", async () => {
      expect(sshd.password).toMatch(/^[A-Za-z0-9_-]{16,}$/);
      const result = await sshd.ssh("host1", "id -un", {
        identityFile: null,
        sshOptions: passwordOnly,
        secret: sshd.password,
      });
      expect(result.stdout).toBe(`${sshd.user}\n`);
      expect(result.code).toBe(0);
    });

    it("rejects a wrong password", async () => {
      const result = await sshd.ssh("host1", "id -un", {
        identityFile: null,
        sshOptions: passwordOnly,
        secret: "wrong password",
      });
      expect(result.code).toBe(255);
      expect(result.stderr).toMatch(/Permission denied/);
    });

    it("accepts the password from ssh2's client too", async () => {
      const client = await connect(sshd, { password: sshd.password });
      try {
        expect(await exec(client, "echo via-ssh2")).toEqual({ stdout: "via-ssh2\n", code: 0 });
      } finally {
        client.end();
      }
    });

    it("is off unless asked for", async () => {
      await using plain = await startSshd();
      expect(plain.password).toBeUndefined();
      expect((await plain.effectiveConfig()).get("passwordauthentication")).toEqual(["no"]);
      const result = await plain.ssh("host1", "true", {
        identityFile: null,
        sshOptions: passwordOnly,
        secret: sshd.password,
      });
      expect(result.code).toBe(255);
    });
  },
  { sudo: true },
);

describeWithSshd(
  "keyboard-interactive auth",
  () => {
    let sshd: SshdHarness;
    beforeAll(async () => {
      sshd = await startSshd({ keyboardInteractive: true });
    });
    afterAll(async () => {
      await sshd?.stop();
    });

    it("runs keyboard-interactive through PAM, answering its password prompt", async () => {
      const prompts: string[] = [];
      const keyboard = (answer: string): ConnectConfig["authHandler"] => {
        const method: ssh2.KeyboardInteractiveAuthMethod = {
          type: "keyboard-interactive",
          username: sshd.user,
          prompt: (_name, _instructions, _lang, questions, finish) => {
            prompts.push(...questions.map((question) => question.prompt));
            finish(questions.map(() => answer));
          },
        };
        return [method];
      };
      const client = await connect(sshd, { authHandler: keyboard(sshd.password ?? "") });
      try {
        expect(await exec(client, "id -un")).toEqual({ stdout: `${sshd.user}\n`, code: 0 });
      } finally {
        client.end();
      }
      expect(prompts.join()).toMatch(/password/i);
      await expect(connect(sshd, { authHandler: keyboard("wrong password") })).rejects.toThrow(
        /authentication methods failed/,
      );
    });
  },
  { sudo: true },
);
