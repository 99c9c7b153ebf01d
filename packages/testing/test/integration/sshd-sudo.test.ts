import { afterAll, beforeAll, expect, it } from "vitest";
import { type SshdHarness, startSshd } from "../../src/index.js";
import { describeWithSshd } from "../../src/sshd/vitest.js";

describeWithSshd(
  "sudo for the test users",
  () => {
    let sshd: SshdHarness;
    let password: string;
    beforeAll(async () => {
      sshd = await startSshd();
      if (!sshd.sudo.available) throw new Error(sshd.sudo.reason);
      password = sshd.sudo.password;
    });
    afterAll(async () => {
      await sshd?.stop();
    });

    it("runs sudo with the right password", async () => {
      const result = await sshd.ssh("host1", "sudo -S -p '' id -u", { input: `${password}\n` });
      expect(result.stdout).toBe("0\n");
      expect(result.code).toBe(0);
    });

    it("accepts the documented `echo <pw> | sudo -S` form", async () => {
      const result = await sshd.ssh("host1", `echo '${password}' | sudo -S -p '' id -u`);
      expect(result.stdout).toBe("0\n");
    });

    it("refuses a wrong password", async () => {
      const result = await sshd.ssh("host1", "sudo -S -p '' id -u", { input: "wrong password\n" });
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe("");
      expect(result.stderr).toMatch(/incorrect password|Sorry, try again/);
    });

    it("always asks: no cached sudo ticket between commands", async () => {
      const result = await sshd.ssh("host1", "sudo -S -p '' true && sudo -n true", {
        input: `${password}\n`,
      });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/a password is required/);
    });

    it("gives the nopasswd user root without a password", async () => {
      expect(sshd.nopasswdUser).toBe("fabts-nopw");
      const result = await sshd.ssh("host1", "id -un; sudo -n id -u", { user: sshd.nopasswdUser ?? "" });
      expect(result.stdout).toBe("fabts-nopw\n0\n");
    });

    it("logs in to a home without shell rc files and with bash as the shell", async () => {
      const result = await sshd.ssh(
        "host1",
        'echo "$SHELL $HOME"; ls -A ~ | grep -Ex "\\.(bashrc|profile|bash_profile|bash_login)" || true',
      );
      expect(result.stdout).toBe(`/bin/bash /home/${sshd.user}\n`);
    });
  },
  { sudo: true },
);
