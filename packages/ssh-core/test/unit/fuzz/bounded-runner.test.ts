/** The hang guard itself: a case that never returns fails with its input, and the runner recovers. */

import { BoundedRunner, CaseHung } from "@fabric-ts/testing/fuzz";
import { afterAll, describe, expect, it } from "vitest";

const runner = new BoundedRunner<string, string>(new URL("./hang.handler.ts", import.meta.url), 1_000);
afterAll(() => runner.stop());

describe("BoundedRunner", () => {
  it("answers from the handler", async () => {
    expect(await runner.run("hello")).toBe("hello");
  });

  it("turns an endless loop into a CaseHung naming the input, then starts a fresh worker", async () => {
    const error = await runner.run("hang").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaseHung);
    expect((error as CaseHung).input).toBe("hang");
    expect((error as Error).message).toContain('"hang"');
    // Until reset, later cases report the same hang (so shrinking does not replay it).
    await expect(runner.run("other")).rejects.toBe(error);
    runner.reset();
    expect(await runner.run("after")).toBe("after");
  });
});
