#!/usr/bin/env node
// Regenerates fixtures/inventory/*.expected.json from Ansible itself (ansible-core must be
// installed: apt-get install ansible-core). Every case is asked with six Python hash seeds: where
// Ansible's answer changes between them (it walks groups nested two levels or more through sets,
// so their hosts' order follows string hashing), every answer seen is kept in `variants` and the
// test accepts any of them.
//   node packages/fabric/test/unit/inventory/generate.mjs [case-name …]
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const corpusDir = join(here, "..", "..", "fixtures", "inventory");
const only = new Set(process.argv.slice(2));

function parseCase(name, text) {
  const result = { name, sources: [], patterns: [], files: {} };
  let current;
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) {
    if (line.startsWith("--- ")) {
      current = line.slice(4).trim();
      result.files[current] = "";
    } else if (current !== undefined) result.files[current] += `${line}\n`;
    else if (line.startsWith("sources:")) result.sources = line.slice(8).trim().split(/\s+/);
    else if (line.startsWith("pattern:")) {
      const [pattern, limit] = line.slice(8).split(" | limit: ");
      result.patterns.push({ pattern: pattern.trim(), ...(limit ? { limit: limit.trim() } : {}) });
    }
  }
  if (result.sources.length === 0) result.sources = ["inventory.ini"];
  if (result.patterns.length === 0) result.patterns = [{ pattern: "all" }];
  return result;
}

const cases = readdirSync(corpusDir)
  .filter((f) => f.endsWith(".case") && (only.size === 0 || only.has(f.slice(0, -5))))
  .sort()
  .map((f) => parseCase(f.slice(0, -5), readFileSync(join(corpusDir, f), "utf8")));
const root = mkdtempSync(join(tmpdir(), "inventory-oracle-"));
const input = cases.map((c) => {
  const dir = join(root, c.name);
  for (const [path, content] of Object.entries(c.files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return { name: c.name, dir, sources: c.sources, patterns: c.patterns };
});
// The Python that runs Ansible (its launcher's shebang), not whichever python3 comes first on PATH.
const ansibleBin = execFileSync("sh", ["-c", "command -v ansible-inventory"]).toString().trim();
const python = readFileSync(ansibleBin, "utf8")
  .split("\n")[0]
  .replace(/^#!\s*/, "")
  .trim()
  .split(/\s+/)[0];
const ask = (seed) =>
  JSON.parse(
    execFileSync(python, [join(here, "ansible-oracle.py")], {
      input: JSON.stringify(input),
      env: { ...process.env, PYTHONHASHSEED: String(seed), ANSIBLE_NOCOLOR: "1" },
      maxBuffer: 64 << 20,
      stdio: ["pipe", "pipe", "ignore"],
    }),
  );
const runs = [0, 1, 2, 3, 4, 5].map(ask);
for (const c of cases) {
  const answer = runs[0][c.name];
  const variants = {};
  if (answer.hosts && !answer.hosts.error) {
    for (const key of Object.keys(answer.hosts)) {
      const seen = [...new Set(runs.map((r) => JSON.stringify(r[c.name].hosts[key])))];
      if (seen.length > 1) variants[key] = seen.map((s) => JSON.parse(s));
    }
  }
  const expected = { list: answer.list, hosts: answer.hosts, variants };
  writeFileSync(join(corpusDir, `${c.name}.expected.json`), `${JSON.stringify(expected, null, 1)}\n`);
}
rmSync(root, { recursive: true, force: true });
console.log(
  `${cases.length} cases written from ${execFileSync("ansible", ["--version"]).toString().split("\n")[0]}`,
);
