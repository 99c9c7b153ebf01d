// get() with preserveMode: the local copy is never more permissive than the remote file.
import { chmod, mkdtemp, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Connection } from "../../../src/connection/connection.js";
import { configFor, type EmbeddedHosts, startEmbeddedHosts } from "../../support/embedded-hosts.js";

describe("preserveMode on get (embedded host)", () => {
  let hosts: EmbeddedHosts;
  let dir: string;
  let c: Connection;
  beforeAll(async () => {
    hosts = await startEmbeddedHosts({ hosts: 1 });
    dir = await mkdtemp(join(tmpdir(), "fabric-mode-"));
    c = new Connection("web1", { config: configFor(hosts.sshConfigPath) });
  });
  afterAll(async () => {
    await c?.close();
    await hosts?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each([0o600, 0o400, 0o640, 0o700, 0o755])(
    "a 0%s remote file arrives with exactly that mode",
    async (mode) => {
      const remote = join(hosts.host("web1").dir, `secret-${mode.toString(8)}`);
      await writeFile(remote, "key material");
      await chmod(remote, mode);
      const local = join(dir, `got-${mode.toString(8)}`);
      const previous = process.umask(0); // the most permissive umask: it must not widen anything
      try {
        await c.get(remote, local, { preserveMode: true });
      } finally {
        process.umask(previous);
      }
      expect((await stat(local)).mode & 0o777).toBe(mode);
    },
  );

  it("an existing world-readable local file is tightened to the remote file's 0600", async () => {
    const remote = join(hosts.host("web1").dir, "private.key");
    await writeFile(remote, "private");
    await chmod(remote, 0o600);
    const local = join(dir, "existing.key");
    await writeFile(local, "old");
    await chmod(local, 0o666);
    await c.get(remote, local, { preserveMode: true });
    expect((await stat(local)).mode & 0o777).toBe(0o600);
  });

  it("without preserveMode, a new file follows the umask and is not wider than 0666 & ~umask", async () => {
    const remote = join(hosts.host("web1").dir, "plain.txt");
    await writeFile(remote, "plain");
    await chmod(remote, 0o777);
    const local = join(dir, "plain.txt");
    const previous = process.umask(0o077);
    try {
      await c.get(remote, local, { preserveMode: false });
    } finally {
      process.umask(previous);
    }
    expect((await stat(local)).mode & 0o077).toBe(0);
  });
});
