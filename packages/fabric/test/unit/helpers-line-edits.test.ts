// The text rules of the file helpers (no server): what counts as present, where lines go.
import { describe, expect, it } from "vitest";
import {
  appendLines,
  commentLines,
  lineInText,
  sedText,
  textContains,
  uncommentLines,
} from "../../src/helpers/line-edits.js";

describe("appendLines", () => {
  it("adds a missing line once: the second call changes nothing", () => {
    const once = appendLines("a\nb\n", "c");
    expect(once).toBe("a\nb\nc\n");
    expect(appendLines(once, "c")).toBe(once);
  });

  it("adds a final newline before appending to a file without one", () => {
    expect(appendLines("a", "b")).toBe("a\nb\n");
    expect(appendLines("", "x")).toBe("x\n");
  });

  it("matches whole lines only, unless partial (prefix)", () => {
    expect(appendLines("PermitRootLogin yes\n", "PermitRootLogin")).toBe(
      "PermitRootLogin yes\nPermitRootLogin\n",
    );
    expect(appendLines("PermitRootLogin yes\n", "PermitRootLogin", { partial: true })).toBe(
      "PermitRootLogin yes\n",
    );
  });

  it("treats a text with newlines as a block of consecutive lines", () => {
    const block = "[section]\nkey = 'v$1 `x`'";
    const once = appendLines("[section]\nother\n", block);
    expect(once).toBe("[section]\nother\n[section]\nkey = 'v$1 `x`'\n");
    expect(appendLines(once, block)).toBe(once);
  });

  it("adds each item of a list, skipping those already there and repeats within the list", () => {
    expect(appendLines("a\n", ["a", "b", "b"])).toBe("a\nb\n");
  });
});

describe("textContains", () => {
  it("is literal by default: regex characters, quotes and $ are just text", () => {
    expect(textContains('path = "/a/b" $HOME [x]\n', '"/a/b" $HOME [x]')).toBe(true);
    expect(textContains("aXb\n", "a.b")).toBe(false);
  });

  it("exact wants the whole line; escape: false takes a regular expression", () => {
    expect(textContains("listen 80;\n", "listen", { exact: true })).toBe(false);
    expect(textContains("listen 80;\n", "listen 80;", { exact: true })).toBe(true);
    expect(textContains("listen 80;\n", "listen \\d+;", { escape: false, exact: true })).toBe(true);
    expect(textContains("Listen 80\n", "listen", { caseSensitive: false })).toBe(true);
  });
});

describe("sedText", () => {
  it("replaces with slashes and quotes in both texts", () => {
    const text = `root "/var/www/old";\nalias '/srv/x';\n`;
    const after = sedText(text, `root "/var/www/old";`, `root '/srv/new/"quoted"';`, { literal: true });
    expect(after).toBe(`root '/srv/new/"quoted"';\nalias '/srv/x';\n`);
  });

  it("uses $1 group references and flags; limit restricts the lines", () => {
    expect(sedText("Port 22\nport 23\n", "^port (\\d+)", "Port=$1", { flags: "i" })).toBe(
      "Port=22\nPort=23\n",
    );
    expect(sedText("a=1\nb=1\n", "1", "2", { limit: "^b" })).toBe("a=1\nb=2\n");
  });

  it("keeps a literal $ in the replacement when literal, and refuses unknown flags", () => {
    expect(sedText("x\n", "x", "$1 $HOME `id`", { literal: true })).toBe("$1 $HOME `id`\n");
    expect(() => sedText("x", "x", "y", { flags: "g" })).toThrow(/flags/);
  });
});

describe("comment / uncomment", () => {
  it("comments matching lines once and uncomments them keeping indentation", () => {
    const text = "  PasswordAuthentication yes\nPort 22\n";
    const commented = commentLines(text, "PasswordAuthentication");
    expect(commented).toBe("#  PasswordAuthentication yes\nPort 22\n");
    expect(commentLines(commented, "PasswordAuthentication")).toBe(commented);
    expect(uncommentLines("  # PasswordAuthentication yes\n#Port 22\n", "^PasswordAuthentication")).toBe(
      "  PasswordAuthentication yes\n#Port 22\n",
    );
  });

  it("takes another marker", () => {
    expect(commentLines("x = 1\n", "^x", ";")).toBe(";x = 1\n");
    expect(uncommentLines(";x = 1\n", "^x", ";")).toBe("x = 1\n");
  });
});

describe("lineInText (Ansible lineinfile)", () => {
  const config = "# comment\nPort 22\nListenAddress 0.0.0.0\nPort 2222\n";

  it("replaces the last line matching regexp, and is idempotent", () => {
    const once = lineInText(config, { regexp: "^Port ", line: "Port 2200" });
    expect(once).toBe("# comment\nPort 22\nListenAddress 0.0.0.0\nPort 2200\n");
    expect(lineInText(once, { regexp: "^Port ", line: "Port 2200" })).toBe(once);
    expect(lineInText(config, { regexp: "^Port ", line: "Port 2200", firstMatch: true })).toBe(
      "# comment\nPort 2200\nListenAddress 0.0.0.0\nPort 2222\n",
    );
  });

  it("adds a missing line at EOF, after or before a matching line, or at BOF", () => {
    expect(lineInText("a\nb", { line: "c" })).toBe("a\nb\nc\n");
    expect(lineInText(config, { line: "UseDNS no", insertAfter: "^Port " })).toBe(`${config}UseDNS no\n`);
    expect(lineInText(config, { line: "UseDNS no", insertAfter: "^Port ", firstMatch: true })).toBe(
      "# comment\nPort 22\nUseDNS no\nListenAddress 0.0.0.0\nPort 2222\n",
    );
    expect(lineInText(config, { line: "UseDNS no", insertBefore: "^Listen" })).toBe(
      "# comment\nPort 22\nUseDNS no\nListenAddress 0.0.0.0\nPort 2222\n",
    );
    expect(lineInText(config, { line: "#!header", insertBefore: "BOF" })).toBe(`#!header\n${config}`);
    expect(lineInText(config, { line: "x", insertAfter: "^nothing" })).toBe(`${config}x\n`);
  });

  it("leaves an exact line alone when regexp matches nothing", () => {
    expect(lineInText("a\nUseDNS no\n", { regexp: "^#UseDNS", line: "UseDNS no" })).toBe("a\nUseDNS no\n");
  });

  it("removes every matching line with state absent", () => {
    expect(lineInText(config, { regexp: "^Port ", state: "absent" })).toBe(
      "# comment\nListenAddress 0.0.0.0\n",
    );
    expect(lineInText(config, { line: "Port 22", state: "absent" })).toBe(
      "# comment\nListenAddress 0.0.0.0\nPort 2222\n",
    );
    expect(lineInText(config, { searchString: "Address", state: "absent" })).toBe(
      "# comment\nPort 22\nPort 2222\n",
    );
    expect(lineInText(config, { regexp: "^Nope", state: "absent" })).toBe(config);
  });

  it("expands backrefs and changes nothing when the regexp does not match", () => {
    expect(
      lineInText("Port 22\n", { regexp: "^Port (\\d+)$", line: "Port $1 # was $1", backrefs: true }),
    ).toBe("Port 22 # was 22\n");
    expect(lineInText("a\n", { regexp: "^Port (\\d+)$", line: "Port $1", backrefs: true })).toBe("a\n");
  });

  it("refuses contradictory or multi-line options", () => {
    expect(() => lineInText("", { line: "a\nb" })).toThrow(/one line/);
    expect(() => lineInText("", { line: "a", insertAfter: "x", insertBefore: "y" })).toThrow(/not both/);
    expect(() => lineInText("", { state: "absent" })).toThrow(/needs a line/);
    expect(() => lineInText("", { line: "a", backrefs: true })).toThrow(/backrefs needs a regexp/);
  });
});
