// The one abortable sleep of ssh-core (connect backoff, the channel queue's retry when refused).
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { abortableSleep } from "../../src/abortable-sleep.js";

class Stopped extends Error {}

describe("abortableSleep", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("resolves once the time has passed, and leaves no abort listener behind", async () => {
    const controller = new AbortController();
    const remove = vi.spyOn(controller.signal, "removeEventListener");
    let done = false;
    const sleeping = abortableSleep(5_000, controller.signal, () => new Stopped()).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(4_999);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await sleeping;
    expect(done).toBe(true);
    expect(remove).toHaveBeenCalledWith("abort", expect.any(Function));
  });

  it("rejects with the caller's error when the signal fires, and clears its timer", async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal, () => new Stopped("stopped"));
    controller.abort();
    await expect(sleeping).rejects.toBeInstanceOf(Stopped);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("rejects at once for a signal that has already fired", async () => {
    const sleeping = abortableSleep(60_000, AbortSignal.abort(), () => new Stopped());
    await expect(sleeping).rejects.toBeInstanceOf(Stopped);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("sleeps without a signal", async () => {
    const sleeping = abortableSleep(10, undefined, () => new Stopped());
    await vi.advanceTimersByTimeAsync(10);
    await expect(sleeping).resolves.toBeUndefined();
  });
});
