/**
 * Worker-side differential case: the same config and arguments through the real `ssh -G` and
 * through our `ssh-config-resolve -G`, both in a fresh HOME. `$HOME` in the config text is
 * replaced by that directory (so Include paths stay inside it).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runSshConfigResolve } from "../../../src/ssh-config/cli.js";

export interface DifferentialCase {
  files: Record<string, string>;
  /** Arguments after `-G -F $HOME/config`. */
  args: string[];
}

export interface Transcript {
  stdout: string;
  stderr: string;
  status: number | null;
}

export function handle(input: DifferentialCase): { real: Transcript; ours: Transcript } {
  const home = mkdtempSync(join(tmpdir(), "fuzz-sshg-"));
  chmodSync(home, 0o755);
  try {
    for (const [path, content] of Object.entries(input.files)) {
      const full = join(home, path);
      mkdirSync(dirname(full), { recursive: true, mode: 0o755 });
      writeFileSync(full, content.replaceAll("$HOME", home), { mode: 0o644 });
    }
    const args = ["-G", "-F", join(home, "config"), ...input.args];
    const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, FUZZ: "value", SHELL: "/bin/sh" };
    const real = spawnSync("ssh", args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const ours: Transcript = { stdout: "", stderr: "", status: null };
    ours.status = runSshConfigResolve(args, {
      stdout: (text) => {
        ours.stdout += text;
      },
      stderr: (text) => {
        ours.stderr += text;
      },
      resolve: { env, cwd: home },
    });
    const clean = (t: Transcript): Transcript => ({
      stdout: t.stdout.replaceAll(home, "$HOME"),
      stderr: t.stderr.replaceAll(home, "$HOME"),
      status: t.status,
    });
    return {
      real: clean({ stdout: real.stdout, stderr: real.stderr, status: real.status }),
      ours: clean(ours),
    };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
