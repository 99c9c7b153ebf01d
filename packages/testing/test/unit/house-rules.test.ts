// The house rules of ARCHITECTURE.md that a file scan can check: no error matched by its name, no
// source file beside a folder of the same name, and no source file over 400 lines without a reason
// stated at its top. Each check names the offending files.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..", "..", "..");
const PACKAGES = ["invoke", "ssh-core", "fabric", "testing"];

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sourceFiles(path);
    else if (entry.name.endsWith(".ts")) yield path;
  }
}

const files = PACKAGES.flatMap((name) => [...sourceFiles(join(ROOT, "packages", name, "src"))]);
const rel = (path: string) => relative(ROOT, path);

it("scans every package's src", () => {
  expect(files.length).toBeGreaterThan(300);
});

it("no error is recognised by comparing its name (the packages' guards do that)", () => {
  const nameCheck = /\b(?:e|err|error|cause|reason|failure|thrown)\??\.name\s*[!=]==/;
  const offenders = files.filter((file) => nameCheck.test(readFileSync(file, "utf8"))).map(rel);
  expect(offenders).toEqual([]);
});

it("no source file sits beside a folder of the same name", () => {
  const offenders = files
    .filter((file) => basename(file) !== "index.ts")
    .filter((file) => existsSync(join(dirname(file), basename(file, ".ts"))))
    .map(rel);
  expect(offenders).toEqual([]);
});

it("a source file over 400 lines says why at its top", () => {
  const offenders = files
    .filter((file) => {
      const lines = readFileSync(file, "utf8").split("\n");
      return lines.length > 400 && !lines.slice(0, 5).some((line) => /Over 400 lines/.test(line));
    })
    .map(rel);
  expect(offenders).toEqual([]);
});
