// `fab --list-agent-keys` against a real ssh-agent, checked line by line against `ssh-add -l`.
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { getClientKeys, startAgent } from "../../testing/src/sshd/index.js";
import { describeWithSshd } from "./support/fabric-sshd.js";

const here = dirname(fileURLToPath(import.meta.url));
const FAB_SOURCE = join(here, "..", "src", "bin", "fab.ts");
const NO_FABFILE = join(here, "fixtures", "no-fabfile");
const home = mkdtempSync(join(tmpdir(), "fab-home-"));
const JITI_CLI = join(
  dirname(createRequire(join(here, "..", "..", "invoke", "package.json")).resolve("jiti/package.json")),
  "lib",
  "jiti-cli.mjs",
);

function fab(args: readonly string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--conditions=source", JITI_CLI, FAB_SOURCE, ...args], {
    cwd: NO_FABFILE,
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { stdout: result.stdout, stderr: result.stderr, code: result.status };
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
