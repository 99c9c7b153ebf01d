import { readFileSync, statSync } from "node:fs";
import { expect, it } from "vitest";
import { ensureTestUser, SUDOERS_DROP_IN } from "../../src/index.js";
import { runCommand } from "../../src/sshd/exec.js";
import { describeWithSshd } from "../../src/sshd/vitest.js";

describeWithSshd(
  "ensureTestUser as root",
  () => {
    it("creates the users, idempotently, with bash and a clean home", async () => {
      const first = await ensureTestUser();
      const second = await ensureTestUser();
      expect(second).toBe(first);
      expect(first).toMatchObject({ name: "fabts", home: "/home/fabts", shell: "/bin/bash", managed: true });
      const passwd = await runCommand("getent", ["passwd", "fabts"]);
      expect(passwd.stdout).toMatch(/^fabts:x:\d+:\d+:fabric-ts test user[^:]*:\/home\/fabts:\/bin\/bash\n$/);
      const home = statSync("/home/fabts");
      expect(home.uid).toBe(first.uid);
      expect(statSync("/home/fabts/.ssh/authorized_keys").uid).toBe(first.uid);
      expect((await runCommand("getent", ["passwd", "fabts-nopw"])).code).toBe(0);
    });

    it("installs a sudoers drop-in that visudo accepts and that asks fabts for a password", async () => {
      const user = await ensureTestUser();
      expect(user.sudo).toMatchObject({ available: true, user: "fabts", nopasswdUser: "fabts-nopw" });
      const content = readFileSync(SUDOERS_DROP_IN, "utf8");
      expect(content).toContain("fabts ALL=(ALL:ALL) ALL");
      expect(content).toContain("fabts-nopw ALL=(ALL:ALL) NOPASSWD: ALL");
      expect(statSync(SUDOERS_DROP_IN).mode & 0o777).toBe(0o440);
      expect((await runCommand("visudo", ["-cf", SUDOERS_DROP_IN])).code).toBe(0);
      const listed = await runCommand("sudo", ["-l", "-U", "fabts"]);
      expect(listed.stdout).toMatch(/\(ALL : ALL\) ALL/);
      expect(listed.stdout).not.toMatch(/NOPASSWD/);
    });

    it("sets the password it reports", async () => {
      const user = await ensureTestUser();
      // su as fabts-nopw (not root, so su really checks) with fabts's password.
      const su = await runCommand("runuser", ["-u", "fabts-nopw", "--", "su", "fabts", "-c", "id -un"], {
        input: `${user.password}\n`,
      });
      expect(su.stdout.trim()).toBe("fabts");
    });

    it("refuses to touch an account it did not create", async () => {
      await expect(ensureTestUser({ name: "daemon" })).rejects.toThrow(/not created by @fabric-ts\/testing/);
    });
  },
  { sudo: true },
);
