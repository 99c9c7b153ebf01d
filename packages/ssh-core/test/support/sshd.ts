// Shared helpers for integration tests against the real OpenSSH sshd harness.
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { SshdHarness } from "@fabric-ts/testing";
import type { SshClientOptions } from "../../src/index.js";

export { type SshdHarness, startAgent, startSshd } from "@fabric-ts/testing";
export { describeWithSshd } from "@fabric-ts/testing/vitest";

/** Options that reach the harness's first host with a private known_hosts copy and no agent. */
export function baseOptions(
  sshd: SshdHarness,
  knownHostsFile: string,
  extra: Partial<SshClientOptions> = {},
): SshClientOptions {
  const host = sshd.hosts[0];
  if (!host) throw new Error("harness has no host");
  return {
    host: host.address,
    port: host.port,
    username: sshd.user,
    agent: false,
    identityFiles: [],
    userKnownHostsFiles: [knownHostsFile],
    globalKnownHostsFiles: [],
    strictHostKeyChecking: "yes",
    ...extra,
  };
}

/** A scratch dir holding a copy of the harness's known_hosts (tests may modify it). */
export async function scratchKnownHosts(
  sshd: SshdHarness,
): Promise<{ dir: string; file: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), "ssh-core-test-"));
  const file = join(dir, "known_hosts");
  await copyFile(sshd.knownHostsPath, file);
  return { dir, file, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
