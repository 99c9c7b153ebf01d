// Every ```ts example in the READMEs and docs type-checks with `tsc --strict` against the built
// packages (scripts/check-doc-examples.mjs); the suite runs after `pnpm build`.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "..");
const SCRIPT = join(root, "scripts", "check-doc-examples.mjs");

function check(args: readonly string[] = []) {
  const run = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: root,
    encoding: "utf8",
    timeout: 180_000,
  });
  return { output: `${run.stdout}${run.stderr}`, code: run.status };
}

describe("documentation examples", () => {
  it("every TypeScript example in the READMEs and docs compiles under tsc --strict", {
    timeout: 240_000,
  }, () => {
    const { output, code } = check();
    expect(output).toMatch(/^\d+ TypeScript examples checked, \d+ fragments skipped: ok$/m);
    expect(code).toBe(0);
    const [, checked = "0", skipped = "0"] =
      /(\d+) TypeScript examples checked, (\d+) fragments/.exec(output) ?? [];
    expect(Number(checked)).toBeGreaterThanOrEqual(30);
    // Fragments are the exception (tests importing a fabfile that is not there).
    expect(Number(skipped)).toBeLessThanOrEqual(6);
  });

  it("a wrong example fails the check, named by file and line; `// fragment` blocks are skipped", {
    timeout: 240_000,
  }, async () => {
    const docs = await mkdtemp(join(tmpdir(), "doc-examples-test-"));
    try {
      await writeFile(
        join(docs, "guide.md"),
        [
          "# Guide",
          "",
          "```ts",
          'import { Config } from "@fabric-ts/invoke";',
          "",
          'const port: number = new Config().get("port", "22");',
          "```",
          "",
          "```ts",
          "// fragment: not checked",
          "this is not TypeScript",
          "```",
          "",
        ].join("\n"),
      );
      const { output, code } = check(["--docs", docs]);
      expect(code).toBe(1);
      expect(output).toMatch(
        /^guide\.md:6:\d+: error TS2322: Type 'string' is not assignable to type 'number'/m,
      );
      expect(output).toContain("1 TypeScript examples checked, 1 fragments skipped: errors");
    } finally {
      await rm(docs, { recursive: true, force: true });
    }
  });
});
