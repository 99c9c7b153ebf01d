import { describe, expect, it } from "vitest";
import { isDeleted, withDeletion, withoutDeletion } from "../../src/config/deletions.js";

describe("deletions", () => {
  it("hide a path and everything beneath it", () => {
    const deletions = withDeletion([], ["run"]);
    expect(isDeleted(deletions, ["run"])).toBe(true);
    expect(isDeleted(deletions, ["run", "echo"])).toBe(true);
    expect(isDeleted(deletions, ["sudo"])).toBe(false);
  });

  it("replace the deletions of a path's descendants when the path itself is deleted", () => {
    expect(withDeletion([["run", "echo"], ["sudo"]], ["run"])).toEqual([["sudo"], ["run"]]);
  });

  it("split a deleted ancestor around a re-revealed key, keeping its siblings hidden", () => {
    const full = { run: { echo: true, warn: false, env: { A: "1", B: "2" } } };
    expect(withoutDeletion([["run"]], ["run", "env", "A"], full)).toEqual([
      ["run", "echo"],
      ["run", "warn"],
      ["run", "env", "B"],
    ]);
  });

  it("drop deletions at or below a re-revealed path and keep unrelated ones", () => {
    expect(withoutDeletion([["run", "echo"], ["sudo"]], ["run"], {})).toEqual([["sudo"]]);
  });
});
