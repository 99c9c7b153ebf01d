// A command timeout bounds wall time on every server: non-root logins (sshd delivers the kill
// signal), root logins (sshd refuses `signal` requests: "session signalling requires privilege
// separation"), ptys (Ctrl-C, then hang-up) and frozen servers (SIGSTOP: nothing answers at all).
// Durations are printed for docs/reliability.md; the assertions only bound them generously.
import { CommandTimedOut } from "@fabric-ts/invoke";
import {
  killMatching,
  loginNeedsRoot,
  processesMatching,
  remoteSleep,
  SSHD_LOGINS,
  uniqueSeconds,
  within,
} from "@fabric-ts/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "../../../src/connection/connection.js";
import { startFab } from "../../support/fab-bin.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../../support/fabric-sshd.js";

/** Far below the `sleep` every test runs (1000+ s), far above any real stop (about 1 s). */
const BOUND_MS = 20_000;

for (const login of SSHD_LOGINS) {
  describeWithSshd(`command timeouts on a ${login.name} (real sshd)`, () => {
    let sshd: SshdHarness;
    let c: Connection;
    beforeAll(async () => {
      if (loginNeedsRoot(login)) return;
      sshd = await startSshd({ rootLogin: login.rootLogin });
      c = new Connection("host1", { config: harnessConfig(sshd) });
    });
    afterAll(async () => {
      await c?.close();
      await sshd?.stop();
    });
    const needsRoot = loginNeedsRoot(login);

    it.skipIf(needsRoot)(
      "run(timeout) without a pty settles with CommandTimedOut in bounded time",
      async () => {
        const seconds = uniqueSeconds();
        try {
          const started = Date.now();
          const outcome = await within(
            c.run(`sleep ${seconds}`, { hide: true, timeout: 1 }).catch((e: unknown) => e),
            BOUND_MS,
          );
          console.log(
            `[timeouts] ${login.name}, no pty, timeout 1 s: settled after ${Date.now() - started} ms`,
          );
          expect(outcome).toBeInstanceOf(CommandTimedOut);
          const error = outcome as CommandTimedOut;
          if (login.rootLogin) {
            // sshd would not signal it: the error says so, and it is indeed still there.
            expect(error.stillRunning).toMatch(/may still be running/);
            expect(error.message).toMatch(/may still be running/);
            expect(await processesMatching(remoteSleep(seconds))).not.toEqual([]);
          } else {
            expect(error.stillRunning).toBeNull();
            await expect.poll(() => processesMatching(remoteSleep(seconds)), { timeout: 15_000 }).toEqual([]);
          }
          expect((await c.run("echo alive", { hide: true })).stdout).toBe("alive\n");
        } finally {
          await killMatching(remoteSleep(seconds));
        }
      },
    );

    it.skipIf(needsRoot)(
      "run(timeout) on a pty: Ctrl-C, then hang-up; the remote process is gone",
      async () => {
        const seconds = uniqueSeconds();
        try {
          // Ignoring INT leaves only the hang-up to end it.
          const outcome = await within(
            c
              .run(`trap '' INT; sleep ${seconds}`, { hide: true, pty: true, timeout: 1 })
              .catch((e: unknown) => e),
            BOUND_MS,
          );
          expect(outcome).toBeInstanceOf(CommandTimedOut);
          // sshd signals a non-root login's command itself; a root login's only hears the hang-up.
          if (login.rootLogin) expect((outcome as CommandTimedOut).stillRunning).toMatch(/hung up/);
          else expect((outcome as CommandTimedOut).stillRunning).toBeNull();
          await expect.poll(() => processesMatching(remoteSleep(seconds)), { timeout: 15_000 }).toEqual([]);
        } finally {
          await killMatching(remoteSleep(seconds));
        }
      },
    );

    it.skipIf(needsRoot)("fab -T 2 -- sleep: exits 1 with CommandTimedOut in bounded time", async () => {
      const seconds = uniqueSeconds();
      try {
        const fab = startFab(["-S", sshd.sshConfigPath, "-T", "2", "-H", "host1", "--", `sleep ${seconds}`]);
        const exit = await fab.done;
        console.log(`[timeouts] fab -T 2 on a ${login.name}: exit ${exit.code} after ${exit.elapsedMs} ms`);
        expect(exit.hung).toBe(false);
        expect(exit.elapsedMs).toBeLessThan(BOUND_MS);
        expect(exit.code).toBe(1);
        expect(exit.stderr).toMatch(/host1: CommandTimedOut: Command did not complete within 2 seconds!/);
        if (login.rootLogin) expect(exit.stderr).toMatch(/may still be running on the host/);
        else
          await expect.poll(() => processesMatching(remoteSleep(seconds)), { timeout: 15_000 }).toEqual([]);
      } finally {
        await killMatching(remoteSleep(seconds));
      }
    });
  });
}

describeWithSshd("command timeouts on a frozen server (real sshd, SIGSTOP)", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.kill("SIGCONT");
    await sshd?.stop();
  });

  it("run(timeout): CommandTimedOut once the grace is over, the connection closed, the next run reconnects", async () => {
    const seconds = uniqueSeconds();
    const c = new Connection("host1", { config: harnessConfig(sshd) });
    try {
      let started: () => void = () => {};
      const printed = new Promise<void>((resolve) => {
        started = resolve;
      });
      const running = c
        .run(`echo started; sleep ${seconds}`, {
          hide: true,
          timeout: 2,
          watchers: [
            {
              submit: (text: string) => {
                if (text.includes("started")) started();
                return [];
              },
            },
          ],
        })
        .catch((e: unknown) => e);
      await printed;
      const client = c.client;
      await sshd.kill("SIGSTOP");
      const outcome = await within(running, BOUND_MS);
      expect(outcome).toBeInstanceOf(CommandTimedOut);
      expect((outcome as CommandTimedOut).stillRunning).toMatch(/stopped answering/);
      const closed = await within(client?.closed ?? Promise.resolve(null), BOUND_MS);
      expect(closed).toMatchObject({ error: { code: "CONNECTION_LOST" } });
      await sshd.kill("SIGCONT");
      expect((await c.run("echo alive", { hide: true })).stdout).toBe("alive\n");
    } finally {
      await sshd.kill("SIGCONT");
      await c.close();
      await killMatching(remoteSleep(seconds));
    }
  });

  it("fab -T 2 on a frozen server: exits 1 with CommandTimedOut in bounded time", async () => {
    const seconds = uniqueSeconds();
    try {
      const fab = startFab([
        "-S",
        sshd.sshConfigPath,
        "-T",
        "2",
        "-H",
        "host1",
        "--",
        `echo started; sleep ${seconds}`,
      ]);
      await fab.output(/started/);
      await sshd.kill("SIGSTOP");
      const exit = await fab.done;
      console.log(`[timeouts] fab -T 2 on a frozen server: exit ${exit.code} after ${exit.elapsedMs} ms`);
      expect(exit.hung).toBe(false);
      expect(exit.elapsedMs).toBeLessThan(BOUND_MS);
      expect(exit.code).toBe(1);
      expect(exit.stderr).toMatch(/CommandTimedOut: Command did not complete within 2 seconds!/);
      expect(exit.stderr).toMatch(/stopped answering/);
    } finally {
      await sshd.kill("SIGCONT");
      await killMatching(remoteSleep(seconds));
    }
  });
});
