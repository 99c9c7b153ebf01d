// put/get against the real sshd: path rules (fabric-api §B5, §C3 39), templates, preserveMode, ~ and cd().
import { createReadStream } from "node:fs";
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Connection } from "../../src/connection/connection.js";
import { TransferError } from "../../src/errors/index.js";
import { interpolateLocalPath, resolveRemotePath } from "../../src/transfer/paths.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

describe("remote path resolution", () => {
  const base = { home: "/home/u", cwd: "" };
  it.each([
    ["file", base, "/home/u/file"],
    ["~", base, "/home/u"],
    ["~/x/y", base, "/home/u/x/y"],
    ["/abs/x", { home: "/home/u", cwd: "/srv" }, "/abs/x"],
    ["x", { home: "/home/u", cwd: "/srv/app" }, "/srv/app/x"],
    ["x", { home: "/home/u", cwd: "releases" }, "/home/u/releases/x"],
    ["x", { home: "/home/u", cwd: "~/app" }, "/home/u/app/x"],
    ["../x", { home: "/home/u", cwd: "/srv/app" }, "/srv/x"],
  ])("%s with %o → %s", (path, where, expected) => {
    expect(resolveRemotePath(path, where)).toBe(expected);
  });

  it("interpolates local path templates and rejects unknown placeholders", () => {
    expect(interpolateLocalPath("{host}/{basename}", { host: "web1", basename: "a.log" })).toBe("web1/a.log");
    expect(interpolateLocalPath("{{literal}}-{port}", { port: 22 })).toBe("{literal}-22");
    expect(() => interpolateLocalPath("{nope}", { host: "h" })).toThrow(TransferError);
  });
});

describeWithSshd("put/get against real sshd", () => {
  let sshd: SshdHarness;
  let c: Connection;
  let local: string;
  let home: string;
  let remoteDir: string;
  let cwd: string;

  beforeAll(async () => {
    sshd = await startSshd();
    c = new Connection("host1", { config: harnessConfig(sshd) });
    home = (await c.run("pwd", { hide: true })).stdout.trim();
    cwd = process.cwd();
  });
  afterAll(async () => {
    process.chdir(cwd);
    await c?.close();
    await sshd?.stop();
  });
  beforeEach(async () => {
    local = await mkdtemp(join(tmpdir(), "fabric-transfer-"));
    remoteDir = `/tmp/fabric-transfer-${process.pid}-${Math.random().toString(36).slice(2)}`;
    await c.run(`mkdir -p ${remoteDir}`, { hide: true });
    return async () => {
      process.chdir(cwd);
      await rm(local, { recursive: true, force: true });
      await c.run(`rm -rf ${remoteDir}`, { hide: true });
    };
  });

  it("puts a file to an absolute path and preserves its mode by default", async () => {
    const src = join(local, "script.sh");
    await writeFile(src, "#!/bin/sh\necho hi\n");
    await chmod(src, 0o751);
    const result = await c.put(src, `${remoteDir}/script.sh`);
    expect(result.remote).toBe(`${remoteDir}/script.sh`);
    expect(result.local).toBe(src);
    expect(result.connection).toBe(c);
    expect(result.bytes).toBe(18);
    const remote = await c.run(`stat -c %a ${remoteDir}/script.sh; cat ${remoteDir}/script.sh`, {
      hide: true,
    });
    expect(remote.stdout).toBe("751\n#!/bin/sh\necho hi\n");
  });

  it("leaves the remote mode to the server with preserveMode: false", async () => {
    const src = join(local, "private");
    await writeFile(src, "x");
    await chmod(src, 0o600);
    await c.put(src, `${remoteDir}/private`, { preserveMode: false });
    const mode = await c.run(`stat -c %a ${remoteDir}/private`, { hide: true });
    expect(mode.stdout.trim()).not.toBe("600");
  });

  it("puts into an existing remote directory under the local basename", async () => {
    const src = join(local, "app.conf");
    await writeFile(src, "conf");
    const result = await c.put(src, remoteDir);
    expect(result.remote).toBe(`${remoteDir}/app.conf`);
    expect((await c.run(`cat ${remoteDir}/app.conf`, { hide: true })).stdout).toBe("conf");
  });

  it("puts relative paths into the login directory, or into the Connection's cd()", async () => {
    const src = join(local, `rel-${process.pid}.txt`);
    await writeFile(src, "rel");
    const home1 = await c.put(src);
    expect(home1.remote).toBe(`${home}/rel-${process.pid}.txt`);
    const inCd = await c.cd(remoteDir).put(src, "sub-name.txt");
    expect(inCd.remote).toBe(`${remoteDir}/sub-name.txt`);
    const tilde = await c.put(src, `~/tilde-${process.pid}.txt`);
    expect(tilde.remote).toBe(`${home}/tilde-${process.pid}.txt`);
    await c.run(`rm -f ~/rel-${process.pid}.txt ~/tilde-${process.pid}.txt`, { hide: true });
  });

  it("puts a Buffer and a Readable; requires a remote path for them", async () => {
    await c.put(Buffer.from("from buffer"), `${remoteDir}/buf.txt`);
    await c.put(Readable.from([Buffer.from("from "), Buffer.from("stream")]), `${remoteDir}/stream.txt`);
    expect((await c.run(`cat ${remoteDir}/buf.txt ${remoteDir}/stream.txt`, { hide: true })).stdout).toBe(
      "from bufferfrom stream",
    );
    await expect(c.put(Buffer.from("x"))).rejects.toThrow(
      "Must give non-empty remote path when local is a Buffer or stream!",
    );
    await expect(c.put(Buffer.from("x"), remoteDir)).rejects.toThrow(
      /Can't put a Buffer or stream into a directory/,
    );
    await expect(c.put("")).rejects.toThrow("Local path must not be empty!");
  });

  it("names a file stream by its path when putting into a directory", async () => {
    const src = join(local, "named.txt");
    await writeFile(src, "named");
    const result = await c.put(createReadStream(src), `${remoteDir}/`);
    expect(result.remote).toBe(`${remoteDir}/named.txt`);
  });

  it("gets a file, creating parents, with {host}-style templates and the remote mode", async () => {
    await c.run(`printf data > ${remoteDir}/app.log && chmod 640 ${remoteDir}/app.log`, { hide: true });
    const result = await c.get(`${remoteDir}/app.log`, join(local, "{host}", "{port}-{basename}"));
    const expected = join(local, c.host, `${c.port}-app.log`);
    expect(result.local).toBe(expected);
    expect(result.remote).toBe(`${remoteDir}/app.log`);
    expect(await readFile(expected, "utf8")).toBe("data");
    expect((await stat(expected)).mode & 0o777).toBe(0o640);
  });

  it("gets into a directory when the local path ends with / or is a directory", async () => {
    await c.run(`printf one > ${remoteDir}/one.txt`, { hide: true });
    const trailing = await c.get(`${remoteDir}/one.txt`, `${join(local, "{user}")}/`);
    expect(trailing.local).toBe(join(local, sshd.user, "one.txt"));
    await mkdir(join(local, "existing"));
    const existing = await c.get(`${remoteDir}/one.txt`, join(local, "existing"));
    expect(existing.local).toBe(join(local, "existing", "one.txt"));
  });

  it("gets relative to the cd() and to ~, into the current directory by default", async () => {
    await c.run(`printf cd > ${remoteDir}/cd.txt`, { hide: true });
    process.chdir(local);
    const result = await c.cd(remoteDir).get("cd.txt");
    expect(result.local).toBe(join(local, "cd.txt"));
    expect(await readFile(join(local, "cd.txt"), "utf8")).toBe("cd");
    await c.run(`printf home > ~/fabric-get-${process.pid}`, { hide: true });
    const tilde = await c.get(`~/fabric-get-${process.pid}`, join(local, "t"));
    expect(tilde.remote).toBe(`${home}/fabric-get-${process.pid}`);
    await c.run(`rm -f ~/fabric-get-${process.pid}`, { hide: true });
  });

  it("gets into a Writable, leaving it open", async () => {
    await c.run(`printf stream-me > ${remoteDir}/s.txt`, { hide: true });
    const sink = new PassThrough();
    const chunks: Buffer[] = [];
    sink.on("data", (chunk: Buffer) => chunks.push(chunk));
    const result = await c.get(`${remoteDir}/s.txt`, sink);
    expect(result.local).toBe(sink);
    expect(Buffer.concat(chunks).toString()).toBe("stream-me");
    expect(sink.writableEnded).toBe(false);
  });

  it("reports progress and clear errors", async () => {
    const src = join(local, "big.bin");
    await writeFile(src, Buffer.alloc(3 * 1024 * 1024, 7));
    const seen: number[] = [];
    await c.put(src, `${remoteDir}/big.bin`, { onProgress: (done) => seen.push(done) });
    expect(seen.at(-1)).toBe(3 * 1024 * 1024);
    await expect(c.get("")).rejects.toThrow("Remote path must not be empty!");
    await expect(c.get(`${remoteDir}/missing`, join(local, "m"))).rejects.toMatchObject({
      path: `${remoteDir}/missing`,
    });
    // A remote directory is copied recursively (transfer-tree.test.ts has the details).
    const tree = await c.get(remoteDir, join(local, "d"));
    expect(tree.files).toEqual(["big.bin"]);
    expect((await stat(join(local, "d", "big.bin"))).size).toBe(3 * 1024 * 1024);
  });

  it("memoises the SFTP session and closes it with the connection", async () => {
    const first = await c.sftp();
    expect(await c.sftp()).toBe(first);
    await c.close();
    expect(first.isClosed).toBe(true);
    const again = await c.sftp();
    expect(again).not.toBe(first);
  });
});
