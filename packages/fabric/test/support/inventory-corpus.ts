/**
 * The inventory corpus: each `fixtures/inventory/*.case` holds inventory files and the patterns to
 * select with; `*.expected.json` beside it is what Ansible answered (written by generate.mjs).
 *
 *   sources: inventory.ini extra.yml
 *   pattern: web:&prod
 *   pattern: all | limit: web[0]
 *   --- inventory.ini
 *   [web]
 *   web[1:3]
 *   --- group_vars/web.yml
 *   app_port: 8080
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadCaseFiles, parseCaseFile, writeCaseFiles } from "@fabric-ts/testing";

export const CORPUS_DIR = new URL("../fixtures/inventory/", import.meta.url).pathname;

export interface PatternCase {
  pattern: string;
  limit?: string;
}

export interface InventoryCase {
  name: string;
  sources: string[];
  patterns: PatternCase[];
  files: Record<string, string>;
}

/** What Ansible answered for a case (see ansible-oracle.py). */
export interface Expected {
  list: Record<string, unknown> | { error: string };
  hosts: Record<string, string[] | { error: string }> | { error: string };
  /** Patterns whose answer changed with Python's hash seed: every answer Ansible gave. */
  variants: Record<string, string[][]>;
}

export function patternKey(p: PatternCase): string {
  return p.pattern + (p.limit ? ` --limit ${p.limit}` : "");
}

export function loadCorpus(): InventoryCase[] {
  return loadCaseFiles(CORPUS_DIR).map(toInventoryCase);
}

export function parseCase(name: string, text: string): InventoryCase {
  return toInventoryCase(parseCaseFile(name, text));
}

function toInventoryCase(caseFile: ReturnType<typeof parseCaseFile>): InventoryCase {
  const result: InventoryCase = { name: caseFile.name, sources: [], patterns: [], files: caseFile.files };
  for (const { key, value } of caseFile.header) {
    if (key === "sources") {
      result.sources = value.split(/\s+/);
    } else if (key === "pattern") {
      const [pattern, limit] = value.split(" | limit: ");
      result.patterns.push({ pattern: pattern!.trim(), ...(limit ? { limit: limit.trim() } : {}) });
    }
  }
  if (result.sources.length === 0) result.sources = ["inventory.ini"];
  if (result.patterns.length === 0) result.patterns = [{ pattern: "all" }];
  return result;
}

/** Write the case's files into a fresh directory. */
export function materialise(testCase: InventoryCase): string {
  const dir = mkdtempSync(join(tmpdir(), `inventory-${testCase.name}-`));
  writeCaseFiles(dir, testCase.files);
  return dir;
}

export function expectedPath(name: string): string {
  return join(CORPUS_DIR, `${name}.expected.json`);
}
