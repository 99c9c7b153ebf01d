// Ctrl-C (SIGINT) and SIGTERM sent to the installed `fab` bin: it asks the remote side to stop,
// exits 130/143 (never 0, never "exited -2"), and exits at once when the remote side does not stop
// (root logins refuse `signal` requests; frozen servers answer nothing) or on a second signal.
// Interrupted uploads remove their temporary file. Durations are printed for docs/reliability.md.
import { chmod, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  killMatching,
  loginNeedsRoot,
  processesMatching,
  remoteSleep,
  SSHD_LOGINS,
  uniqueSeconds,
} from "@fabric-ts/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type FabBinExit, startFab } from "../../support/fab-bin.js";
import { FIXTURES } from "../../support/fab-process.js";
import { describeWithSshd, type SshdHarness, startSshd } from "../../support/fabric-sshd.js";

const FIXTURE = join(FIXTURES, "reliability", "interrupts");
/** Far below the `sleep` every test runs (4000+ s), far above any real exit (about 2 s). */
const BOUND_MS = 20_000;

/** Start `fab … -- cmd`, wait until the command printed "started", send `signals`, collect the exit. */
async function interruptAdHoc(
  sshd: SshdHarness,
  command: string,
  signals: NodeJS.Signals[],
  extraArgs: string[] = [],
  beforeSignal: () => Promise<void> = async () => {},
): Promise<FabBinExit & { afterSignalMs: number }> {
  const fab = startFab([
    "-S",
    sshd.sshConfigPath,
    "-H",
    "host1",
    ...extraArgs,
    "--",
    `echo started; ${command}`,
  ]);
  await fab.output(/started/);
  await beforeSignal();
  const signalled = Date.now();
  for (const [index, signal] of signals.entries()) {
    if (index > 0) await new Promise((resolve) => setTimeout(resolve, 300));
    fab.child.kill(signal);
  }
  const exit = await fab.done;
  return { ...exit, afterSignalMs: Date.now() - signalled };
}

function expectInterrupted(exit: FabBinExit & { afterSignalMs: number }, signal: NodeJS.Signals): void {
  expect(exit.hung).toBe(false);
  expect(exit.signal).toBeNull();
  expect(exit.code).toBe(signal === "SIGINT" ? 130 : 143);
  expect(exit.afterSignalMs).toBeLessThan(BOUND_MS);
  expect(exit.stderr).toContain(`Interrupted by ${signal}`);
  expect(exit.stderr).not.toMatch(/exited -\d/);
}

for (const login of SSHD_LOGINS) {
  describeWithSshd(`fab interrupted on a ${login.name} (real sshd)`, () => {
    let sshd: SshdHarness;
    const needsRoot = loginNeedsRoot(login);
    beforeAll(async () => {
      if (!needsRoot) sshd = await startSshd({ rootLogin: login.rootLogin });
    });
    afterAll(async () => {
      await sshd?.stop();
    });

    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      it.skipIf(needsRoot)(`one ${signal}, no pty: exits ${signal === "SIGINT" ? 130 : 143}`, async () => {
        const seconds = uniqueSeconds();
        try {
          const exit = await interruptAdHoc(sshd, `sleep ${seconds}`, [signal]);
          console.log(
            `[interrupts] ${signal} on a ${login.name}, no pty: exit ${exit.code} ${exit.afterSignalMs} ms after the signal`,
          );
          expectInterrupted(exit, signal);
          // sshd delivers the signal to a non-root login's command; a root login's may outlive fab.
          if (!login.rootLogin) {
            await expect.poll(() => processesMatching(remoteSleep(seconds)), { timeout: 15_000 }).toEqual([]);
          }
        } finally {
          await killMatching(remoteSleep(seconds));
        }
      });
    }

    it.skipIf(needsRoot)("one SIGINT on a pty: Ctrl-C reaches the command, exits 130", async () => {
      const seconds = uniqueSeconds();
      try {
        const exit = await interruptAdHoc(sshd, `sleep ${seconds}`, ["SIGINT"], ["--set", "run.pty=true"]);
        expectInterrupted(exit, "SIGINT");
        await expect.poll(() => processesMatching(remoteSleep(seconds)), { timeout: 15_000 }).toEqual([]);
      } finally {
        await killMatching(remoteSleep(seconds));
      }
    });

    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      it.skipIf(needsRoot)(
        `${signal} during put: no temporary file is left beside the target`,
        async () => {
          const dir = await mkdtemp(join(tmpdir(), "fabric-interrupt-put-"));
          // The login user writes here.
          await chmod(dir, 0o777);
          try {
            const target = join(dir, "target.bin");
            const fab = startFab(
              ["-S", sshd.sshConfigPath, "-H", "host1", "--set", `upload_target=${target}`, "slowput"],
              {
                cwd: FIXTURE,
              },
            );
            await expect
              .poll(async () => (await readdir(dir)).some((name) => name.endsWith(".tmp")), {
                timeout: 60_000,
              })
              .toBe(true);
            fab.child.kill(signal);
            const exit = await fab.done;
            expect(exit.hung).toBe(false);
            expect(exit.code).toBe(signal === "SIGINT" ? 130 : 143);
            expect(await readdir(dir)).toEqual([]);
          } finally {
            await rm(dir, { recursive: true, force: true });
          }
          // Loading a tasks file through jiti takes a while on a loaded machine.
        },
        120_000,
      );
    }
  });
}

describeWithSshd("fab interrupted while the server is frozen (real sshd, SIGSTOP)", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.kill("SIGCONT");
    await sshd?.stop();
  });

  for (const signals of [["SIGINT"], ["SIGINT", "SIGINT"]] as NodeJS.Signals[][]) {
    it(`${signals.join(" + ")} while nothing answers: exits 130 without waiting for the server`, async () => {
      const seconds = uniqueSeconds();
      try {
        const exit = await interruptAdHoc(sshd, `sleep ${seconds}`, signals, [], () => sshd.kill("SIGSTOP"));
        console.log(
          `[interrupts] ${signals.join(" + ")} on a frozen server: exit ${exit.code} ${exit.afterSignalMs} ms after the first signal`,
        );
        expectInterrupted(exit, "SIGINT");
      } finally {
        await sshd.kill("SIGCONT");
        await killMatching(remoteSleep(seconds));
      }
    });
  }
});

describeWithSshd("fab's exit code for a remote command killed by a signal (real sshd)", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  for (const [signal, code] of [
    ["KILL", 137],
    ["TERM", 143],
  ] as const) {
    it(`killed by SIG${signal}: exits ${code} (128 + n, as shells do)`, async () => {
      const fab = startFab(["-S", sshd.sshConfigPath, "-H", "host1", "--", `kill -${signal} $$`]);
      const exit = await fab.done;
      expect(exit.code).toBe(code);
      expect(exit.stderr).toContain(`killed by SIG${signal}`);
      expect(exit.stderr).not.toMatch(/exited -\d/);
    });
  }
});
