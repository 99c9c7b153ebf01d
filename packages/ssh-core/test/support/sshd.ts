// Shared helpers for integration tests against the real OpenSSH sshd harness.
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SshdHarness, startSshd } from "@fabric-ts/testing";
import { afterAll, beforeAll } from "vitest";
import { SshClient } from "../../src/client/ssh-client.js";
import type { SshClientOptions } from "../../src/index.js";
import type { SftpSession } from "../../src/sftp/sftp-session.js";

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

/** What {@link sftpAgainstSshd} provides once its `beforeAll` has run. */
export interface SftpScratch {
  sshd: SshdHarness;
  client: SshClient;
  sftp: SftpSession;
  /** A fresh directory of the login user on the "remote" side (same machine, other account). */
  remote: string;
  /** A fresh local directory. */
  local: string;
}

/**
 * Registers the set-up the SFTP suites share: an sshd, a connected client and its SFTP session, and a
 * scratch directory on each side, all removed afterwards. Call inside a `describeWithSshd` block.
 */
export function sftpAgainstSshd(localPrefix: string): SftpScratch {
  const scratch = {} as SftpScratch;
  let knownHosts: Awaited<ReturnType<typeof scratchKnownHosts>> | undefined;
  beforeAll(async () => {
    scratch.sshd = await startSshd();
    knownHosts = await scratchKnownHosts(scratch.sshd);
    scratch.client = await SshClient.connect(
      baseOptions(scratch.sshd, knownHosts.file, { identityFiles: [scratch.sshd.identityFile] }),
    );
    scratch.sftp = await scratch.client.sftp();
    scratch.remote = (await scratch.client.run("mktemp -d")).stdout.trim();
    scratch.local = await mkdtemp(join(tmpdir(), localPrefix));
  });
  afterAll(async () => {
    if (scratch.remote) await scratch.client?.run(`rm -rf '${scratch.remote}'`);
    await scratch.client?.close();
    if (scratch.local) await rm(scratch.local, { recursive: true, force: true });
    await knownHosts?.cleanup();
    await scratch.sshd?.stop();
  });
  return scratch;
}

/** Connects with `options`, runs `whoami`, closes: which user a set of auth options logs in as. */
export async function whoamiWith(options: SshClientOptions): Promise<string> {
  const client = await SshClient.connect(options);
  try {
    return (await client.run("whoami")).stdout.trim();
  } finally {
    await client.close();
  }
}
