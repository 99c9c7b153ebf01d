import { describe, expect, it } from "vitest";
import { shouldUseColor } from "../../src/index.js";

const tty = { isTTY: true };
const pipe = { isTTY: false };

// Every combination that matters: stream × TERM × NO_COLOR × FORCE_COLOR, against the rule
// NO_COLOR non-empty → never; FORCE_COLOR 0/false → never, other non-empty → always;
// otherwise a TTY that is not TERM=dumb.
const streams = [
  ["tty", tty],
  ["pipe", pipe],
  ["none", undefined],
] as const;
const terms = [undefined, "xterm-256color", "dumb"] as const;
const noColors = [undefined, "", "1"] as const;
const forceColors = [undefined, "", "0", "false", "1", "3", "true"] as const;

function expected(
  isTty: boolean,
  term: string | undefined,
  noColor: string | undefined,
  force: string | undefined,
): boolean {
  if (noColor) return false;
  if (force === "0" || force === "false") return false;
  if (force) return true;
  return isTty && term !== "dumb";
}

describe("shouldUseColor: the one colour rule", () => {
  const cases = streams.flatMap(([name, stream]) =>
    terms.flatMap((term) =>
      noColors.flatMap((noColor) => forceColors.map((force) => ({ name, stream, term, noColor, force }))),
    ),
  );

  it.each(cases)(
    "$name TERM=$term NO_COLOR=$noColor FORCE_COLOR=$force",
    ({ stream, term, noColor, force }) => {
      const env: NodeJS.ProcessEnv = {};
      if (term !== undefined) env.TERM = term;
      if (noColor !== undefined) env.NO_COLOR = noColor;
      if (force !== undefined) env.FORCE_COLOR = force;
      expect(shouldUseColor(stream, env)).toBe(expected(stream === tty, term, noColor, force));
    },
  );

  it("settles the cases where invoke and fabric used to disagree", () => {
    expect(shouldUseColor(tty, { TERM: "dumb" })).toBe(false);
    expect(shouldUseColor(tty, { FORCE_COLOR: "0" })).toBe(false);
    expect(shouldUseColor(tty, { FORCE_COLOR: "false" })).toBe(false);
    expect(shouldUseColor(pipe, { TERM: "dumb", FORCE_COLOR: "1" })).toBe(true);
  });

  it("reads process.env when no env is given", () => {
    const saved = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
    try {
      process.env.NO_COLOR = "1";
      delete process.env.FORCE_COLOR;
      expect(shouldUseColor(tty)).toBe(false);
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });
});
