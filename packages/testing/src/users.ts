import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, chown, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { join } from "node:path";
import { runChecked, runCommand } from "./sshd/exec.js";
import { withFileLock } from "./sshd/file-lock.js";

/** Default name of the dedicated login user (root only). */
export const DEFAULT_TEST_USER = "fabts";
/** Default name of the variant whose sudo needs no password. */
export const DEFAULT_NOPASSWD_USER = "fabts-nopw";
/** The uid-0 login of `startSshd({ rootLogin: true })`: an alias of root with its own clean home. */
export const ROOT_LOGIN_USER = "fabts-root";
/** The sudoers drop-in the harness manages. */
export const SUDOERS_DROP_IN = "/etc/sudoers.d/fabric-ts-test";

const STATE_DIR = "/var/lib/fabric-ts-test";
const GECOS_MARKER = "fabric-ts test user";
const RC_FILES = [".bashrc", ".bash_profile", ".bash_login", ".profile", ".bash_logout", ".zshrc", ".zshenv"];

export type SudoCapability =
  | { available: true; user: string; password: string; nopasswdUser: string | undefined }
  | { available: false; reason: string };

/** The account test logins use. */
export interface TestUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
  /** Account password (for sudo and password auth); only for a user the harness manages as root. */
  password: string | undefined;
  /** True when the harness created and manages the account; false for "the current user". */
  managed: boolean;
  sudo: SudoCapability;
}

export interface EnsureTestUserOptions {
  /** Login user to create or reuse; default `fabts`. Only accounts created by the harness are touched. */
  name?: string;
  /** Passwordless-sudo variant; default `fabts-nopw`; `false` for none. */
  nopasswdName?: string | false;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  gecos: string;
  home: string;
  shell: string;
}

const cache = new Map<string, Promise<TestUser>>();

export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

/**
 * Makes sure the test login user exists and is ready. As root: creates (idempotently) a dedicated
 * user with a clean home, a password, and a sudoers drop-in that requires that password, plus a
 * passwordless-sudo variant. Not root: returns the current user, with sudo unavailable.
 * Safe to call from many processes at once; the result is cached per process.
 */
export function ensureTestUser(options: EnsureTestUserOptions = {}): Promise<TestUser> {
  const name = options.name ?? DEFAULT_TEST_USER;
  const nopasswd = options.nopasswdName === undefined ? DEFAULT_NOPASSWD_USER : options.nopasswdName;
  const key = `${name}\0${nopasswd || ""}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = (isRoot() ? provisionAsRoot(name, nopasswd || undefined) : currentUser()).catch(
      (error: unknown) => {
        cache.delete(key);
        throw error;
      },
    );
    cache.set(key, pending);
  }
  return pending;
}

async function currentUser(): Promise<TestUser> {
  const info = userInfo();
  return {
    name: info.username,
    uid: info.uid,
    gid: info.gid,
    home: info.homedir,
    shell: info.shell ?? "/bin/sh",
    password: undefined,
    managed: false,
    sudo: {
      available: false,
      reason: "not running as root: the harness logs in as the current user and cannot set up sudo",
    },
  };
}

async function provisionAsRoot(name: string, nopasswdName: string | undefined): Promise<TestUser> {
  await mkdir(STATE_DIR, { recursive: true, mode: 0o700 });
  return withFileLock(join(STATE_DIR, "users.lock"), async () => {
    const user = await ensureAccount(name);
    const password = await storedPassword(name);
    // The password is stable per machine (not per harness): parallel test workers share the account.
    await runChecked("chpasswd", [], { input: `${name}:${password}\n` });
    let nopasswdUser: string | undefined;
    if (nopasswdName) {
      await ensureAccount(nopasswdName);
      // "*" disables password logins without marking the account locked (sshd refuses locked accounts).
      await runChecked("usermod", ["-p", "*", nopasswdName]);
      nopasswdUser = nopasswdName;
    }
    const sudo = await ensureSudoers(name, nopasswdUser, password);
    return { ...user, password, managed: true, sudo };
  });
}

/**
 * The uid-0 account root logins use (root only): `fabts-root`, an alias of root (same uid and gid)
 * with its own home, so logins run with root's privileges, and sshd treats them as root logins,
 * without root's shell start-up files. Password logins are disabled (`*`, not locked: sshd refuses
 * locked accounts).
 */
export function ensureRootLoginUser(): Promise<TestUser> {
  const key = `${ROOT_LOGIN_USER}\0root`;
  let pending = cache.get(key);
  if (!pending) {
    pending = provisionRootLogin().catch((error: unknown) => {
      cache.delete(key);
      throw error;
    });
    cache.set(key, pending);
  }
  return pending;
}

async function provisionRootLogin(): Promise<TestUser> {
  if (!isRoot()) throw new Error("ensureRootLoginUser: only root can create a uid-0 login");
  await mkdir(STATE_DIR, { recursive: true, mode: 0o700 });
  return withFileLock(join(STATE_DIR, "users.lock"), async () => {
    const name = ROOT_LOGIN_USER;
    let entry = await lookupUser(name);
    if (entry && (!entry.gecos.startsWith(GECOS_MARKER) || entry.uid !== 0)) {
      throw new Error(`ensureRootLoginUser: user ${name} exists but was not created by @fabric-ts/testing`);
    }
    if (!entry) {
      const created = await runCommand("useradd", [
        "--non-unique",
        "--uid",
        "0",
        "--gid",
        "0",
        "--comment",
        GECOS_MARKER,
        "--home-dir",
        `/home/${name}`,
        "--no-create-home",
        "--shell",
        "/bin/bash",
        name,
      ]);
      if (created.code !== 0 && created.code !== 9)
        throw new Error(`useradd ${name} failed: ${created.stderr.trim()}`);
      entry = await lookupUser(name);
      if (!entry) throw new Error(`ensureRootLoginUser: user ${name} missing after useradd`);
    }
    await runChecked("usermod", ["-p", "*", name]);
    await prepareHome(entry);
    return {
      name,
      uid: 0,
      gid: 0,
      home: entry.home,
      shell: "/bin/bash",
      password: undefined,
      managed: true,
      sudo: { available: false, reason: "root logins need no sudo" },
    };
  });
}

async function lookupUser(name: string): Promise<PasswdEntry | undefined> {
  const result = await runCommand("getent", ["passwd", name]);
  if (result.code !== 0) return undefined;
  const [user, , uid, gid, gecos, home, shell] = result.stdout.trim().split(":");
  if (user === undefined || home === undefined || shell === undefined) return undefined;
  return { name: user, uid: Number(uid), gid: Number(gid), gecos: gecos ?? "", home, shell };
}

async function ensureAccount(name: string): Promise<Omit<TestUser, "password" | "managed" | "sudo">> {
  if (!/^[a-z_][a-z0-9_-]{0,30}$/.test(name)) throw new Error(`ensureTestUser: invalid user name ${name}`);
  let entry = await lookupUser(name);
  if (entry && !entry.gecos.startsWith(GECOS_MARKER)) {
    throw new Error(
      `ensureTestUser: user ${name} exists but was not created by @fabric-ts/testing; refusing to change it`,
    );
  }
  const home = `/home/${name}`;
  if (!entry) {
    const created = await runCommand("useradd", [
      "--comment",
      GECOS_MARKER,
      "--home-dir",
      home,
      "--no-create-home",
      "--shell",
      "/bin/bash",
      "--user-group",
      name,
    ]);
    // Exit 9: created meanwhile by a process that does not share our lock; fine.
    if (created.code !== 0 && created.code !== 9) {
      throw new Error(`useradd ${name} failed: ${created.stderr.trim()}`);
    }
    entry = await lookupUser(name);
    if (!entry) throw new Error(`ensureTestUser: user ${name} missing after useradd`);
  } else if (entry.shell !== "/bin/bash") {
    await runChecked("usermod", ["--shell", "/bin/bash", name]);
  }
  await prepareHome(entry);
  return { name, uid: entry.uid, gid: entry.gid, home: entry.home, shell: "/bin/bash" };
}

/** A home with only `.ssh/authorized_keys`: no rc file may slow down or change remote commands. */
async function prepareHome(entry: PasswdEntry): Promise<void> {
  const sshDir = join(entry.home, ".ssh");
  await mkdir(sshDir, { recursive: true });
  await Promise.all(RC_FILES.map((file) => rm(join(entry.home, file), { force: true })));
  const authorizedKeys = join(sshDir, "authorized_keys");
  if (!existsSync(authorizedKeys)) await writeFile(authorizedKeys, "", { mode: 0o600 });
  for (const path of [entry.home, sshDir, authorizedKeys]) await chown(path, entry.uid, entry.gid);
  await chmod(entry.home, 0o755);
  await chmod(sshDir, 0o700);
}

async function storedPassword(name: string): Promise<string> {
  const path = join(STATE_DIR, `${name}.password`);
  try {
    const stored = (await readFile(path, "utf8")).trim();
    if (stored.length >= 16) return stored;
  } catch {
    // First run on this machine.
  }
  const password = randomBytes(18).toString("base64url");
  await writeFile(path, `${password}\n`, { mode: 0o600 });
  return password;
}

function sudoersContent(name: string, nopasswdUser: string | undefined): string {
  const users = nopasswdUser ? `${name},${nopasswdUser}` : name;
  return [
    "# Managed by @fabric-ts/testing (test users for the throwaway sshd). Safe to delete.",
    // Ask for the password on every sudo, so tests of password handling never see a cached ticket.
    `Defaults:${users} timestamp_timeout=0, lecture=never`,
    `${name} ALL=(ALL:ALL) ALL`,
    ...(nopasswdUser ? [`${nopasswdUser} ALL=(ALL:ALL) NOPASSWD: ALL`] : []),
    "",
  ].join("\n");
}

async function ensureSudoers(
  name: string,
  nopasswdUser: string | undefined,
  password: string,
): Promise<SudoCapability> {
  if (!existsSync("/usr/bin/sudo") && !existsSync("/bin/sudo")) {
    return { available: false, reason: "sudo is not installed (Debian/Ubuntu: `apt-get install sudo`)" };
  }
  if (!existsSync("/etc/sudoers.d")) {
    return { available: false, reason: "/etc/sudoers.d does not exist" };
  }
  const content = sudoersContent(name, nopasswdUser);
  const current = await readFile(SUDOERS_DROP_IN, "utf8").catch(() => undefined);
  if (current !== content) {
    // sudo ignores names containing a dot, so the unvalidated file is never live.
    const staging = `/etc/sudoers.d/.fabric-ts-test.${process.pid}`;
    await writeFile(staging, content, { mode: 0o440 });
    try {
      await runChecked("visudo", ["-cf", staging]);
      await rename(staging, SUDOERS_DROP_IN);
    } finally {
      await rm(staging, { force: true });
    }
  }
  return { available: true, user: name, password, nopasswdUser };
}
