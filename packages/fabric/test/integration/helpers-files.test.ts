// The file helpers against the real sshd: a non-root login (alone and with sudo into root-owned
// places) and a root login, on hostile paths and texts. The hosts are this machine, so what the
// helpers wrote is checked with node:fs directly, not through the code under test.
import { existsSync } from "node:fs";
import {
  chmod,
  chown,
  lstat,
  mkdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Connection } from "../../src/connection/connection.js";
import { countingChanges } from "../../src/helpers/helper-session.js";
import {
  append,
  comment,
  contains,
  ensureDir,
  ensureLine,
  exists,
  isDir,
  isLink,
  RemoteFileError,
  sed,
  uncomment,
} from "../../src/helpers/index.js";
import { describeWithSshd, harnessConfig, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

/** A directory name with everything a shell would trip on: quotes, $, backticks, spaces, a newline, a leading dash. */
const HOSTILE_DIR = `-d ir'"$HOME\`id\`\nx`;
/** A file name in the same spirit. */
const HOSTILE_FILE = `-rf it's "a" $(touch pwned) .conf`;
/** A line of text in the same spirit, plus slashes and a backslash. */
const HOSTILE_TEXT = `it's "quoted" $HOME \`id\` $(touch pwned) /a/b\\c`;

function userIds(name: string): Promise<{ uid: number; gid: number }> {
  return readFile("/etc/passwd", "utf8").then((passwd) => {
    const line = passwd.split("\n").find((l) => l.startsWith(`${name}:`));
    const [, , uid, gid] = line?.split(":") ?? [];
    if (uid === undefined || gid === undefined) throw new Error(`no user ${name}`);
    return { uid: Number(uid), gid: Number(gid) };
  });
}

describeWithSshd("file helpers as a non-root login (SFTP, no sudo)", () => {
  let sshd: SshdHarness;
  let c: Connection;
  let base: string;

  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    await c?.close();
    await sshd?.stop();
  });
  beforeEach(async () => {
    base = `/tmp/fabric-helpers-${process.pid}-${Math.random().toString(36).slice(2)}`;
    await mkdir(base, { recursive: true });
    const { uid, gid } = await userIds(sshd.user);
    await chown(base, uid, gid);
    c = new Connection("host1", { config: harnessConfig(sshd) });
    return async () => {
      await c.close();
      await rm(base, { recursive: true, force: true });
    };
  });

  it("ensureDir creates a hostile path once, then reports no change", async () => {
    const dir = `${base}/${HOSTILE_DIR}/sub`;
    expect(await ensureDir(c, dir, { mode: 0o750 })).toBe(true);
    expect((await stat(dir)).isDirectory()).toBe(true);
    expect((await stat(dir)).mode & 0o777).toBe(0o750);
    expect(await ensureDir(c, dir, { mode: 0o750 })).toBe(false);
    expect(await ensureDir(c, dir, { mode: 0o700 })).toBe(true);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await isDir(c, dir)).toBe(true);
    await writeFile(join(base, "plain"), "x");
    await expect(ensureDir(c, `${base}/plain`)).rejects.toThrow(/not a directory/);
  });

  it("append twice adds one line, to a hostile path, with a hostile text, and runs nothing", async () => {
    await mkdir(join(base, HOSTILE_DIR));
    const path = `${base}/${HOSTILE_DIR}/${HOSTILE_FILE}`;
    await writeFile(path, "first line", { mode: 0o640 });
    const { uid, gid } = await userIds(sshd.user);
    await chown(join(base, HOSTILE_DIR), uid, gid);
    await chown(path, uid, gid);
    expect(await append(c, path, HOSTILE_TEXT)).toBe(true);
    expect(await append(c, path, HOSTILE_TEXT)).toBe(false);
    expect(await readFile(path, "utf8")).toBe(`first line\n${HOSTILE_TEXT}\n`);
    expect((await stat(path)).mode & 0o777).toBe(0o640); // mode kept across the atomic replace
    expect(await contains(c, path, HOSTILE_TEXT, { exact: true })).toBe(true);
    expect(await contains(c, path, "not there")).toBe(false);
    expect(await exists(c, path)).toBe(true);
    expect(
      existsSync("pwned") || existsSync(join(base, "pwned")) || existsSync(`/home/${sshd.user}/pwned`),
    ).toBe(false);
  });

  it("append keeps a multi-line block together and creates a missing file", async () => {
    const path = `${base}/new file.txt`;
    const block = '[section]\nkey = "$value"';
    expect(await append(c, path, block, { mode: 0o600 })).toBe(true);
    expect(await append(c, path, block)).toBe(false);
    expect(await readFile(path, "utf8")).toBe(`${block}\n`);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("sed with slashes and quotes in both texts, a backup, and no change the second time", async () => {
    const path = `${base}/${HOSTILE_FILE}`;
    await writeFile(path, `root "/var/www/old";\nroot '/keep';\n`);
    const before = `root "/var/www/old";`;
    const after = `root '/srv/new/"it's"';`;
    expect(await sed(c, path, before, after, { literal: true, backup: ".bak" })).toBe(true);
    expect(await readFile(path, "utf8")).toBe(`${after}\nroot '/keep';\n`);
    expect(await readFile(`${path}.bak`, "utf8")).toBe(`root "/var/www/old";\nroot '/keep';\n`);
    expect(await sed(c, path, before, after, { literal: true })).toBe(false);
    // A pattern with slashes and quotes, and a group reference.
    expect(await sed(c, path, `^root '(/[a-z]+)';$`, `root "$1/"`)).toBe(true);
    expect(await readFile(path, "utf8")).toBe(`${after}\nroot "/keep/"\n`);
    await expect(sed(c, `${base}/missing`, "a", "b")).rejects.toThrow(RemoteFileError);
  });

  it("comment and uncomment are idempotent", async () => {
    const path = `${base}/sshd_config`;
    await writeFile(path, "PasswordAuthentication yes\nPort 22\n");
    expect(await comment(c, path, "^PasswordAuthentication")).toBe(true);
    expect(await comment(c, path, "^PasswordAuthentication")).toBe(false);
    expect(await readFile(path, "utf8")).toBe("#PasswordAuthentication yes\nPort 22\n");
    expect(await uncomment(c, path, "^PasswordAuthentication")).toBe(true);
    expect(await uncomment(c, path, "^PasswordAuthentication")).toBe(false);
    expect(await readFile(path, "utf8")).toBe("PasswordAuthentication yes\nPort 22\n");
  });

  it("ensureLine edits through a symbolic link (the link stays a link) and counts changed/ok", async () => {
    const real = `${base}/real.conf`;
    const link = `${base}/link.conf`;
    await writeFile(real, "Port 22\nListenAddress 0.0.0.0\n");
    await symlink("real.conf", link);
    expect(await isLink(c, link)).toBe(true);
    expect(await isLink(c, real)).toBe(false);
    const { value, counts } = await countingChanges(async () => [
      await ensureLine(c, link, { regexp: "^Port ", line: "Port 2222" }),
      await ensureLine(c, link, { regexp: "^Port ", line: "Port 2222" }),
      await ensureLine(c, link, { line: "UseDNS no", insertAfter: "^Port " }),
      await ensureLine(c, link, { regexp: "^Listen", state: "absent" }),
    ]);
    expect(value).toEqual([true, false, true, true]);
    expect(counts).toEqual({ changed: 3, ok: 1 });
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe("real.conf");
    expect(await readFile(real, "utf8")).toBe("Port 2222\nUseDNS no\n");
    await expect(ensureLine(c, `${base}/none`, { line: "x" })).rejects.toThrow(/does not exist/);
    expect(await ensureLine(c, `${base}/none`, { line: "x", create: true })).toBe(true);
    expect(await readFile(`${base}/none`, "utf8")).toBe("x\n");
  });

  it("relative paths follow cd() and ~ is the login directory", async () => {
    await writeFile(join(base, "rel.txt"), "a\n");
    const home = (await c.run("pwd", { hide: true })).stdout.trim();
    expect(await c.cd(base, (inBase) => append(inBase as Connection, "rel.txt", "b"))).toBe(true);
    expect(await readFile(join(base, "rel.txt"), "utf8")).toBe("a\nb\n");
    expect(await exists(c, "~")).toBe(true);
    expect(await isDir(c, "~")).toBe(true);
    expect(home).toMatch(/^\//);
  });

  it("cannot write a root-owned file without sudo, and says so", async () => {
    const path = `${base}/root-owned`;
    await writeFile(path, "a\n", { mode: 0o644 });
    await chown(path, 0, 0);
    await chmod(base, 0o755);
    await chown(base, 0, 0);
    await expect(append(c, path, "b")).rejects.toThrow(/sudo: true/);
    expect(await readFile(path, "utf8")).toBe("a\n");
  });
});

describeWithSshd(
  "file helpers with sudo (non-root login, root-owned files)",
  () => {
    let sshd: SshdHarness;
    let c: Connection;
    let base: string;

    beforeAll(async () => {
      sshd = await startSshd();
    });
    afterAll(async () => {
      await sshd?.stop();
    });
    beforeEach(async () => {
      base = `/opt/fabric-helpers-${process.pid}-${Math.random().toString(36).slice(2)}`;
      await mkdir(base, { recursive: true, mode: 0o700 }); // the login user cannot even look inside
      await chmod(base, 0o700);
      if (!sshd.sudo.available) throw new Error(`sudo unavailable: ${sshd.sudo.reason}`);
      const config = harnessConfig(sshd);
      config.set("sudo.password", sshd.sudo.password);
      c = new Connection("host1", { config });
      return async () => {
        await c.close();
        await rm(base, { recursive: true, force: true });
      };
    });

    it("exists/isDir/isLink look as root; without sudo the login user is refused", async () => {
      const path = `${base}/${HOSTILE_FILE}`;
      await writeFile(path, "x");
      await symlink(path, `${base}/link`);
      expect(await exists(c, path, { sudo: true })).toBe(true);
      expect(await exists(c, `${base}/nope`, { sudo: true })).toBe(false);
      expect(await isDir(c, base, { sudo: true })).toBe(true);
      expect(await isLink(c, `${base}/link`, { sudo: true })).toBe(true);
      await expect(exists(c, path)).rejects.toThrow(RemoteFileError);
    });

    it("append, sed and ensureLine keep owner and mode of a root file with a hostile name", async () => {
      const path = `${base}/${HOSTILE_FILE}`;
      await writeFile(path, "Port 22\n", { mode: 0o600 });
      const nobody = await userIds("nobody");
      await chown(path, nobody.uid, nobody.gid);
      expect(await append(c, path, HOSTILE_TEXT, { sudo: true })).toBe(true);
      expect(await append(c, path, HOSTILE_TEXT, { sudo: true })).toBe(false);
      expect(await sed(c, path, "^Port 22$", "Port '2222'/\"x\"", { sudo: true })).toBe(true);
      expect(
        await ensureLine(c, path, { regexp: "^UseDNS", line: "UseDNS no", insertBefore: "BOF", sudo: true }),
      ).toBe(true);
      expect(
        await ensureLine(c, path, { regexp: "^UseDNS", line: "UseDNS no", insertBefore: "BOF", sudo: true }),
      ).toBe(false);
      expect(await contains(c, path, HOSTILE_TEXT, { sudo: true, exact: true })).toBe(true);
      expect(await readFile(path, "utf8")).toBe(`UseDNS no\nPort '2222'/"x"\n${HOSTILE_TEXT}\n`);
      const after = await stat(path);
      expect(after.mode & 0o777).toBe(0o600);
      expect([after.uid, after.gid]).toEqual([nobody.uid, nobody.gid]);
      const leftovers = (await import("node:fs/promises")).readdir(base);
      expect((await leftovers).filter((name) => name.includes("fabric-ts"))).toEqual([]);
    });

    it("ensureDir as root with mode and owner, then no change", async () => {
      const dir = `${base}/${HOSTILE_DIR}/www`;
      const opts = { sudo: true, mode: 0o2750, owner: sshd.user, group: "root" } as const;
      expect(await ensureDir(c, dir, opts)).toBe(true);
      const made = await stat(dir);
      const { uid } = await userIds(sshd.user);
      expect(made.mode & 0o7777).toBe(0o2750);
      expect([made.uid, made.gid]).toEqual([uid, 0]);
      expect(await ensureDir(c, dir, opts)).toBe(false);
      expect(await ensureDir(c, dir, { ...opts, owner: "root" })).toBe(true);
      expect((await stat(dir)).uid).toBe(0);
    });

    it("sudo as another user edits that user's file as that user", async () => {
      const other = sshd.nopasswdUser;
      if (!other) throw new Error("the harness has no second user");
      const ids = await userIds(other);
      const dir = `${base}/${other}`;
      await mkdir(dir, { mode: 0o700 });
      await chown(dir, ids.uid, ids.gid);
      await chmod(base, 0o755);
      const path = `${dir}/app.env`;
      expect(await append(c, path, "MODE='prod'", { sudo: other })).toBe(true);
      expect(await append(c, path, "MODE='prod'", { sudo: other })).toBe(false);
      expect(await readFile(path, "utf8")).toBe("MODE='prod'\n");
      const made = await stat(path);
      expect([made.uid, made.gid]).toEqual([ids.uid, ids.gid]);
    });

    it("a wrong sudo password is an error, not a false answer", async () => {
      c.config.set("sudo.password", "wrong-password");
      await expect(exists(c, base, { sudo: true })).rejects.toThrow();
    });
  },
  { sudo: true },
);

describe("file helpers as root (root login)", () => {
  describeWithSshd(
    "root login",
    () => {
      let sshd: SshdHarness;
      let c: Connection;
      let base: string;

      beforeAll(async () => {
        sshd = await startSshd({ rootLogin: true });
      });
      afterAll(async () => {
        await sshd?.stop();
      });
      beforeEach(async () => {
        base = `/opt/fabric-helpers-root-${process.pid}-${Math.random().toString(36).slice(2)}`;
        await mkdir(base, { recursive: true, mode: 0o700 });
        c = new Connection("host1", { config: harnessConfig(sshd) });
        return async () => {
          await c.close();
          await rm(base, { recursive: true, force: true });
        };
      });

      it("edits root-owned files over SFTP without sudo, keeping mode and owner", async () => {
        const path = `${base}/${HOSTILE_FILE}`;
        await writeFile(path, "a\n", { mode: 0o640 });
        expect(await append(c, path, HOSTILE_TEXT)).toBe(true);
        expect(await append(c, path, HOSTILE_TEXT)).toBe(false);
        expect(await sed(c, path, "^a$", "b/'c'")).toBe(true);
        expect(await readFile(path, "utf8")).toBe(`b/'c'\n${HOSTILE_TEXT}\n`);
        const after = await stat(path);
        expect(after.mode & 0o777).toBe(0o640);
        expect([after.uid, after.gid]).toEqual([0, 0]);
      });

      it("ensureDir and ensureLine under sudo as root (no password needed)", async () => {
        const dir = `${base}/${HOSTILE_DIR}`;
        expect(await ensureDir(c, dir, { sudo: true, mode: 0o711 })).toBe(true);
        expect(await ensureDir(c, dir, { sudo: true, mode: 0o711 })).toBe(false);
        expect((await stat(dir)).mode & 0o777).toBe(0o711);
        const file = `${dir}/f`;
        expect(await ensureLine(c, file, { line: HOSTILE_TEXT, create: true, sudo: true })).toBe(true);
        expect(await ensureLine(c, file, { line: HOSTILE_TEXT, create: true, sudo: true })).toBe(false);
        expect(await readFile(file, "utf8")).toBe(`${HOSTILE_TEXT}\n`);
      });
    },
    { sudo: true },
  );
});
