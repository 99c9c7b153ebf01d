import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach } from "vitest";
import { Config, type ConfigOptions } from "../../src/config/config.js";

const created: string[] = [];

afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory, removed after the current test. */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "fabric-ts-config-"));
  created.push(dir);
  return dir;
}

/** Writes `{relativePath: content}` under `root` (creating directories) and returns `root`. */
export function writeFiles(root: string, files: Record<string, string>): string {
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return root;
}

/**
 * Options that keep a Config away from the real /etc, home directory and environment: system and
 * user files are looked for under a fresh temp dir (`etc/invoke.*`, `home/.invoke.*`).
 */
export function isolated(options: ConfigOptions = {}, root: string = tempDir()): ConfigOptions {
  return {
    systemPrefix: `${join(root, "etc")}/`,
    userPrefix: `${join(root, "home")}/.`,
    env: {},
    ...options,
  };
}

export function isolatedConfig(options: ConfigOptions = {}, root?: string): Config {
  return new Config(isolated(options, root));
}
