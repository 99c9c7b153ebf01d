#!/usr/bin/env node
// Type-checks every TypeScript example in the READMEs and docs with `tsc --strict`, the way a user
// pastes one into a project: each ```ts block becomes a module of its own, importing the packages
// as published (their built `dist/` types, so run `pnpm build` first). A block whose first line is
// a `// fragment` comment (a few lines cut out of a larger program, said so to the reader) is skipped.
// Errors are reported against the markdown file and line. Exit code 0 when every block compiles.
//   node scripts/check-doc-examples.mjs [--docs DIR] [--keep]   (DIR: where to look for .md; default the repo)
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";

const root = join(import.meta.dirname, "..");
const SKIP_DIRS = new Set([
  "node_modules",
  "dist",
  ".git",
  ".turbo",
  ".test-results",
  "coverage",
  "api",
  "tmp",
]);
const FENCE = /^```(ts|typescript)\s*$/;
export const FRAGMENT_MARKER = /^\/\/ fragment\b/;

/** Markdown files of the repository (not dependencies or build output). */
function markdownFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : markdownFiles(join(dir, entry.name));
    return entry.name.endsWith(".md") ? [join(dir, entry.name)] : [];
  });
}

/** The ```ts blocks of one file: { line (1-based, first code line), code, fragment }. */
export function tsBlocks(text) {
  const lines = text.split("\n");
  const blocks = [];
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE.test(lines[i].trim())) continue;
    const indent = lines[i].length - lines[i].trimStart().length;
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== "```") end++;
    const code = lines
      .slice(start, end)
      .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)));
    blocks.push({
      line: start + 1,
      code: code.join("\n"),
      fragment: FRAGMENT_MARKER.test(code[0]?.trim() ?? ""),
    });
    i = end;
  }
  return blocks;
}

/** Where a package resolves from, for the check's own node_modules. */
function packageDir(name, from) {
  const require = createRequire(join(from, "package.json"));
  return dirname(require.resolve(`${name}/package.json`));
}

function link(target, path) {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path, "dir");
}

export function checkDocExamples({ docs = root, keep = false } = {}) {
  for (const pkg of ["invoke", "ssh-core", "fabric", "testing"]) {
    if (!existsSync(join(root, "packages", pkg, "dist", "index.d.ts")))
      return {
        ok: false,
        checked: 0,
        skipped: 0,
        output: `packages/${pkg} is not built: run pnpm build first`,
      };
  }
  const work = mkdtempSync(join(tmpdir(), "doc-examples-"));
  const modules = join(work, "node_modules");
  for (const pkg of ["invoke", "ssh-core", "fabric", "testing"])
    link(join(root, "packages", pkg), join(modules, "@fabric-ts", pkg));
  link(packageDir("zod", join(root, "packages", "invoke")), join(modules, "zod"));
  link(packageDir("ssh2", join(root, "packages", "ssh-core")), join(modules, "ssh2"));
  link(packageDir("@types/ssh2", join(root, "packages", "ssh-core")), join(modules, "@types", "ssh2"));
  link(join(root, "node_modules", "@types", "node"), join(modules, "@types", "node"));
  link(join(root, "node_modules", "vitest"), join(modules, "vitest"));
  writeFileSync(join(work, "package.json"), JSON.stringify({ type: "module", private: true }));

  const origins = new Map();
  let checked = 0;
  let skipped = 0;
  for (const file of markdownFiles(docs)) {
    const rel = relative(docs, file);
    for (const block of tsBlocks(readFileSync(file, "utf8"))) {
      if (block.fragment) {
        skipped++;
        continue;
      }
      const name = `${rel.replaceAll("/", "__").replace(/\.md$/, "")}__L${block.line}.ts`;
      // `export {}`: every block is a module (top-level await, no clashes between blocks).
      writeFileSync(join(work, name), `${block.code}\nexport {};\n`);
      origins.set(name, { rel, line: block.line });
      checked++;
    }
  }
  writeFileSync(
    join(work, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: "ES2023",
        lib: ["ES2023", "ESNext.Disposable"],
        module: "NodeNext",
        moduleResolution: "NodeNext",
        types: ["node"],
        skipLibCheck: true,
        noEmit: true,
      },
      include: ["*.ts"],
    }),
  );
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const run = spawnSync(process.execPath, [tsc, "-p", work, "--pretty", "false"], {
    cwd: work,
    encoding: "utf8",
  });
  // `README.md__L76.ts(3,5): error …` → `README.md:78:5: error …`
  const output = `${run.stdout}${run.stderr}`.replace(
    /^(\S+\.ts)\((\d+),(\d+)\)/gm,
    (whole, name, row, col) => {
      const origin = origins.get(name);
      return origin ? `${origin.rel}:${origin.line + Number(row) - 1}:${col}` : whole;
    },
  );
  if (!keep) rmSync(work, { recursive: true, force: true });
  return { ok: run.status === 0, checked, skipped, output: output.trim(), work };
}

if (process.argv[1] === import.meta.filename) {
  const docsAt = process.argv.indexOf("--docs");
  const result = checkDocExamples({
    keep: process.argv.includes("--keep"),
    ...(docsAt > 0 && process.argv[docsAt + 1] ? { docs: process.argv[docsAt + 1] } : {}),
  });
  if (result.output) console.log(result.output);
  console.log(
    `${result.checked} TypeScript examples checked, ${result.skipped} fragments skipped: ${result.ok ? "ok" : "errors"}`,
  );
  process.exit(result.ok ? 0 : 1);
}
