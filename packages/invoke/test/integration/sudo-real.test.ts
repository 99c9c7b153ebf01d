import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Config } from "../../src/config/config.js";
import { Context } from "../../src/context.js";
import { AuthFailure, SudoPasswordRequired } from "../../src/errors.js";
import { provisionSudoUser, type SudoUser } from "../support/sudo-user.js";

const setup = await provisionSudoUser();
if (!setup.available && process.env.CI) {
  throw new Error(
    `real sudo tests cannot run in CI: ${setup.reason} (run as root with sudo, useradd and chpasswd installed)`,
  );
}

describe.skipIf(!setup.available)(
  `sudo against real sudo${setup.available ? "" : ` (skipped: ${setup.available ? "" : setup.reason})`}`,
  () => {
    let user: SudoUser;
    let rootOnly: string;
    const c = new Context();

    beforeAll(async () => {
      if (!setup.available) return;
      user = setup.user;
      rootOnly = await mkdtemp(join(tmpdir(), "root-only-"));
    });
    afterAll(async () => {
      await rm(rootOnly, { recursive: true, force: true });
      await user?.cleanup();
    });

    const asUser = () => ({ shell: user.shell, hide: true, inStream: false }) as const;

    it("really runs as the test user without sudo", async () => {
      expect((await c.run("whoami", asUser())).stdout).toBe(`${user.name}\n`);
    });

    it("answers the prompt with the right password", async () => {
      const result = await c.sudo("whoami", { ...asUser(), password: user.password });
      expect(result.stdout).toBe("root\n");
      expect(result.command).not.toContain(user.password);
    });

    it("takes the password from config sudo.password", async () => {
      const config = new Config();
      config.set("sudo.password", user.password);
      expect((await new Context(config).sudo("id -u", asUser())).stdout).toBe("0\n");
    });

    it("runs as another user with the user option", async () => {
      const result = await c.sudo("whoami", { ...asUser(), password: user.password, user: "nobody" });
      expect(result.stdout).toBe("nobody\n");
    });

    it("applies cd and prefix under sudo (a directory only root may enter)", async () => {
      const result = await c
        .cd(rootOnly)
        .prefix("export STAGE=prod")
        .sudo("pwd && whoami && echo $STAGE", { ...asUser(), password: user.password });
      expect(result.stdout).toBe(`${rootOnly}\nroot\nprod\n`);
      await expect(c.cd(rootOnly).run("pwd", asUser())).rejects.toThrow();
    });

    it("runs redirections under sudo too", async () => {
      const result = await c.sudo(`echo secret > ${rootOnly}/file && cat ${rootOnly}/file`, {
        ...asUser(),
        password: user.password,
      });
      expect(result.stdout).toBe("secret\n");
    });

    it("rejects a wrong password with AuthFailure, never showing it", async () => {
      const wrong = `wrong-${user.password}`;
      const error = (await c
        .sudo("whoami", { ...asUser(), password: wrong })
        .catch((e: unknown) => e)) as AuthFailure;
      expect(error).toBeInstanceOf(AuthFailure);
      expect(error.message).toBe("The password submitted to prompt '[sudo] password: ' was rejected.");
      expect(error.result.exited).toBeNull();
      const everything = [
        error.message,
        String(error.reason),
        error.result.command,
        error.result.stdout,
        error.result.stderr,
        String(error.result),
      ].join("\n");
      expect(everything).not.toContain(wrong);
      expect(error.result.stderr).toContain("Sorry, try again.");
    });

    it("fails fast with SudoPasswordRequired when no password is configured", async () => {
      const error = (await c.sudo("whoami", asUser()).catch((e: unknown) => e)) as SudoPasswordRequired;
      expect(error).toBeInstanceOf(SudoPasswordRequired);
      expect(error).toBeInstanceOf(AuthFailure);
      expect(error.message).toContain("no password was configured");
    });
  },
);
