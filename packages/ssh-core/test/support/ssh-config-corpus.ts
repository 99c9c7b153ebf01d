/**
 * Loads the ssh_config conformance corpus: each `*.case` file names the `ssh` arguments, optional
 * environment entries and the files to create under a throwaway HOME.
 *
 *   args: -G -F $HOME/config foo
 *   env: SHELL=/bin/sh
 *   --- config
 *   Host foo
 *     Port 2200
 *   --- .ssh/conf.d/a.conf
 *   …
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export const CORPUS_DIR = new URL("../fixtures/ssh-config/", import.meta.url).pathname;

export interface CorpusCase {
  name: string;
  args: string[];
  env: Record<string, string>;
  files: Record<string, string>;
}

export function loadCorpus(): CorpusCase[] {
  return readdirSync(CORPUS_DIR)
    .filter((file) => file.endsWith(".case"))
    .sort()
    .map((file) => parseCase(file.replace(/\.case$/, ""), readFileSync(join(CORPUS_DIR, file), "utf8")));
}

export function parseCase(name: string, text: string): CorpusCase {
  const result: CorpusCase = { name, args: [], env: {}, files: {} };
  let current: string | undefined;
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    if (line.startsWith("--- ")) {
      current = line.slice(4).trim();
      result.files[current] = "";
    } else if (current !== undefined) {
      result.files[current] += `${line}\n`;
    } else if (line.startsWith("args:")) {
      result.args = line.slice(5).trim().split(/\s+/);
    } else if (line.startsWith("env:")) {
      const entry = line.slice(4).trim();
      const eq = entry.indexOf("=");
      result.env[entry.slice(0, eq)] = entry.slice(eq + 1);
    }
  }
  return result;
}

/** Creates the case's HOME with its files (mode 0644, as ssh refuses group/world-writable includes). */
export function materialise(testCase: CorpusCase): { home: string; args: string[] } {
  const home = mkdtempSync(join(tmpdir(), `sshcfg-${testCase.name}-`));
  chmodSync(home, 0o755);
  for (const [path, content] of Object.entries(testCase.files)) {
    const full = join(home, path);
    mkdirSync(dirname(full), { recursive: true, mode: 0o755 });
    writeFileSync(full, content, { mode: 0o644 });
    chmodSync(full, 0o644);
  }
  return { home, args: testCase.args.map((arg) => arg.replaceAll("$HOME", home)) };
}
