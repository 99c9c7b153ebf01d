// ExecHandle.stop() ends a command in bounded time on every server, and says how: sshd delivers
// signals to non-root logins' commands, refuses them on root logins ("session signalling requires
// privilege separation"), hangs up a closed pty, and a frozen server answers nothing at all.
// The race against BOUND_MS is the hang detector (stops take about a second); no speed is asserted.
import {
  isRoot,
  killMatching,
  processesMatching,
  remoteSleep,
  within as settleWithin,
} from "@fabric-ts/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { SshClient } from "../../../src/client/ssh-client.js";
import { baseOptions, describeWithSshd, type SshdHarness, startSshd } from "../../support/sshd.js";

const BOUND_MS = 20_000;
const within = <T>(promise: Promise<T>) => settleWithin(promise, BOUND_MS);
/** PIDs of this machine's processes running exactly `sleep <seconds>`. */
const remoteSleeps = (seconds: string) => processesMatching(remoteSleep(seconds));
const killSleeps = (seconds: string) => killMatching(remoteSleep(seconds));

const unique = () => `${5000 + Math.floor(Math.random() * 1000)}.${process.pid % 1000}${Date.now() % 1000}`;

for (const rootLogin of [false, true]) {
  describeWithSshd(`ExecHandle.stop on a ${rootLogin ? "root" : "non-root"} login (real sshd)`, () => {
    const needsRoot = rootLogin && !isRoot();
    let sshd: SshdHarness;
    let client: SshClient;
    beforeAll(async () => {
      if (needsRoot) return;
      sshd = await startSshd({ rootLogin });
      client = await SshClient.connect(
        baseOptions(sshd, sshd.knownHostsPath, { identityFiles: [sshd.identityFile] }),
      );
    });
    afterAll(async () => {
      await client?.close();
      await sshd?.stop();
    });

    it.skipIf(needsRoot)("no pty: exited (non-root) or abandoned, still running (root)", async () => {
      const seconds = unique();
      try {
        const handle = client.exec(`echo started; sleep ${seconds}`, { stdin: null });
        await new Promise<void>((resolve) => handle.stdout.once("data", () => resolve()));
        const outcome = await within(handle.stop({ signal: "KILL" }));
        expect(outcome).toBe(rootLogin ? "abandoned" : "exited");
        const exit = await handle.done;
        expect(exit).toEqual(
          rootLogin ? { exitCode: null, signal: null } : { exitCode: null, signal: "SIGKILL" },
        );
        if (rootLogin) expect(await remoteSleeps(seconds)).not.toEqual([]);
        // The connection is fine either way.
        expect((await client.run("echo alive")).stdout).toBe("alive\n");
      } finally {
        await killSleeps(seconds);
      }
    });

    it.skipIf(needsRoot)("pty, command ignoring INT: hung up (root) and gone", async () => {
      const seconds = unique();
      try {
        const handle = client.exec(`trap '' INT; echo started; sleep ${seconds}`, { pty: true });
        await new Promise<void>((resolve) => handle.stdout.once("data", () => resolve()));
        const outcome = await within(handle.stop({ signal: "KILL" }));
        expect(outcome).toBe(rootLogin ? "hung-up" : "exited");
        await expect.poll(() => remoteSleeps(seconds), { timeout: 15_000 }).toEqual([]);
      } finally {
        await killSleeps(seconds);
      }
    });
  });
}

describeWithSshd("a frozen server (real sshd, SIGSTOP)", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await sshd?.kill("SIGCONT");
    await sshd?.stop();
  });
  const connect = () =>
    SshClient.connect(baseOptions(sshd, sshd.knownHostsPath, { identityFiles: [sshd.identityFile] }));

  it("stop(): disconnected, the connection closed with CONNECTION_LOST", async () => {
    const client = await connect();
    const seconds = unique();
    try {
      const handle = client.exec(`echo started; sleep ${seconds}`, { stdin: null });
      await new Promise<void>((resolve) => handle.stdout.once("data", () => resolve()));
      await sshd.kill("SIGSTOP");
      expect(await within(handle.stop())).toBe("disconnected");
      expect(await within(handle.done)).toEqual({ exitCode: null, signal: null });
      expect(await within(client.closed)).toMatchObject({ error: { code: "CONNECTION_LOST" } });
    } finally {
      await sshd.kill("SIGCONT");
      await client.close();
      await killSleeps(seconds);
    }
  });

  it("close(): resolves although the server never closes its side", async () => {
    const client = await connect();
    try {
      await sshd.kill("SIGSTOP");
      expect(await within(client.close())).toBeUndefined();
      expect(client.isConnected).toBe(false);
    } finally {
      await sshd.kill("SIGCONT");
    }
  });
});
