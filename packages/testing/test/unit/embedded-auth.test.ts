import ssh2 from "ssh2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EmbeddedAuthEvent, type EmbeddedHosts, startEmbeddedHosts } from "../../src/embedded/index.js";
import { generateEd25519 } from "../../src/embedded/keys.js";
import { askpassEnv } from "../../src/sshd/askpass.js";
import { connectClient, embeddedTarget, exec, runProgram, sshArgs } from "../support/embedded-helpers.js";

const otherKey = generateEd25519("other");
const extraKey = generateEd25519("extra");

describe("embedded hosts: authentication", () => {
  let group: EmbeddedHosts;
  const events: EmbeddedAuthEvent[] = [];

  beforeAll(async () => {
    group = await startEmbeddedHosts({
      hosts: ["auth"],
      users: [
        { name: "alice", password: "alice-pw" },
        { name: "bob", authorizedKeys: [extraKey.publicKey], authorizeClientKey: false },
        {
          name: "carol",
          authorizeClientKey: false,
          keyboardInteractive: [
            { prompt: "Password: ", answer: "carol-pw" },
            { prompt: "Verification code: ", echo: true, answer: "123456" },
          ],
        },
        { name: "dave", requireAll: ["publickey", "password"], password: "dave-pw" },
      ],
    });
    group.host("auth").on("auth", (event) => events.push(event));
  });
  afterAll(() => group?.stop());

  const target = (user: string) => embeddedTarget(group, "auth", user);

  it("accepts the generated client key, with OpenSSH and ssh2", async () => {
    const viaOpenSsh = await runProgram("ssh", [...sshArgs(target("alice")), "auth", "echo $USER"]);
    expect(viaOpenSsh.stdout).toBe("alice\n");
    const client = await connectClient(target("alice"));
    expect((await exec(client, "echo ok")).stdout).toBe("ok\n");
    client.end();
    expect(events.some((e) => e.user === "alice" && e.method === "publickey" && e.accepted)).toBe(true);
  });

  it("accepts a password, and rejects a wrong one", async () => {
    const client = await connectClient(target("alice"), { privateKey: undefined, password: "alice-pw" });
    expect((await exec(client, "echo $USER")).stdout).toBe("alice\n");
    client.end();
    await expect(
      connectClient(target("alice"), { privateKey: undefined, password: "wrong" }),
    ).rejects.toThrow(/authentication methods failed/);
    expect(events.some((e) => e.method === "password" && !e.accepted)).toBe(true);
  });

  it("OpenSSH password login through askpass", async () => {
    const args = sshArgs(target("alice"), [
      "-o",
      "BatchMode=no",
      "-o",
      "PubkeyAuthentication=no",
      "-o",
      "PreferredAuthentications=password",
    ]);
    const ok = await runProgram("ssh", [...args, "auth", "echo in"], "", askpassEnv("alice-pw"));
    expect(ok.stdout).toBe("in\n");
    const denied = await runProgram("ssh", [...args, "auth", "echo in"], "", askpassEnv("nope"));
    expect(denied.code).toBe(255);
    expect(denied.stderr).toMatch(/Permission denied/);
  });

  it("rejects an unknown key and accepts a configured authorized key", async () => {
    await expect(connectClient(target("alice"), { privateKey: otherKey.privateKey })).rejects.toThrow(
      /authentication methods failed/,
    );
    await expect(connectClient(target("bob"))).rejects.toThrow(/authentication methods failed/);
    const client = await connectClient(target("bob"), { privateKey: extraKey.privateKey });
    expect((await exec(client, "echo $USER")).stdout).toBe("bob\n");
    client.end();
  });

  it("rejects an unknown user whatever the key", async () => {
    await expect(connectClient(target("mallory"))).rejects.toThrow(/authentication methods failed/);
  });

  it("rejects the none method", async () => {
    await expect(
      connectClient(target("alice"), { privateKey: undefined, authHandler: ["none"] }),
    ).rejects.toThrow(/authentication methods failed/);
  });

  it("keyboard-interactive asks every configured prompt and checks every answer", async () => {
    const asked: string[] = [];
    const login = (code: string) =>
      new Promise<ssh2.Client>((resolve, reject) => {
        const client = new ssh2.Client();
        client.on("keyboard-interactive", (_name, _instructions, _lang, prompts, finish) => {
          asked.push(...prompts.map((p) => `${p.prompt}|${p.echo}`));
          finish(["carol-pw", code]);
        });
        client.once("ready", () => resolve(client));
        client.once("error", reject);
        client.connect({
          host: group.host("auth").address,
          port: group.host("auth").port,
          username: "carol",
          tryKeyboard: true,
          hostVerifier: () => true,
        });
      });
    const client = await login("123456");
    expect((await exec(client, "echo $USER")).stdout).toBe("carol\n");
    client.end();
    expect(asked).toEqual(["Password: |false", "Verification code: |true"]);
    await expect(login("000000")).rejects.toThrow(/authentication methods failed/);
  });

  it("requireAll answers the first method with partial success and logs in after both", async () => {
    await expect(connectClient(target("dave"))).rejects.toThrow(/authentication methods failed/);
    const partial = events.filter((e) => e.user === "dave" && e.partial);
    expect(partial.map((e) => e.method)).toContain("publickey");
    const client = await connectClient(target("dave"), {
      password: "dave-pw",
      authHandler: ["publickey", "password"],
    });
    expect((await exec(client, "echo $USER")).stdout).toBe("dave\n");
    client.end();
    expect(events.some((e) => e.user === "dave" && e.method === "password" && e.accepted)).toBe(true);
  });
});
