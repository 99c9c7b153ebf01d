// `fab --prompt-for-login-password / --prompt-for-passphrase / --prompt-for-sudo-password` end to end:
// the real CLI on a pseudo-terminal, answering its prompts like a user, against real sshd.
import { mkdtempSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadPty } from "@fabric-ts/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FAB_NODE_ARGS, FIXTURES } from "../support/fab-process.js";
import { describeWithSshd, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

const PROJECT = join(FIXTURES, "fab-prompts");
const emptyHome = mkdtempSync(join(tmpdir(), "fab-home-"));
/** Only a guard against a hung child; nothing is asserted about time. */
const HANG_GUARD_MS = 90_000;

interface PtyRun {
  /** Everything the terminal showed (stdout and stderr together, as a user sees them). */
  screen: string;
  exitCode: number;
  /** Prompts in the order they were answered. */
  answered: string[];
}

/** Run `fab` on a pty; whenever a prompt in `answers` appears, type its answer and Enter. */
async function fabOnPty(args: readonly string[], answers: Record<string, string>): Promise<PtyRun> {
  const pty = await loadPty();
  if (!pty) throw new Error("node-pty is not available");
  const child = pty.spawn(process.execPath, [...FAB_NODE_ARGS, ...args], {
    name: "xterm",
    cols: 120,
    rows: 40,
    cwd: PROJECT,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: emptyHome, NO_COLOR: "1", TERM: "xterm" },
  });
  let screen = "";
  let scanned = 0;
  const answered: string[] = [];
  child.onData((data) => {
    screen += data;
    for (const [prompt, answer] of Object.entries(answers)) {
      const at = screen.indexOf(prompt, scanned);
      if (at === -1) continue;
      scanned = at + prompt.length;
      answered.push(prompt);
      child.write(`${answer}\r`);
    }
  });
  const exitCode = await new Promise<number>((resolve, reject) => {
    const guard = setTimeout(() => reject(new Error(`fab hung; screen so far:\n${screen}`)), HANG_GUARD_MS);
    child.onExit(({ exitCode }) => {
      clearTimeout(guard);
      resolve(exitCode);
    });
  });
  return { screen, exitCode, answered };
}

describeWithSshd(
  "fab prompts on a terminal against real sshd",
  () => {
    let sshd: SshdHarness;
    let dir: string;
    let configPath: string;
    const LOGIN_PROMPT = "Enter login password for use with SSH auth: ";
    const PASSPHRASE_PROMPT = "Enter passphrase for use unlocking SSH keys: ";
    const SUDO_PROMPT = "Desired 'sudo.password' config value: ";

    beforeAll(async () => {
      sshd = await startSshd({ password: true });
      dir = await mkdtemp(join(tmpdir(), "fab-prompts-"));
      const host = sshd.hosts[0]!;
      const block = (alias: string, lines: string[]) =>
        [
          `Host ${alias}`,
          `  HostName ${host.address}`,
          `  Port ${host.port}`,
          `  User ${sshd.user}`,
          `  UserKnownHostsFile ${sshd.knownHostsPath}`,
          "  GlobalKnownHostsFile /dev/null",
          "  IdentityAgent none",
          ...lines.map((l) => `  ${l}`),
        ].join("\n");
      configPath = join(dir, "ssh_config");
      await writeFile(
        configPath,
        [
          block("pwonly", ["PubkeyAuthentication no"]),
          block("lockedkey", [
            `IdentityFile ${sshd.clientKeys.ed25519Encrypted.privateKeyPath}`,
            "IdentitiesOnly yes",
          ]),
          block("keyed", [`IdentityFile ${sshd.identityFile}`, "IdentitiesOnly yes"]),
          "",
        ].join("\n\n"),
      );
    });
    afterAll(async () => {
      await sshd?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    const acceptedLines = async () =>
      (await sshd.readLog()).split("\n").filter((l) => l.includes("Accepted "));

    it("--prompt-for-login-password logs in with the typed password, which never appears", async () => {
      const password = sshd.password!;
      const before = (await acceptedLines()).length;
      const run = await fabOnPty(
        ["-S", configPath, "-H", "pwonly", "--prompt-for-login-password", "--", "echo in-as-$(id -un)"],
        {
          [LOGIN_PROMPT]: password,
        },
      );
      expect(run.answered).toEqual([LOGIN_PROMPT]);
      expect(run.screen).toContain(`in-as-${sshd.user}`);
      expect(run.exitCode).toBe(0);
      expect(run.screen).not.toContain(password);
      const accepted = (await acceptedLines()).slice(before);
      expect(accepted.some((l) => l.includes(`Accepted password for ${sshd.user}`))).toBe(true);
    });

    it("a wrong login password fails the host (exit 1) and is not shown either", async () => {
      const run = await fabOnPty(
        ["-S", configPath, "-H", "pwonly", "--prompt-for-login-password", "--", "true"],
        {
          [LOGIN_PROMPT]: "wrong-secret-123",
        },
      );
      expect(run.exitCode).toBe(1);
      expect(run.screen).toMatch(/Authentication failed/);
      expect(run.screen).not.toContain("wrong-secret-123");
    });

    it("--prompt-for-passphrase unlocks an encrypted key, which the server then accepts", async () => {
      const key = sshd.clientKeys.ed25519Encrypted;
      const passphrase = key.passphrase!;
      const before = (await acceptedLines()).length;
      const run = await fabOnPty(
        ["-S", configPath, "-H", "lockedkey", "--prompt-for-passphrase", "--", "echo unlocked"],
        {
          [PASSPHRASE_PROMPT]: passphrase,
        },
      );
      expect(run.answered).toEqual([PASSPHRASE_PROMPT]);
      expect(run.screen).toContain("unlocked");
      expect(run.exitCode).toBe(0);
      expect(run.screen).not.toContain(passphrase);
      const accepted = (await acceptedLines()).slice(before);
      expect(accepted.some((l) => l.includes("publickey") && l.includes(key.fingerprint))).toBe(true);
    });

    it("--prompt-for-sudo-password answers the remote sudo, and the password never appears", async () => {
      if (!sshd.sudo.available) throw new Error(`sudo unavailable: ${sshd.sudo.reason}`);
      const password = sshd.sudo.password;
      const run = await fabOnPty(["-S", configPath, "-H", "keyed", "--prompt-for-sudo-password", "whoami"], {
        [SUDO_PROMPT]: password,
      });
      expect(run.answered).toEqual([SUDO_PROMPT]);
      expect(run.screen).toContain(`login-${sshd.user}`);
      expect(run.screen).toContain("sudo-root");
      expect(run.exitCode).toBe(0);
      expect(run.screen).not.toContain(password);
    });
  },
  { sudo: true },
);
