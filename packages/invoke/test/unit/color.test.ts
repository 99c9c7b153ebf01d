import { describe, expect, it } from "vitest";
import { shouldUseColor, stripAnsi } from "../../src/color.js";

describe("shouldUseColor", () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it("follows the stream's TTY-ness by default", () => {
    expect(shouldUseColor(tty, {})).toBe(true);
    expect(shouldUseColor(pipe, {})).toBe(false);
    expect(shouldUseColor(null, {})).toBe(false);
  });
  it("NO_COLOR wins over everything", () => {
    expect(shouldUseColor(tty, { NO_COLOR: "1" })).toBe(false);
    expect(shouldUseColor(tty, { NO_COLOR: "1", FORCE_COLOR: "1" })).toBe(false);
  });
  it("FORCE_COLOR turns colour on for pipes, except 0/false", () => {
    expect(shouldUseColor(pipe, { FORCE_COLOR: "1" })).toBe(true);
    expect(shouldUseColor(pipe, { FORCE_COLOR: "0" })).toBe(false);
    expect(shouldUseColor(pipe, { FORCE_COLOR: "false" })).toBe(false);
  });
});

describe("stripAnsi", () => {
  it("removes SGR sequences and keeps the text", () => {
    expect(stripAnsi("\u001b[1;37mls -l\u001b[0m")).toBe("ls -l");
    expect(stripAnsi("a\u001b[31mb\u001b[39mc")).toBe("abc");
    expect(stripAnsi("no escapes")).toBe("no escapes");
  });
});
