import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type LoadSteps, readConfigFileSteps, runAsync, runSync } from "../../src/config/file-reader.js";
import { ConfigError } from "../../src/errors.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "fabric-ts-reader-"));
  dirs.push(dir);
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("readConfigFileSteps driven by runSync and runAsync", () => {
  it("reads YAML, JSON and JS modules to the same tree either way", async () => {
    const paths = [
      file("a.yaml", "run:\n  echo: yes\nname: x\n"),
      file("a.json", '{"run": {"echo": true}, "name": "x"}'),
      file("a.mjs", "export default { run: { echo: true }, name: 'x' };\n"),
      file("b.mjs", "export const run = { echo: true }; export const name = 'x';\n"),
    ];
    for (const path of paths) {
      expect(runSync(readConfigFileSteps(path))).toEqual({ run: { echo: true }, name: "x" });
      expect(await runAsync(readConfigFileSteps(path))).toEqual({ run: { echo: true }, name: "x" });
    }
  });

  it("awaits a module with top-level await only when driven asynchronously", async () => {
    const path = file("tla.mjs", "const v = await Promise.resolve(3); export default { n: v };\n");
    expect(await runAsync(readConfigFileSteps(path))).toEqual({ n: 3 });
    expect(() => runSync(readConfigFileSteps(path))).toThrow(/failed to load: .*Config\.load\(\)/s);
  });

  it("throws a load failure into the loader, so enclosing steps can clean up", () => {
    const path = file("bad.mjs", "throw new Error('boom');\n");
    const cleanedUp: string[] = [];
    function* outer(): LoadSteps<void> {
      try {
        yield* readConfigFileSteps(path);
      } finally {
        cleanedUp.push("done");
      }
    }
    expect(() => runSync(outer())).toThrow(ConfigError);
    expect(cleanedUp).toEqual(["done"]);
  });

  it("reports a missing file and bad text as ConfigErrors with codes", () => {
    expect(() => runSync(readConfigFileSteps("/nonexistent/dir/x.yaml"))).toThrow(
      expect.objectContaining({ code: "FILE_NOT_FOUND" }),
    );
    expect(() => runSync(readConfigFileSteps(file("l.yaml", "- a\n- b\n")))).toThrow(
      /expected a mapping at the top level, got a list/,
    );
    expect(() => runSync(readConfigFileSteps(file("p.json", "{")))).toThrow(
      expect.objectContaining({ code: "PARSE_ERROR" }),
    );
  });
});
