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
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

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
  return readdirSync(CORPUS_DIR)
    .filter((file) => file.endsWith(".case"))
    .sort()
    .map((file) => parseCase(file.replace(/\.case$/, ""), readFileSync(join(CORPUS_DIR, file), "utf8")));
}

export function parseCase(name: string, text: string): InventoryCase {
  const result: InventoryCase = { name, sources: [], patterns: [], files: {} };
  let current: string | undefined;
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  for (const line of lines) {
    if (line.startsWith("--- ")) {
      current = line.slice(4).trim();
      result.files[current] = "";
    } else if (current !== undefined) {
      result.files[current] += `${line}\n`;
    } else if (line.startsWith("sources:")) {
      result.sources = line.slice(8).trim().split(/\s+/);
    } else if (line.startsWith("pattern:")) {
      const [pattern, limit] = line.slice(8).split(" | limit: ");
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
  for (const [path, content] of Object.entries(testCase.files)) {
    const full = join(dir, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

export function expectedPath(name: string): string {
  return join(CORPUS_DIR, `${name}.expected.json`);
}
