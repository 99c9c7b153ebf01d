// reboot() against the real sshd: the "reboot" command asks the test to take the sshd away (every
// session killed, so the connection drops) and to bring it back on the same port with the same host
// keys a few seconds later. reboot() must return only after that, on a usable Connection.

import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { Connection } from "../../src/connection/connection.js";
import { countingChanges } from "../../src/helpers/helper-session.js";
import { RebootFailed, reboot } from "../../src/helpers/index.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

/** Wait (polling) until `marker` exists; a guard against a hang, not a timing assertion. */
async function waitForFile(marker: string, guardMs = 60_000): Promise<void> {
  const until = Date.now() + guardMs;
  while (!existsSync(marker)) {
    if (Date.now() > until) throw new Error(`the reboot command never ran (${marker} missing)`);
    await sleep(100);
  }
}

/** The test's side of a "reboot": when the command has run, kill sshd and its sessions, wait, restart it. */
function playReboot(sshd: SshdHarness, marker: string, downMs: number) {
  const state = { killed: false, restarting: false, restarted: false };
  const done = (async () => {
    await waitForFile(marker);
    await sshd.kill("SIGKILL");
    state.killed = true;
    await sleep(downMs);
    state.restarting = true;
    await sshd.restart();
    state.restarted = true;
  })();
  return { state, done };
}

function suite(name: string, rootLogin: boolean) {
  describeWithSshd(
    name,
    () => {
      let sshd: SshdHarness;
      let dir: string;
      let marker: string;

      beforeAll(async () => {
        sshd = await startSshd({ rootLogin });
        dir = await mkdtemp(join(tmpdir(), "fabric-reboot-"));
        await import("node:fs/promises").then((fs) => fs.chmod(dir, 0o777));
      });
      afterAll(async () => {
        await sshd?.stop();
        await rm(dir, { recursive: true, force: true });
      });
      beforeEach(async () => {
        marker = join(dir, `reboot-${Math.random().toString(36).slice(2)}`);
        if (!sshd.running) await sshd.restart();
      });

      const connection = () => {
        const config = harnessConfig(sshd);
        if (sshd.sudo.available) config.set("sudo.password", sshd.sudo.password);
        return new Connection("host1", { config });
      };
      const logins = async () =>
        (await sshd.readLog()).split("\n").filter((l) => l.includes("Accepted publickey")).length;

      it("returns after the host went away and came back, with its uptime, on a usable connection", async () => {
        await using c = connection();
        await c.open();
        const before = await logins();
        const play = playReboot(sshd, marker, 3000);
        const { value: result, counts } = await countingChanges(() =>
          reboot(c, { command: `touch ${marker}`, waitTimeout: 120, pollInterval: 0.5 }),
        );
        // Returned only once the daemon had been killed and started again.
        expect(play.state).toMatchObject({ killed: true, restarting: true });
        await play.done;
        expect(await logins()).toBeGreaterThan(before); // a new login after the restart
        const localUptime = Number.parseFloat((await readFile("/proc/uptime", "utf8")).split(" ")[0] ?? "");
        expect(result.uptime).toBeGreaterThan(0);
        expect(result.uptime).toBeLessThanOrEqual(localUptime);
        expect(result.hostKey).toMatch(/^SHA256:/);
        expect(c.isConnected).toBe(true);
        expect((await c.run("echo still-usable", { hide: true })).stdout).toBe("still-usable\n");
        expect(counts).toEqual({ changed: 1, ok: 0 });
      });

      it("fails when the connection never drops (the command did not reboot)", async () => {
        await using c = connection();
        const error = await reboot(c, { command: "true", waitTimeout: 20 }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(RebootFailed);
        expect((error as Error).message).toMatch(/did not drop within 20s/);
        expect((await c.run("echo up", { hide: true })).stdout).toBe("up\n");
      });

      it("fails when the command fails while the host stays up", async () => {
        await using c = connection();
        const error = await reboot(c, { command: "echo no-permission >&2; exit 4", waitTimeout: 30 }).catch(
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(RebootFailed);
        expect((error as Error).message).toMatch(/the reboot command failed \(exit 4: no-permission\)/);
      });

      it("fails when the host does not come back in time, and its ~40 polls leave no timer or listener behind", async () => {
        await using c = connection();
        const gone = (async () => {
          await waitForFile(marker);
          await sshd.kill("SIGKILL");
        })();
        // Each poll used to leave a deadline timer (and its abort listener) pending until the end:
        // past ten, Node printed MaxListenersExceededWarning in the middle of the user's output.
        const warnings: string[] = [];
        const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
        process.on("warning", onWarning);
        const error = await reboot(c, {
          command: `touch ${marker}`,
          sudo: false,
          waitTimeout: 20,
          pollInterval: 0.5,
        })
          .catch((e: unknown) => e)
          .finally(() => process.off("warning", onWarning));
        await gone;
        expect(error).toBeInstanceOf(RebootFailed);
        expect((error as Error).message).toMatch(/did not answer SSH again in time/);
        expect(warnings.filter((w) => w.startsWith("MaxListenersExceededWarning"))).toEqual([]);
        await sshd.restart();
      });

      // One login is enough here: the host key check does not depend on who logs in.
      it.skipIf(rootLogin)(
        "fails when the host comes back with another host key, and never uses it",
        async () => {
          await using c = connection();
          const keys = sshd.hostKeys.map((key) => key.privateKeyPath);
          const saved = await Promise.all(keys.map((path) => readFile(path)));
          const swapped = (async () => {
            await waitForFile(marker);
            await sshd.kill("SIGKILL");
            // The "reinstalled" host: new host keys, same address and port.
            for (const path of keys) {
              await rm(path, { force: true });
              await rm(`${path}.pub`, { force: true });
              const type = path.includes("ed25519") ? "ed25519" : path.includes("ecdsa") ? "ecdsa" : "rsa";
              execFileSync("ssh-keygen", ["-q", "-t", type, "-N", "", "-f", path]);
            }
            await sshd.restart();
          })();
          try {
            const error = await reboot(c, {
              command: `touch ${marker}`,
              waitTimeout: 120,
              pollInterval: 0.5,
            }).catch((e: unknown) => e);
            await swapped;
            expect(error).toBeInstanceOf(RebootFailed);
            expect((error as Error).message).toMatch(/came back with another host key/);
            expect(c.isConnected).toBe(false);
          } finally {
            await swapped.catch(() => undefined);
            await sshd.kill("SIGKILL");
            await Promise.all(keys.map((path, i) => writeFile(path, saved[i] as Buffer, { mode: 0o600 })));
            await sshd.restart();
          }
        },
      );

      it("fails (does not hang) when the host freezes instead of going down", async () => {
        await using c = connection();
        await c.open();
        const frozen = (async () => {
          await waitForFile(marker);
          await sshd.kill("SIGSTOP");
        })();
        try {
          const error = await reboot(c, {
            command: `touch ${marker}; sleep 2`,
            sudo: false,
            waitTimeout: 20,
          }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(RebootFailed);
          expect((error as Error).message).toMatch(/within 20s/);
        } finally {
          await frozen;
          await sshd.kill("SIGCONT");
        }
      });
    },
    { sudo: true },
  );
}

suite("reboot() as a non-root login (the command under sudo)", false);
suite("reboot() as root (uid 0 login)", true);
