import type { Stats } from "node:fs";
import ssh2 from "ssh2";
import { describe, expect, it } from "vitest";
import { matchesDropOnExec, refusesChannel } from "../../src/embedded/faults.js";
import { generateEd25519 } from "../../src/embedded/keys.js";
import {
  isLoopbackAddress,
  knownHostsName,
  loopbackTarget,
  requireLoopback,
} from "../../src/embedded/loopback.js";
import { attrsOf, longnameOf } from "../../src/embedded/sftp/attrs.js";
import { STATUS, statusForError, statusMessage } from "../../src/embedded/sftp/status.js";
import { exitCodeForSignal, localSignal, sshSignalName } from "../../src/embedded/signals.js";
import { methodsFor, resolveUsers } from "../../src/embedded/users.js";

const errno = (code: string) => Object.assign(new Error(code), { code });

function fakeStats(mode: number, extra: Partial<Stats> = {}): Stats {
  return {
    mode,
    uid: 0,
    gid: 0,
    size: 42,
    nlink: 2,
    atimeMs: 1_000_000_000_500,
    mtimeMs: Date.UTC(2020, 0, 5, 12, 0) + new Date(Date.UTC(2020, 0, 5)).getTimezoneOffset() * 60_000,
    ...extra,
  } as Stats;
}

describe("embedded sftp status mapping", () => {
  it("maps errno codes like sftp-server", () => {
    expect(["ENOENT", "ENOTDIR", "EBADF", "ELOOP"].map((c) => statusForError(errno(c)))).toEqual([
      2, 2, 2, 2,
    ]);
    expect(["EPERM", "EACCES", "EFAULT"].map((c) => statusForError(errno(c)))).toEqual([3, 3, 3]);
    expect(["ENAMETOOLONG", "EINVAL"].map((c) => statusForError(errno(c)))).toEqual([5, 5]);
    expect(statusForError(errno("ENOSYS"))).toBe(STATUS.OP_UNSUPPORTED);
    expect(statusForError(errno("EEXIST"))).toBe(STATUS.FAILURE);
    expect(statusForError(new Error("no code"))).toBe(STATUS.FAILURE);
  });

  it("uses OpenSSH's status texts", () => {
    expect(statusMessage(STATUS.NO_SUCH_FILE)).toBe("No such file");
    expect(statusMessage(STATUS.PERMISSION_DENIED)).toBe("Permission denied");
    expect(statusMessage(STATUS.EOF)).toBe("End of file");
  });
});

describe("embedded sftp attrs and longname", () => {
  const ids = { users: new Map([[0, "root"]]), groups: new Map([[0, "wheel"]]) };
  const now = Date.UTC(2020, 2, 1);

  it("turns stats into whole-second attrs", () => {
    expect(attrsOf(fakeStats(0o100644))).toMatchObject({ mode: 0o100644, size: 42, atime: 1_000_000_000 });
  });

  it("formats like ls -l, recent dates with the time", () => {
    expect(longnameOf("app.log", fakeStats(0o100644), ids, now)).toBe(
      "-rw-r--r--   2 root     wheel          42 Jan  5 12:00 app.log",
    );
  });

  it("shows file types and setuid/setgid/sticky bits", () => {
    expect(longnameOf("d", fakeStats(0o041777), ids, now).slice(0, 10)).toBe("drwxrwxrwt");
    expect(longnameOf("s", fakeStats(0o106755), ids, now).slice(0, 10)).toBe("-rwsr-sr-x");
    expect(longnameOf("S", fakeStats(0o106644), ids, now).slice(0, 10)).toBe("-rwSr-Sr--");
    expect(longnameOf("l", fakeStats(0o120777), ids, now).slice(0, 10)).toBe("lrwxrwxrwx");
  });

  it("shows the year for old files and numeric ids when unknown", () => {
    const old = fakeStats(0o100600, { uid: 4242, gid: 4343, mtimeMs: Date.UTC(2001, 5, 15, 12) });
    expect(longnameOf("old", old, ids, now)).toMatch(/^-rw------- +2 4242 +4343 +42 Jun 15 {2}2001 old$/);
  });
});

describe("embedded loopback rules", () => {
  it("accepts 127.0.0.0/8 and ::1 only", () => {
    expect(["127.0.0.1", "127.9.8.7", "::1", "[::1]", "::ffff:127.0.0.1"].every(isLoopbackAddress)).toBe(
      true,
    );
    expect(["10.0.0.1", "0.0.0.0", "::", "example.com", "128.0.0.1"].some(isLoopbackAddress)).toBe(false);
  });

  it("maps localhost and refuses other addresses with a clear error", () => {
    expect(requireLoopback("localhost", "x")).toBe("127.0.0.1");
    expect(() => requireLoopback("192.168.1.1", "address of web1")).toThrow(
      /address of web1 must be a loopback/,
    );
    expect(loopbackTarget("localhost")).toBe("127.0.0.1");
    expect(loopbackTarget("example.com")).toBeUndefined();
  });

  it("names hosts in known_hosts like OpenSSH", () => {
    expect(knownHostsName("127.0.0.1", 22)).toBe("127.0.0.1");
    expect(knownHostsName("127.0.0.2", 2222)).toBe("[127.0.0.2]:2222");
  });
});

describe("embedded fault helpers", () => {
  it("refuseChannels counts from the Nth channel", () => {
    expect([1, 2, 3, 4].map((n) => refusesChannel({ refuseChannels: 3 }, n))).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(refusesChannel({ refuseChannels: true }, 1)).toBe(true);
    expect(refusesChannel({ refuseChannels: false }, 9)).toBe(false);
    expect(refusesChannel({}, 9)).toBe(false);
  });

  it("dropOnExec matches substrings and regexps (global regexps included)", () => {
    expect(matchesDropOnExec({ dropOnExec: "deploy" }, "./deploy.sh")).toBe(true);
    expect(matchesDropOnExec({ dropOnExec: "deploy" }, "ls")).toBe(false);
    const global = /restart/g;
    expect(matchesDropOnExec({ dropOnExec: global }, "systemctl restart app")).toBe(true);
    expect(matchesDropOnExec({ dropOnExec: global }, "systemctl restart app")).toBe(true);
    expect(matchesDropOnExec({}, "anything")).toBe(false);
  });
});

describe("embedded signals and users", () => {
  it("names exit signals the SSH way and falls back to 128+n", () => {
    expect(sshSignalName("SIGTERM")).toBe("TERM");
    expect(sshSignalName("SIGWINCH")).toBeUndefined();
    expect(exitCodeForSignal("SIGWINCH")).toBe(128 + 28);
    expect(localSignal("INT")).toBe("SIGINT");
    expect(localSignal("NOPE")).toBeUndefined();
  });

  it("offers each user only the methods it can pass; unknown users see all", () => {
    const users = resolveUsers(
      [{ name: "keyonly" }, { name: "pw", password: "x", authorizeClientKey: false }],
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
    );
    expect(methodsFor(users.get("keyonly"))).toEqual(["publickey"]);
    expect(methodsFor(users.get("pw"))).toEqual(["password", "keyboard-interactive"]);
    expect(methodsFor(undefined)).toEqual(["publickey", "password", "keyboard-interactive"]);
  });
});

describe("generateEd25519", () => {
  it("only returns pairs that parse (ssh2's generator mis-encodes keys starting with a zero byte)", () => {
    // ~1 key in 256 is mis-encoded by ssh2; 2,000 draws would hit several of them.
    for (let i = 0; i < 2000; i++) {
      const pair = generateEd25519("probe");
      expect(ssh2.utils.parseKey(pair.privateKey)).not.toBeInstanceOf(Error);
      expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} probe$/);
    }
  });
});
