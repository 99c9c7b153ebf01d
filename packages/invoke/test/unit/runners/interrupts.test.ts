import { setImmediate as nextTurn } from "node:timers/promises";
import { afterEach, describe, expect, it, vi } from "vitest";
import { trackRunning } from "../../../src/runners/interrupts.js";

const sigintListeners = () => process.listenerCount("SIGINT");

describe("trackRunning (shared SIGINT forwarding)", () => {
  const baseline = sigintListeners();
  afterEach(async () => {
    await nextTurn();
    await nextTurn();
  });

  it("forwards SIGINT to every running command through one listener", () => {
    const a = { interrupt: vi.fn(), terminate: vi.fn() };
    const b = { interrupt: vi.fn(), terminate: vi.fn() };
    const untrackA = trackRunning(a);
    const untrackB = trackRunning(b);
    expect(sigintListeners()).toBe(baseline + 1);
    process.emit("SIGINT", "SIGINT");
    expect(a.interrupt).toHaveBeenCalledTimes(1);
    expect(b.interrupt).toHaveBeenCalledTimes(1);
    untrackA();
    untrackB();
  });

  it("keeps the listener across back-to-back commands and removes it once idle", async () => {
    const first = { interrupt: vi.fn(), terminate: vi.fn() };
    trackRunning(first)();
    const second = { interrupt: vi.fn(), terminate: vi.fn() };
    const untrackSecond = trackRunning(second);
    expect(sigintListeners()).toBe(baseline + 1);
    process.emit("SIGINT", "SIGINT");
    expect(first.interrupt).not.toHaveBeenCalled();
    expect(second.interrupt).toHaveBeenCalledTimes(1);
    untrackSecond();
    expect(sigintListeners()).toBe(baseline + 1);
    await nextTurn();
    await nextTurn();
    expect(sigintListeners()).toBe(baseline);
  });

  it("a SIGINT while idle removes the listener and leaves other listeners in charge", () => {
    const other = vi.fn();
    process.on("SIGINT", other);
    const kill = vi.spyOn(process, "kill").mockImplementation(() => true);
    try {
      trackRunning({ interrupt: vi.fn(), terminate: vi.fn() })();
      process.emit("SIGINT", "SIGINT");
      expect(other).toHaveBeenCalledTimes(1);
      expect(kill).not.toHaveBeenCalled();
      expect(sigintListeners()).toBe(baseline + 1);
    } finally {
      kill.mockRestore();
      process.off("SIGINT", other);
    }
  });

  it("a SIGINT while idle with no other listener re-raises it for Node's default handling", () => {
    const kill = vi.spyOn(process, "kill").mockImplementation(() => true);
    try {
      trackRunning({ interrupt: vi.fn(), terminate: vi.fn() })();
      process.emit("SIGINT", "SIGINT");
      expect(kill).toHaveBeenCalledWith(process.pid, "SIGINT");
      expect(sigintListeners()).toBe(baseline);
    } finally {
      kill.mockRestore();
    }
  });
});
