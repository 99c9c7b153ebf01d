#!/usr/bin/env node
// Runs the whole vitest suite once and ends with the plain line CI reads: "N passed, M failed".
// Skipped tests are reported separately and never counted as passed.
//
//   node scripts/run-tests.mjs [--node PATH] [--name LABEL] [vitest args...]
//   node scripts/run-tests.mjs --summary      (only the total of the reports already there)
//   node scripts/run-tests.mjs --help
//
// vitest args select as usual, e.g. `--project '*:unit'` (every package's test/unit/, no sshd needed) or
// `--project 'fabric:*'`. Before vitest runs, scripts/check-test-layout.mjs checks that every test file is
// in a test/unit/ or test/integration/ folder (the only ones the projects look in); a stray file counts
// as one failure.
//
// --node runs vitest (and so every test, and the processes tests start with process.execPath) on
// another Node binary; --name keeps that run's report apart (.test-results/vitest-LABEL.json). The
// last line totals every report in .test-results/ (CI runs the suite once per Node version and
// clears the directory first).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { delimiter, dirname, join } from "node:path";
import { strayTestFiles } from "./check-test-layout.mjs";

const root = join(import.meta.dirname, "..");
const outDir = join(root, ".test-results");
mkdirSync(outDir, { recursive: true });

const argv = process.argv.slice(2);
if (argv.includes("--help")) {
  const header = readFileSync(import.meta.filename, "utf8")
    .split("\n")
    .slice(1);
  const usage = header.slice(
    0,
    header.findIndex((l) => !l.startsWith("//")),
  );
  console.log(usage.map((l) => l.replace(/^\/\/ ?/, "")).join("\n"));
  process.exit(0);
}
function option(name) {
  const at = argv.indexOf(name);
  if (at < 0) return undefined;
  const [, value] = argv.splice(at, 2);
  return value;
}
const summaryOnly = argv.includes("--summary");
const node = option("--node") ?? process.execPath;
const name = option("--name");
const outFile = join(outDir, name ? `vitest-${name}.json` : "vitest.json");
const crashFile = join(outDir, `crashed-${name ?? "default"}.txt`);
const layoutFile = join(outDir, "crashed-layout.txt");
if (!summaryOnly) {
  rmSync(outFile, { force: true });
  rmSync(crashFile, { force: true });
  rmSync(layoutFile, { force: true });
  const strays = strayTestFiles(root);
  if (strays.length > 0) {
    // Counted as one failure in the summary below: a test no project runs must not pass silently.
    writeFileSync(layoutFile, `test files outside test/unit and test/integration:\n${strays.join("\n")}\n`);
    console.error(
      `Test files outside test/unit/ and test/integration/ (never run):\n  ${strays.join("\n  ")}`,
    );
  }
}

const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
const args = [vitest, "run", "--reporter=default", "--reporter=json", `--outputFile=${outFile}`, ...argv];
// Tests that start `node` by name get the same binary.
const env = { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ""}` };
const run = summaryOnly ? { status: 0 } : spawnSync(node, args, { cwd: root, stdio: "inherit", env });

/** passed / failed / skipped of one vitest JSON report (a file that failed to load counts as failed). */
function counts(file) {
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const report = JSON.parse(readFileSync(file, "utf8"));
  const brokenFiles = (report.testResults ?? []).filter(
    (f) => f.status === "failed" && (f.assertionResults ?? []).length === 0,
  ).length;
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + brokenFiles,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

const code = run.status ?? 1;
const mine = summaryOnly ? { passed: 0, failed: 0, skipped: 0 } : counts(outFile);
if (!summaryOnly && code !== 0 && mine.failed === 0) {
  // vitest failed without a failed test (crash, bad config): count it so it cannot hide.
  mine.failed = 1;
  writeFileSync(crashFile, `vitest exited with ${code}\n`);
}
const line = (c) => `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ""}`;
const total = { passed: 0, failed: 0, skipped: 0 };
for (const file of readdirSync(outDir)) {
  const c = file.endsWith(".json")
    ? counts(join(outDir, file))
    : file.startsWith("crashed-")
      ? { passed: 0, failed: 1, skipped: 0 }
      : null;
  if (!c) continue;
  total.passed += c.passed;
  total.failed += c.failed;
  total.skipped += c.skipped;
}
const summary = line(total);
writeFileSync(join(outDir, "summary.txt"), `${summary}\n`);
console.log("");
if (!summaryOnly)
  console.log(`Node ${spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim()}: ${line(mine)}`);
console.log(summary);
process.exit(code !== 0 ? code : existsSync(layoutFile) ? 1 : 0);
