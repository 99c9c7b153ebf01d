// `fab --list-agent-keys` against a real ssh-agent, checked line by line against `ssh-add -l`.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getClientKeys, startAgent } from "@fabric-ts/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { NO_FABFILE, runFabSync } from "../support/fab-process.js";
import { describeWithSshd } from "../support/fabric-sshd.js";

const home = mkdtempSync(join(tmpdir(), "fab-home-"));

function fab(args: readonly string[], env: Record<string, string>) {
  return runFabSync(args, {
    cwd: NO_FABFILE,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, ...env },
    timeoutMs: 60_000,
  });
}

describeWithSshd("fab --list-agent-keys", () => {
  let agent: Awaited<ReturnType<typeof startAgent>>;
  beforeAll(async () => {
    agent = await startAgent();
  });
  afterAll(() => agent?.stop());

  it("prints nothing for an empty agent and exits 0", () => {
    const run = fab(["--list-agent-keys"], { SSH_AUTH_SOCK: agent.socket });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("");
  });

  it("prints each key as `{bits} {fingerprint} {comment} ({algorithm})`, exactly as ssh-add -l, then exits", async () => {
    const keys = await getClientKeys();
    for (const key of [keys.rsa, keys.ed25519, keys.ecdsa]) await agent.add(key.privateKeyPath);
    const expected = (await agent.list()).map((k) => `${k.bits} ${k.fingerprint} ${k.comment} (${k.type})`);
    expect(expected).toHaveLength(3);
    const run = fab(["--list-agent-keys", "some-task-never-run"], { SSH_AUTH_SOCK: agent.socket });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n")).toEqual(expected);
  });

  it("fails (exit 1) saying so when no agent can be reached", () => {
    const unset = fab(["--list-agent-keys"], {});
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain("SSH_AUTH_SOCK is not set");
    const missing = fab(["--list-agent-keys"], { SSH_AUTH_SOCK: join(home, "no-agent.sock") });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Could not open a connection to your authentication agent");
  });
});
