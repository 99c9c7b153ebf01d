#!/usr/bin/env node
// Runs the whole vitest suite once and ends with the plain line CI reads: "N passed, M failed".
// Skipped tests are reported separately and never counted as passed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const outDir = join(root, ".test-results");
const outFile = join(outDir, "vitest.json");
mkdirSync(outDir, { recursive: true });

const args = [
  "vitest",
  "run",
  "--reporter=default",
  "--reporter=json",
  `--outputFile=${outFile}`,
  ...process.argv.slice(2),
];
const run = spawnSync("npx", ["--no-install", ...args], { cwd: root, stdio: "inherit" });

let passed = 0;
let failed = 0;
let skipped = 0;
if (existsSync(outFile)) {
  const report = JSON.parse(readFileSync(outFile, "utf8"));
  passed = report.numPassedTests ?? 0;
  failed = report.numFailedTests ?? 0;
  skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite (file) that failed to load has no tests counted; count it as a failure so it cannot hide.
  const brokenFiles = (report.testResults ?? []).filter(
    (f) => f.status === "failed" && (f.assertionResults ?? []).length === 0,
  ).length;
  failed += brokenFiles;
} else {
  failed = 1;
}
const code = run.status ?? 1;
if (code !== 0 && failed === 0) failed = 1;
const summary = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`;
writeFileSync(join(outDir, "summary.txt"), `${summary}\n`);
console.log("");
console.log(summary);
process.exit(code);
