import { describe, expect, it } from "vitest";
import { Context } from "../../src/context.js";
import { Local } from "../../src/runners/local.js";
import { isolatedConfig, writeFiles } from "../support/config-helpers.js";

describe("runner-related config keys", () => {
  it("runners.local picks the runner class Context.run uses", async () => {
    let constructed = 0;
    class RecordingLocal extends Local {
      constructor(...args: ConstructorParameters<typeof Local>) {
        super(...args);
        constructed += 1;
      }
    }
    const config = isolatedConfig({ overrides: { runners: { local: RecordingLocal } } });
    const result = await new Context(config).run("echo via-custom", { hide: true });
    expect(result.stdout).toBe("via-custom\n");
    expect(constructed).toBe(1);
  });

  it("accepts sudo.shell in a config file and rejects a non-string", () => {
    const root = writeFiles(`${process.env.TMPDIR ?? "/tmp"}/fts-sudo-shell-${process.pid}`, {
      "good/invoke.yaml": "sudo:\n  shell: /bin/sh\n",
      "bad/invoke.yaml": "sudo:\n  shell: 3\n",
    });
    expect(isolatedConfig({ projectLocation: `${root}/good` }).sudo.shell).toBe("/bin/sh");
    expect(() => isolatedConfig({ projectLocation: `${root}/bad` })).toThrow(/sudo\.shell/);
  });
});
