import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeRegExp, quotePath, shellJoin, shellQuote } from "../../src/quote.js";

/** What bash makes of `word` when it is used as an argument. */
function bashWord(word: string): string {
  return execFileSync("/bin/bash", ["-c", `printf %s ${word}`], {
    encoding: "utf8",
    env: { HOME: "/home/h" },
  });
}

const anyText = fc.string({ unit: "binary", minLength: 1, maxLength: 24 }).filter((s) => !s.includes("\0"));

describe("shellQuote", () => {
  it("leaves safe words bare and quotes the rest", () => {
    expect(shellQuote("abc-1.2/x")).toBe("abc-1.2/x");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("abc", true)).toBe("'abc'");
    expect(shellJoin(["ls", "-l", "my file"])).toBe("ls -l 'my file'");
  });

  it("round-trips any text through bash", () => {
    fc.assert(
      fc.property(anyText, (text) => bashWord(shellQuote(text)) === text),
      { numRuns: 60 },
    );
  });
});

describe("quotePath", () => {
  it("escapes like Invoke for spaces and keeps ~ expandable", () => {
    expect(quotePath("/tmp/sub dir")).toBe("/tmp/sub\\ dir");
    expect(quotePath("~/x y")).toBe("~/x\\ y");
    expect(quotePath("~bob/src")).toBe("~bob/src");
    expect(quotePath("~")).toBe("~");
    expect(quotePath("/a;rm -rf $HOME")).toBe("/a\\;rm\\ -rf\\ \\$HOME");
    expect(quotePath("/new\nline")).toBe("'/new\nline'");
  });

  it("round-trips any path through bash", () => {
    fc.assert(
      fc.property(anyText, (text) => bashWord(quotePath(`/${text}`)) === `/${text}`),
      { numRuns: 60 },
    );
  });

  it("lets bash expand a leading ~", () => {
    expect(bashWord(quotePath("~/my dir"))).toBe("/home/h/my dir");
  });
});

describe("escapeRegExp", () => {
  it("makes text match literally", () => {
    const text = "[sudo] password (a.b*c): ";
    expect(new RegExp(escapeRegExp(text)).test(`x${text}`)).toBe(true);
    expect(new RegExp(escapeRegExp("a.c")).test("abc")).toBe(false);
  });
});
