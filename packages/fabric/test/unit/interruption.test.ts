import { describe, expect, it } from "vitest";
import { withInterrupt } from "../../src/interruption.js";

describe("withInterrupt", () => {
  it("follows the caller's signal", () => {
    const controller = new AbortController();
    const combined = withInterrupt(controller.signal);
    expect(combined.aborted).toBe(false);
    controller.abort(new Error("stop"));
    expect(combined.aborted).toBe(true);
  });

  it("carries many concurrent abort listeners (a tree transfer's files) without Node's leak warning", async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on("warning", onWarning);
    try {
      const combined = withInterrupt(undefined);
      const listeners = Array.from({ length: 40 }, () => () => {});
      for (const listener of listeners) combined.addEventListener("abort", listener, { once: true });
      await new Promise((resolve) => setImmediate(resolve));
      for (const listener of listeners) combined.removeEventListener("abort", listener);
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings).not.toContain("MaxListenersExceededWarning");
  });
});
