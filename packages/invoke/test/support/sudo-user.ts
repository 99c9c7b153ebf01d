import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A throwaway user whose sudo needs its password, and a shell wrapper that runs commands as that user. */
export interface SudoUser {
  readonly name: string;
  readonly password: string;
  /** Use as the `shell` option: runs `bash -c …` as the test user. */
  readonly shell: string;
  cleanup(): Promise<void>;
}

export type SudoUserSetup =
  | { readonly available: true; readonly user: SudoUser }
  | { readonly available: false; readonly reason: string };

const TOOLS = ["sudo", "useradd", "userdel", "chpasswd", "runuser", "visudo"];

function missingTool(): string | undefined {
  return TOOLS.find((tool) => {
    try {
      execFileSync("/bin/sh", ["-c", `command -v ${tool}`], { stdio: "ignore" });
      return false;
    } catch {
      return true;
    }
  });
}

/**
 * Create the user (random name and password), a sudoers drop-in requiring the password (validated with
 * `visudo -cf` before it is installed) and the wrapper script. Needs root.
 */
export async function provisionSudoUser(): Promise<SudoUserSetup> {
  if (process.getuid?.() !== 0) return { available: false, reason: "not running as root" };
  const missing = missingTool();
  if (missing) return { available: false, reason: `${missing} is not installed` };

  const name = `fts${randomBytes(4).toString("hex")}`;
  const password = randomBytes(12).toString("base64url");
  const dir = await mkdtemp(join(tmpdir(), "sudo-user-"));
  const sudoers = `/etc/sudoers.d/fabric-ts-test-${name}`;
  const cleanup = async () => {
    await rm(sudoers, { force: true });
    try {
      execFileSync("userdel", [name], { stdio: "ignore" });
    } catch {
      // never created
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    execFileSync("useradd", ["--no-create-home", "--shell", "/bin/bash", name], { stdio: "ignore" });
    execFileSync("chpasswd", [], { input: `${name}:${password}\n`, stdio: ["pipe", "ignore", "ignore"] });
    const draft = join(dir, "sudoers");
    await writeFile(draft, `Defaults:${name} timestamp_timeout=0, !lecture\n${name} ALL=(ALL:ALL) ALL\n`, {
      mode: 0o440,
    });
    execFileSync("visudo", ["-cf", draft], { stdio: "ignore" });
    await writeFile(sudoers, await import("node:fs/promises").then((fs) => fs.readFile(draft)), {
      mode: 0o440,
    });
    const shell = join(dir, "as-user");
    await writeFile(shell, `#!/bin/sh\nexec runuser -u ${name} -- /bin/bash "$@"\n`);
    await chmod(dir, 0o755);
    await chmod(shell, 0o755);
    return { available: true, user: { name, password, shell, cleanup } };
  } catch (error) {
    await cleanup();
    return { available: false, reason: `could not provision a sudo test user: ${(error as Error).message}` };
  }
}
