// Secrets (login password, key passphrase, sudo password) never appear in anything we emit:
// output, echo, errors (message, stack, util.inspect), config dumps, `--json` events, `--debug`.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { inspect } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FabricConfig } from "../../../src/config/fabric-config.js";
import { Connection } from "../../../src/connection/connection.js";
import { FIXTURES, runFab } from "../../support/fab-process.js";
import { describeWithSshd, type SshdHarness, startSshd } from "../../support/fabric-sshd.js";

/** Everything a caller could see of an error: message, stack, causes, util.inspect, JSON. */
function errorText(error: unknown): string {
  const parts = [inspect(error, { depth: 10, showHidden: true })];
  for (let e: unknown = error; e instanceof Error; e = e.cause) parts.push(e.message, e.stack ?? "");
  try {
    parts.push(JSON.stringify(error));
  } catch {
    // circular: inspect above covers it
  }
  return parts.join("\n");
}

function collector() {
  const stream = new PassThrough();
  let text = "";
  stream.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  return {
    stream,
    get text() {
      return text;
    },
  };
}

describeWithSshd(
  "secrets never leak",
  () => {
    let sshd: SshdHarness;
    let home: string;
    let password: string;
    let passphrase: string;
    let passwordOnlyConfig: string;
    beforeAll(async () => {
      sshd = await startSshd({ password: true });
      home = await mkdtemp(join(tmpdir(), "fabric-secrets-"));
      // `pwhost`: the same server, but no key to offer, so the login password is what authenticates.
      const host = sshd.hosts[0]!;
      passwordOnlyConfig = join(home, "ssh_config");
      await writeFile(
        passwordOnlyConfig,
        [
          "Host pwhost",
          `  HostName ${host.address}`,
          `  Port ${host.port}`,
          `  User ${sshd.user}`,
          `  UserKnownHostsFile ${sshd.knownHostsPath}`,
          "  StrictHostKeyChecking yes",
          "  IdentityFile none",
          "  IdentitiesOnly yes",
          "",
        ].join("\n"),
      );
      password = sshd.password ?? "";
      passphrase = sshd.clientKeys.ed25519Encrypted.passphrase ?? "";
      expect(password.length).toBeGreaterThan(5);
      expect(passphrase.length).toBeGreaterThan(5);
    });
    afterAll(async () => {
      await sshd?.stop();
      await rm(home, { recursive: true, force: true });
    });

    function config(extra: Record<string, unknown> = {}, sshConfig = sshd.sshConfigPath): FabricConfig {
      const c = new FabricConfig({ lazy: true, runtimeSshPath: sshConfig, env: {} });
      c.set("connectKwargs", { agent: false, ...extra });
      c.set("sudo", { ...c.data.sudo, password });
      return c;
    }

    it("password login + sudo with echo, success and failure: no output, error or dump holds a secret", async () => {
      const out = collector();
      const err = collector();
      const cfg = config({ lookForKeys: false }, passwordOnlyConfig);
      const c = new Connection("pwhost", { config: cfg, connectKwargs: { password } });
      const seen: string[] = [];
      try {
        const streams = { outStream: out.stream, errStream: err.stream, echo: true } as const;
        const who = await c.sudo("whoami", streams);
        expect(who.stdout.trim()).toBe("root");
        seen.push(inspect(who, { depth: 6 }), JSON.stringify(who.command), who.stdout, who.stderr);
        const failed = await c.sudo("false", streams).catch((e: unknown) => e);
        seen.push(errorText(failed));
        const badSudo = await c
          .sudo("true", { ...streams, password: `${password}-typo` })
          .catch((e: unknown) => e);
        expect((badSudo as Error).name).toBe("AuthFailure");
        seen.push(errorText(badSudo));
        const timedOut = await c.run("sleep 5", { ...streams, timeout: 1 }).catch((e: unknown) => e);
        seen.push(errorText(timedOut));
        seen.push(inspect(c, { depth: 6 }), String(c), inspect(cfg, { depth: 10 }), JSON.stringify(cfg));
      } finally {
        await c.close();
      }
      // A wrong login password: the auth error lists methods, never the value.
      const wrong = new Connection("pwhost", {
        config: config({ lookForKeys: false }, passwordOnlyConfig),
        connectKwargs: { password: `wrong-${password}` },
      });
      const authError = await wrong.run("true", { hide: true }).catch((e: unknown) => e);
      await wrong.close();
      expect((authError as { code?: string }).code).toBe("AUTH_FAILED");
      seen.push(errorText(authError));
      seen.push(out.text, err.text);

      const everything = seen.join("\n");
      expect(everything).toContain("sudo"); // we did capture the echoed commands
      expect(everything).toContain("Authentication failed");
      expect(everything).not.toContain(password);
      expect(everything).not.toContain(`wrong-${password}`);
      expect(everything).not.toContain(`${password}-typo`);
    });

    it("an encrypted key: right and wrong passphrases never show up, not even in the ssh2 debug log", async () => {
      const key = sshd.clientKeys.ed25519Encrypted;
      const debug: string[] = [];
      const seen: string[] = [];
      const good = new Connection("host1", {
        config: config(),
        connectKwargs: { keyFilename: key.privateKeyPath, passphrase, debug: (line) => debug.push(line) },
      });
      try {
        expect((await good.run("echo in", { hide: true })).stdout).toBe("in\n");
        seen.push(inspect(good, { depth: 6 }), JSON.stringify(good.config));
      } finally {
        await good.close();
      }
      const bad = new Connection("host1", {
        config: config(),
        connectKwargs: {
          keyFilename: key.privateKeyPath,
          passphrase: `${passphrase}-bad`,
          debug: (line) => debug.push(line),
        },
      });
      const error = await bad.run("true", { hide: true }).catch((e: unknown) => e);
      await bad.close();
      expect((error as { code?: string }).code).toBe("BAD_PASSPHRASE");
      seen.push(errorText(error), ...debug);
      expect(debug.length).toBeGreaterThan(10);
      const everything = seen.join("\n");
      expect(everything).not.toContain(passphrase);
    });

    it("fab with --prompt-for-login-password, --json, --debug and echo: stdout/stderr never hold a secret", async () => {
      const project = join(FIXTURES, "reliability", "secrets");
      const common = ["-S", passwordOnlyConfig, "-H", "pwhost", "--prompt-for-login-password", "--debug"];
      const env = { HOME: home, FABRIC_SUDO_PASSWORD: password, FABRIC_RUN_ECHO: "1" };
      const runs = await Promise.all([
        runFab([...common, "--json", "sudowho"], { cwd: project, env, input: `${password}\n` }),
        runFab([...common, "--json", "sudofail"], { cwd: project, env, input: `${password}\n` }),
        runFab([...common, "sudofail"], { cwd: project, env, input: `bad-${password}\n` }),
      ]);
      expect(runs.map((r) => r.hung)).toEqual([false, false, false]);
      expect(runs[0]?.code).toBe(0);
      expect(runs[0]?.stdout).toContain('"line":"root"');
      expect(runs[1]?.code).not.toBe(0);
      expect(runs[1]?.stdout).toContain('"event":"summary"');
      expect(runs[2]?.stderr).toMatch(/Authentication failed/);
      for (const run of runs) {
        const text = run.stdout + run.stderr;
        expect(text).not.toContain(password);
      }
    }, 180_000);
  },
  { sudo: true },
);
