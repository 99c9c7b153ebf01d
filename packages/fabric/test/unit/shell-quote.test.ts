import { execFileSync } from "node:child_process";
import { shellJoin as invokeJoin, shellQuote as invokeQuote } from "@fabric-ts/invoke";
import { shellJoin as sshJoin, shellQuote as sshQuote } from "@fabric-ts/ssh-core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

// invoke and ssh-core each keep a shell quoter (neither layer may import the other); fabric uses
// invoke's. These properties hold the two to the same rules and check what `sh` makes of them.

/** Characters shells treat specially, mixed with safe ones, so quoting paths are hit often. */
const tricky = fc.string({
  unit: fc.constantFrom(..."aZ09_@%+=:,./-'\"\\$`!*?[]{}()<>|&;#~ \t\n\r\u00e9\u4e2d\u{1f600}"),
  maxLength: 20,
});
/** Any text a process argument can hold (argv cannot carry NUL). */
const anyText = fc
  .oneof(fc.string({ unit: "binary", maxLength: 24 }), tricky)
  .filter((text) => !text.includes("\0"));

/** What `sh -c` prints for `printf '%s\0' <words>`: the words it received, split back out. */
function shWords(commandLine: string): string[] {
  const out = execFileSync("sh", ["-c", `printf '%s\\0' ${commandLine}`], { encoding: "utf8" });
  return out.split("\0").slice(0, -1);
}

describe("the invoke and ssh-core shell quoters", () => {
  it("give identical output for any text", () => {
    fc.assert(
      fc.property(anyText, (text) => invokeQuote(text) === sshQuote(text)),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.array(anyText, { maxLength: 6 }), (words) => invokeJoin(words) === sshJoin(words)),
      { numRuns: 500 },
    );
  });

  it("leave safe words bare and quote everything else the same way", () => {
    for (const quote of [invokeQuote, sshQuote]) {
      expect(quote("a-b_c.d/e:f,g@h%i+j=k")).toBe("a-b_c.d/e:f,g@h%i+j=k");
      expect(quote("")).toBe("''");
      expect(quote("it's")).toBe("'it'\\''s'");
      expect(quote("~/x")).toBe("'~/x'");
    }
  });

  it("round-trip any text through sh -c", () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(shWords(`${sshQuote(text)} ${invokeQuote(text)} ${invokeQuote(text, true)}`)).toEqual([
          text,
          text,
          text,
        ]);
      }),
      { numRuns: 100 },
    );
  });

  it("round-trip a list of words through sh -c as separate arguments", () => {
    fc.assert(
      fc.property(fc.array(anyText, { minLength: 1, maxLength: 5 }), (words) => {
        expect(shWords(invokeJoin(words))).toEqual(words);
      }),
      { numRuns: 60 },
    );
  });
});
