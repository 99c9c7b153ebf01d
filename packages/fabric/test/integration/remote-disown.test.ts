// run(..., { disown: true }) on a real sshd: the command is handed to `nohup sh -c '<command>'` on the
// host, so quotes, `$` and newlines in it must arrive as written.
import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Connection } from "../../src/index.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

describeWithSshd("disowned remote commands", () => {
  let sshd: SshdHarness;
  let c: Connection;
  let dir: string;
  beforeAll(async () => {
    sshd = await startSshd();
    c = new Connection("host1", { config: harnessConfig(sshd) });
    dir = await mkdtemp(join(tmpdir(), "fabric-disown-"));
    // The login user may not be the one running the tests.
    await chmod(dir, 0o777);
  });
  afterAll(async () => {
    await c?.close();
    await sshd?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("runs the command in the background with its quoting intact", async () => {
    const out = join(dir, "out.txt");
    const command = `printf '%s|%s\\n' "it's" '$HOME stays' > ${out}; echo "two
lines" >> ${out}`;
    await c.run(command, { disown: true });
    const text = await waitForFile(out, (content) => content.includes("lines"));
    expect(text).toBe("it's|$HOME stays\ntwo\nlines\n");
  }, 60_000);
});

/** The file's content once `done` accepts it; polls for up to 20 s (the host is shared and slow). */
async function waitForFile(path: string, done: (content: string) => boolean): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const content = await readFile(path, "utf8").catch(() => "");
    if (done(content) || Date.now() > deadline) return content;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
