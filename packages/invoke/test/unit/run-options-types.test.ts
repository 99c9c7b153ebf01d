import { describe, expect, expectTypeOf, it } from "vitest";
import { Config } from "../../src/config/config.js";
import { invokeDefaults } from "../../src/config/defaults.js";
import type { RunConfig } from "../../src/config/types.js";
import type { HiddenStreams } from "../../src/result.js";
import { type ResolvedRunOptions, type RunOptions, resolveRunOptions } from "../../src/runners/options.js";

// RunConfig is the one list of run options; these hold the derived types to it (checked by tsc).
describe("run option types derived from RunConfig", () => {
  it("RunOptions has every run.* key plus timeout and signal, all optional and read-only", () => {
    expectTypeOf<keyof RunOptions>().toEqualTypeOf<keyof RunConfig | "timeout" | "signal">();
    expectTypeOf<RunOptions["env"]>().toEqualTypeOf<Readonly<Record<string, string>> | undefined>();
    expectTypeOf<RunOptions["watchers"]>().toEqualTypeOf<
      readonly RunConfig["watchers"][number][] | undefined
    >();
    expectTypeOf<RunOptions["hide"]>().toEqualTypeOf<RunConfig["hide"] | undefined>();
    expectTypeOf<RunOptions["timeout"]>().toEqualTypeOf<number | null | undefined>();
  });

  it("ResolvedRunOptions has every run.* key decided, hide as a stream list", () => {
    expectTypeOf<keyof ResolvedRunOptions>().toEqualTypeOf<keyof RunConfig | "timeout" | "signal">();
    expectTypeOf<ResolvedRunOptions["hide"]>().toEqualTypeOf<HiddenStreams>();
    expectTypeOf<ResolvedRunOptions["shell"]>().toEqualTypeOf<string>();
    expectTypeOf<ResolvedRunOptions["signal"]>().toEqualTypeOf<AbortSignal | undefined>();
  });

  it("accepts exactly the run.* keys, timeout and signal as options", () => {
    const config = new Config({ lazy: true, env: {} });
    const resolved = resolveRunOptions({}, config);
    expect(Object.keys(resolved).sort()).toEqual(
      [...Object.keys(invokeDefaults().run), "signal", "timeout"].sort(),
    );
    for (const key of Object.keys(invokeDefaults().run)) {
      expect(() => resolveRunOptions({ [key]: undefined } as RunOptions, config)).not.toThrow();
    }
    expect(() => resolveRunOptions({ echoo: true } as RunOptions, config)).toThrow(
      "run() got an unexpected keyword argument 'echoo'",
    );
  });
});
