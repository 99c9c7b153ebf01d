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
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCaseFiles, parseCaseFile, writeCaseFiles } from "@fabric-ts/testing";

export const CORPUS_DIR = new URL("../fixtures/ssh-config/", import.meta.url).pathname;

export interface CorpusCase {
  name: string;
  args: string[];
  env: Record<string, string>;
  files: Record<string, string>;
}

export function loadCorpus(): CorpusCase[] {
  return loadCaseFiles(CORPUS_DIR).map(toCorpusCase);
}

export function parseCase(name: string, text: string): CorpusCase {
  return toCorpusCase(parseCaseFile(name, text));
}

function toCorpusCase(caseFile: ReturnType<typeof parseCaseFile>): CorpusCase {
  const result: CorpusCase = { name: caseFile.name, args: [], env: {}, files: caseFile.files };
  for (const { key, value } of caseFile.header) {
    if (key === "args") {
      result.args = value.split(/\s+/);
    } else if (key === "env") {
      const eq = value.indexOf("=");
      result.env[value.slice(0, eq)] = value.slice(eq + 1);
    }
  }
  return result;
}

/** Creates the case's HOME with its files (mode 0644, as ssh refuses group/world-writable includes). */
export function materialise(testCase: CorpusCase): { home: string; args: string[] } {
  const home = mkdtempSync(join(tmpdir(), `sshcfg-${testCase.name}-`));
  chmodSync(home, 0o755);
  writeCaseFiles(home, testCase.files, { fileMode: 0o644, dirMode: 0o755 });
  return { home, args: testCase.args.map((arg) => arg.replaceAll("$HOME", home)) };
}
