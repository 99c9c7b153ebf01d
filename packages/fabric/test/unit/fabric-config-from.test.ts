// FabricConfig.from upgrades an Invoke Config: everything it holds is kept, Fabric's defaults fill in.
import { Config } from "@fabric-ts/invoke";
import { describe, expect, it } from "vitest";
import { FabricConfig } from "../../src/index.js";

describe("FabricConfig.from", () => {
  it("keeps an Invoke config's levels and puts Fabric's defaults beneath its defaults", () => {
    const invoke = new Config({ lazy: true, env: {}, defaults: { run: { shell: "/bin/sh" }, team: "ops" } });
    invoke.loadOverrides({ run: { echo: true } });
    invoke.set("deployEnv", "staging");
    invoke.delete("team");

    const upgraded = FabricConfig.from(invoke);

    expect(upgraded).toBeInstanceOf(FabricConfig);
    expect(upgraded.get("run.shell")).toBe("/bin/sh");
    expect(upgraded.get("run.echo")).toBe(true);
    expect(upgraded.get("deployEnv")).toBe("staging");
    expect(upgraded.has("team")).toBe(false);
    expect(upgraded.get("port")).toBe(22);
    expect(upgraded.get("timeouts.connect")).not.toBeUndefined();
    expect(upgraded.sourceOf("run.echo")).toEqual({ level: "overrides" });
    // The copy is independent of the original.
    upgraded.set("deployEnv", "production");
    expect(invoke.get("deployEnv")).toBe("staging");
  });

  it("returns a FabricConfig as it is", () => {
    const config = new FabricConfig({ lazy: true, env: {} });
    expect(FabricConfig.from(config)).toBe(config);
  });
});
