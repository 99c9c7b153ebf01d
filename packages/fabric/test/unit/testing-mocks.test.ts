import { PassThrough } from "node:stream";
import { Result, UnexpectedExit } from "@fabric-ts/invoke";
import { afterEach, describe, expect, it } from "vitest";
import { Connection, GroupException, SerialGroup, ThreadingGroup } from "../../src/index.js";
import {
  expectCommands,
  MockConnection,
  MockExpectationError,
  MockRemote,
  mockConfig,
  NotMocked,
  startMockRemote,
  UnexpectedCommand,
  UnexpectedHost,
} from "../../src/testing/index.js";

describe("MockConnection", () => {
  it("answers run/sudo from programmed results and returns fabric Results bound to it", async () => {
    const c = new MockConnection("web1", {
      run: { "uname -s": "Linux\n", "test -d /srv": false },
      sudo: { "systemctl restart app": new Result({ stdout: "restarted\n" }) },
    });
    const uname = await c.run("uname -s");
    expect(uname.stdout).toBe("Linux\n");
    expect(uname.connection).toBe(c);
    expect(uname.command).toBe("uname -s");
    expect((await c.sudo("systemctl restart app")).stdout).toBe("restarted\n");
    expect(c.calls.map((call) => [call.method, call.command])).toEqual([
      ["run", "uname -s"],
      ["sudo", "systemctl restart app"],
    ]);
  });

  it("throws UnexpectedExit for a failing answer unless warn, like a real run", async () => {
    const c = new MockConnection("web1", { run: { "test -d /srv": false } });
    await expect(c.run("test -d /srv")).rejects.toBeInstanceOf(UnexpectedExit);
    const warned = await c.run("test -d /srv", { warn: true });
    expect(warned.exited).toBe(1);
    const strict = new MockConnection("web1", { run: false, config: mockConfig({ run: { warn: true } }) });
    expect((await strict.run("anything")).failed).toBe(true);
  });

  it("names the host, the command and the programmed answers when nothing matches", async () => {
    const c = new MockConnection("web1", { run: { "git pull": true } });
    const error = await c.run("rm -rf /").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnexpectedCommand);
    expect((error as Error).message).toContain('web1: no mocked answer for run("rm -rf /")');
    expect((error as Error).message).toContain('"git pull"');
  });

  it("falls back to `otherwise` and matches RegExp keys at the start of the command", async () => {
    const c = new MockConnection("web1", {
      run: new Map<string | RegExp, string | boolean>([[/^ls /, "a\nb\n"]]),
      otherwise: true,
    });
    expect((await c.run("ls /srv")).stdout).toBe("a\nb\n");
    expect((await c.run("whatever")).ok).toBe(true);
  });

  it("records cd() and prefix() without applying them to the command", async () => {
    const c = new MockConnection("web1", { otherwise: true });
    await c.cd("/srv/app", (app) => app.prefix("source env", (p) => p.run("make")));
    expect(c.calls[0]).toMatchObject({ command: "make", cwd: "/srv/app", prefixes: ["source env"] });
    c.expectCommands([{ command: "make", cwd: "/srv/app" }]);
    expect(() => c.expectCommands([{ command: "make", cwd: "/tmp" }])).toThrow(MockExpectationError);
  });

  it("refuses what it cannot mock instead of dialling", async () => {
    const c = new MockConnection("web1");
    await expect(c.sftp()).rejects.toBeInstanceOf(NotMocked);
    await expect(c.openClient()).rejects.toBeInstanceOf(NotMocked);
    await expect(c.run("x", { asynchronous: true })).rejects.toBeInstanceOf(NotMocked);
    expect(c.isConnected).toBe(false);
  });

  it("verify() lists programmed commands that never ran", async () => {
    const c = new MockConnection("web1", { run: { "git pull": true, make: true } });
    await c.run("git pull");
    expect(() => c.verify()).toThrow(/never used:\n {2}run: "make"/);
    await c.run("make");
    expect(() => c.verify()).not.toThrow();
  });
});

describe("MockSftp through a MockConnection", () => {
  it("puts bytes and streams under ~, cd() and directories, and reads them back", async () => {
    const c = new MockConnection("web1", { home: "/home/deploy", files: { "~/srv/keep.txt": "x" } });
    await c.put(Buffer.from("one"), "~/a.txt");
    await c.cd("srv", (srv) => srv.put(Buffer.from("two"), "b.txt"));
    const stream = new PassThrough();
    stream.end("three");
    const result = await c.put(stream, "/etc/c.conf");
    expect(result).toMatchObject({ remote: "/etc/c.conf", bytes: 5 });
    expect(c.sftpMock.read("/home/deploy/a.txt")).toBe("one");
    expect(c.sftpMock.read("~/srv/b.txt")).toBe("two");
    expect(c.sftpMock.read("/etc/c.conf")).toBe("three");
    await expect(c.put(Buffer.from("x"), "~/srv/")).rejects.toThrow(/has a name|unless it has/);
    await expect(c.put(Buffer.from("x"))).rejects.toThrow("Must give non-empty remote path");
  });

  it("gets into templated local paths without touching the disk, and fails for missing files", async () => {
    const c = new MockConnection("web1", { files: { "~/log/app.log": "line\n" } });
    const result = await c.get("~/log/app.log", "logs/{originalHost}/");
    expect(result.local).toBe("logs/web1/app.log");
    expect(c.sftpMock.downloaded("logs/web1/app.log")).toBe("line\n");
    expect(c.sftpMock.transfers).toEqual([
      { method: "get", host: "web1", remote: "/home/user/log/app.log", local: "logs/web1/app.log", bytes: 5 },
    ]);
    await expect(c.get("~/missing.log")).rejects.toMatchObject({
      name: "SftpError",
      statusName: "NO_SUCH_FILE",
    });
    await expect(c.get("")).rejects.toThrow("Remote path must not be empty!");
  });
});

describe("MockRemote", () => {
  let remote: MockRemote | undefined;
  afterEach(() => remote?.stop());

  it("answers Connections that code under test creates itself, groups included", async () => {
    remote = startMockRemote({
      hosts: { web1: { run: { uptime: "up 1 day\n" } }, web2: { run: { uptime: "up 2 days\n" } } },
    });
    const group = new ThreadingGroup("web1", "web2", { config: remote.config, output: "plain" });
    const results = await group.run("uptime", { hide: true });
    expect([...results.values()].map((r) => (r as Result).stdout)).toEqual(["up 1 day\n", "up 2 days\n"]);
    remote.expectCommands({ web1: ["uptime"], web2: ["uptime"] });
    expect(() => remote?.verify()).not.toThrow();
  });

  it("rejects hosts it was not told about, unless otherHosts is given", async () => {
    remote = startMockRemote({ hosts: { web1: { otherwise: true } } });
    const stranger = new Connection("db1", { config: remote.config });
    await expect(stranger.run("true")).rejects.toBeInstanceOf(UnexpectedHost);
    await expect(stranger.run("true")).rejects.toThrow('no mocked host "db1" (mocked: web1)');
    remote.stop();
    remote = startMockRemote({ otherHosts: { otherwise: true } });
    await new Connection("db1", { config: remote.config }).run("true");
    expect(remote.host("db1").commands).toEqual(["true"]);
  });

  it("reports per-host mismatches, and hosts that got commands they should not have", async () => {
    remote = startMockRemote({ hosts: { web1: { otherwise: true }, web2: { otherwise: true } } });
    await new SerialGroup("web1", "web2", { config: remote.config, output: "plain" }).run("make");
    expect(() => remote?.expectCommands({ web1: ["make"] })).toThrow(
      /Commands on web2 did not match \(1 run, 0 expected\):\n {2}1\. ✗ unexpected: "make"/,
    );
  });

  it("turns failing answers into a GroupException naming the host", async () => {
    remote = startMockRemote({ hosts: { web1: { otherwise: true }, web2: { run: { deploy: false } } } });
    const group = new SerialGroup("web1", "web2", { config: remote.config, output: "plain" });
    const error = await group.run("deploy", { hide: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GroupException);
    expect((error as Error).message).toContain("web2: UnexpectedExit");
  });

  it("restores Connection when stopped, and refuses a second active MockRemote", () => {
    const original = Connection.prototype.run;
    remote = startMockRemote();
    expect(Connection.prototype.run).not.toBe(original);
    expect(() => new MockRemote().start()).toThrow(NotMocked);
    remote.stop();
    expect(Connection.prototype.run).toBe(original);
  });

  it("keeps the global order of calls across hosts", async () => {
    remote = startMockRemote({ otherHosts: { otherwise: true } });
    for (const host of ["b", "a", "c"]) await remote.connection(host).run(`echo ${host}`);
    expect(remote.calls.map((call) => call.host)).toEqual(["b", "a", "c"]);
  });
});

describe("expectCommands", () => {
  it("lists matches, mismatches and missing commands", () => {
    const calls = [{ host: "h", method: "run", command: "a", cwd: "", prefixes: [], options: {} }] as const;
    expect(() => expectCommands(calls, ["a"])).not.toThrow();
    expect(() => expectCommands(calls, [/^a$/, "b"])).toThrow(/1\. ✓ "a"\n {2}2\. ✗ missing: "b"/);
    expect(() => expectCommands(calls, [{ command: "a", method: "sudo" }])).toThrow(
      /✗ expected sudo: "a", got "a"/,
    );
  });
});
