import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCaseFiles, parseCaseFile, writeCaseFiles } from "../../src/corpus.js";

const scratch = mkdtempSync(join(tmpdir(), "fabts-corpus-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("case files", () => {
  it("reads header entries in order (keys may repeat), then each file after its --- line", () => {
    const text = [
      "args: -G  -F $HOME/config foo ",
      "# a comment line is not a header entry",
      "pattern: web:&prod",
      "pattern: all | limit: web[0]",
      "--- config",
      "Host foo",
      "  Port 2200",
      "--- .ssh/conf.d/a.conf",
      "args: inside a file is content",
      "",
    ].join("\n");
    expect(parseCaseFile("one", text)).toEqual({
      name: "one",
      header: [
        { key: "args", value: "-G  -F $HOME/config foo" },
        { key: "pattern", value: "web:&prod" },
        { key: "pattern", value: "all | limit: web[0]" },
      ],
      files: { config: "Host foo\n  Port 2200\n", ".ssh/conf.d/a.conf": "args: inside a file is content\n" },
    });
  });

  it("loads every case of a folder in name order, without the extension", () => {
    const dir = mkdtempSync(join(scratch, "cases-"));
    writeFileSync(join(dir, "b.case"), "k: 2\n");
    writeFileSync(join(dir, "a.case"), "k: 1\n");
    writeFileSync(join(dir, "a.expected.json"), "{}\n");
    expect(loadCaseFiles(dir).map((c) => [c.name, c.header[0]?.value])).toEqual([
      ["a", "1"],
      ["b", "2"],
    ]);
  });

  it("writes a case's files, with exact modes when asked", () => {
    const dir = mkdtempSync(join(scratch, "home-"));
    writeCaseFiles(dir, { "x/y/z.conf": "a\n", top: "b\n" }, { fileMode: 0o644, dirMode: 0o755 });
    expect(readFileSync(join(dir, "x", "y", "z.conf"), "utf8")).toBe("a\n");
    expect(statSync(join(dir, "top")).mode & 0o777).toBe(0o644);
    expect(statSync(join(dir, "x", "y")).isDirectory()).toBe(true);
  });
});
