// The templates' `quote` filter single-quotes every value (safe words too), with the shared quoter.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { jinjaEnvironment } from "../../src/helpers/template-engine.js";

describe("the quote template filter", () => {
  it("single-quotes any value so sh reads it back unchanged", async () => {
    const env = await jinjaEnvironment([], {});
    const values = ["plain", "it's $HOME", "a\nb", ""];
    const rendered = env.renderString("{% for v in values %}{{ v | quote }} {% endfor %}", { values });
    expect(rendered).toBe(`'plain' 'it'\\''s $HOME' 'a\nb' '' `);
    const words = execFileSync("sh", ["-c", `printf '%s\\0' ${rendered}`], { encoding: "utf8" });
    expect(words.split("\0").slice(0, -1)).toEqual(values);
  });
});
