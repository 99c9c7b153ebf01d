// Group transfers against the real sshd (two loopback hosts): directories, per-host local
// directories, sync on every host, and the progress bar (hosts × bytes) on a TTY only.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { SerialGroup, ThreadingGroup } from "../../src/group/index.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

/** A stream that says it is a terminal, recording what is drawn. */
function fakeTerminal(isTTY: boolean): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  Object.assign(stream, { isTTY, columns: 100 });
  return { stream, text: () => chunks.join("") };
}

describeWithSshd("group transfers against real sshd", () => {
  let sshd: SshdHarness;
  let local: string;
  let remote: string;

  beforeAll(async () => {
    sshd = await startSshd({ hosts: 2 });
  });
  afterAll(async () => {
    await sshd?.stop();
  });
  beforeEach(async () => {
    local = await mkdtemp(join(tmpdir(), "fabric-group-xfer-"));
    remote = `/tmp/fabric-group-xfer-${process.pid}-${Math.random().toString(36).slice(2)}`;
    await mkdir(join(local, "site", "css"), { recursive: true });
    await writeFile(join(local, "site", "index.html"), "<h1>hi</h1>");
    await writeFile(join(local, "site", "css", "a.css"), "body{}");
    return async () => {
      await rm(local, { recursive: true, force: true });
      await sshd.ssh("host1", `rm -rf ${remote}`);
    };
  });

  const options = (stderr: Writable) => ({
    config: harnessConfig(sshd),
    output: { mode: "prefixed" as const, stderr },
  });

  it("puts a directory to every host and draws one row per host plus a total on a TTY", async () => {
    const tty = fakeTerminal(true);
    // Both "hosts" share this machine's /tmp: one after the other.
    await using group = new SerialGroup("host1", "host2", options(tty.stream));
    const results = await group.put(join(local, "site"), `${remote}/site`, { method: "sftp" });
    expect([...results.values()].map((r) => (r as { files?: string[] }).files)).toEqual([
      ["css/a.css", "index.html"],
      ["css/a.css", "index.html"],
    ]);
    const drawn = tty.text();
    // Rows are labelled with the host as given (the ssh_config alias), like the summary.
    expect(drawn).toMatch(/host1: .*done 17 B\/17 B/);
    expect(drawn).toMatch(/host2: .*done 17 B\/17 B/);
    expect(drawn).not.toContain("127.0.0.1:");
    expect(drawn).toMatch(/total 2\/2 .*done 34 B\/34 B/);
    const check = await sshd.ssh("host2", `cat ${remote}/site/index.html ${remote}/site/css/a.css`);
    expect(check.stdout).toBe("<h1>hi</h1>body{}");
  });

  it("gets a directory from every host into its own {host}/ directory, silently when not a TTY", async () => {
    const pipe = fakeTerminal(false);
    await sshd.ssh("host1", `mkdir -p ${remote}/logs && echo one > ${remote}/logs/app.log`);
    await using group = new ThreadingGroup("host1", "host2", options(pipe.stream));
    const cwd = process.cwd();
    process.chdir(local);
    try {
      const results = await group.get(`${remote}/logs`);
      expect(results.size).toBe(2);
    } finally {
      process.chdir(cwd);
    }
    expect(await readFile(join(local, "127.0.0.1", "logs", "app.log"), "utf8")).toBe("one\n");
    expect(await readFile(join(local, "127.0.0.2", "logs", "app.log"), "utf8")).toBe("one\n");
    expect(pipe.text()).toBe("");
  });

  it("syncs on every host and reports per host", async () => {
    await using group = new SerialGroup("host1", "host2", options(fakeTerminal(false).stream));
    const reports = await group.sync(join(local, "site"), `${remote}/synced`);
    const [first, second] = [...reports.values()] as { sent: string[] }[];
    expect(first?.sent.sort()).toEqual(["css/a.css", "index.html"]);
    expect(second?.sent).toEqual([]); // same machine: host2 finds host1's copy up to date
  });
});
