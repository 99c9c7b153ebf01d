import { describe, expect, it } from "vitest";
import { runPool } from "../../src/pool.js";

const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));

describe("runPool", () => {
  it("starts items in order with at most `limit` running", async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const left = await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      started.push(n);
      running++;
      peak = Math.max(peak, running);
      await tick(n % 3);
      running--;
    });
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(3);
    expect(left).toEqual([]);
  });

  it("returns the items never started once stop() says so", async () => {
    const done: number[] = [];
    const left = await runPool(
      [0, 1, 2, 3, 4],
      1,
      async (n) => {
        done.push(n);
      },
      { stop: () => done.includes(1) },
    );
    expect(done).toEqual([0, 1]);
    expect(left).toEqual([2, 3, 4]);
  });

  it("walks items pushed while it runs (a growing work list)", async () => {
    const seen: string[] = [];
    await runPool(["/"], 2, async (dir, push) => {
      seen.push(dir);
      if (dir.length < 3) for (const child of ["a", "b"]) push(`${dir}${child}`);
    });
    expect(seen.sort()).toEqual(["/", "/a", "/aa", "/ab", "/b", "/ba", "/bb"]);
  });

  it("rethrows the first failure only after the running items settled, starting nothing more", async () => {
    const finished: number[] = [];
    let running = 0;
    await expect(
      runPool([1, 2, 3, 4, 5, 6], 2, async (n) => {
        running++;
        await tick(n === 2 ? 10 : 1);
        running--;
        if (n === 1) throw new Error("one");
        finished.push(n);
      }),
    ).rejects.toThrow("one");
    expect(running).toBe(0);
    expect(finished).toContain(2);
    expect(finished).not.toContain(6);
  });

  it("a worker that throws synchronously counts as a failure", async () => {
    await expect(
      runPool([1], 1, (() => {
        throw new Error("sync");
      }) as () => Promise<void>),
    ).rejects.toThrow("sync");
  });

  it("rejects with the abort reason once the signal is aborted", async () => {
    const controller = new AbortController();
    const started: number[] = [];
    await expect(
      runPool(
        [1, 2, 3],
        1,
        async (n) => {
          started.push(n);
          if (n === 1) controller.abort(new Error("stopped"));
        },
        { signal: controller.signal },
      ),
    ).rejects.toThrow("stopped");
    expect(started).toEqual([1]);
  });

  it("runs everything at once with an infinite limit, and one at a time below 1", async () => {
    let peak = 0;
    let running = 0;
    const work = async () => {
      running++;
      peak = Math.max(peak, running);
      await tick(1);
      running--;
    };
    await runPool([1, 2, 3, 4], Number.POSITIVE_INFINITY, work);
    expect(peak).toBe(4);
    peak = 0;
    await runPool([1, 2, 3], 0, work);
    expect(peak).toBe(1);
  });

  it("resolves at once for no items", async () => {
    await expect(runPool([], 4, async () => undefined)).resolves.toEqual([]);
  });
});
