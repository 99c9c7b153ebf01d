import { describe, expect, it } from "vitest";
import { Config } from "../../src/config/config.js";
import { formatEcho, normalizeHide, resolveRunOptions } from "../../src/runners/options.js";
import { StringSink } from "../support/streams.js";

function configWith(run: Record<string, unknown>, timeouts: Record<string, unknown> = {}): Config {
  const config = new Config();
  for (const [key, value] of Object.entries(run)) config.set(`run.${key}`, value);
  for (const [key, value] of Object.entries(timeouts)) config.set(`timeouts.${key}`, value);
  return config;
}

describe("normalizeHide", () => {
  it.each([
    [null, []],
    [false, []],
    [true, ["stdout", "stderr"]],
    ["both", ["stdout", "stderr"]],
    ["out", ["stdout"]],
    ["stdout", ["stdout"]],
    ["err", ["stderr"]],
    ["stderr", ["stderr"]],
  ])("%j → %j", (value, expected) => {
    expect(normalizeHide(value)).toEqual(expected);
  });

  it("rejects anything else with a clear error", () => {
    expect(() => normalizeHide("nope")).toThrow(`'hide' got "nope" which is not in`);
  });

  it("never hides an explicitly given stream", () => {
    expect(normalizeHide(true, new StringSink(), null)).toEqual(["stderr"]);
    expect(normalizeHide("both", null, new StringSink())).toEqual(["stdout"]);
  });
});

describe("resolveRunOptions", () => {
  it("takes an option over the config and the config over the defaults", () => {
    const config = configWith({ warn: true, shell: "/bin/sh" });
    expect(resolveRunOptions({}, config).warn).toBe(true);
    expect(resolveRunOptions({ warn: false }, config).warn).toBe(false);
    expect(resolveRunOptions({}, config).shell).toBe("/bin/sh");
    expect(resolveRunOptions({}, new Config()).shell).toBe("/bin/bash");
  });

  it("treats undefined as 'use config'", () => {
    expect(resolveRunOptions({ warn: undefined }, configWith({ warn: true })).warn).toBe(true);
  });

  it("replaces (does not merge) env and watchers", () => {
    const config = configWith({ env: { A: "1" } });
    expect(resolveRunOptions({ env: { B: "2" } }, config).env).toEqual({ B: "2" });
  });

  it("rejects unknown options by name instead of ignoring them", () => {
    expect(() => resolveRunOptions({ nope: true } as never, new Config())).toThrow(
      "run() got an unexpected keyword argument 'nope'",
    );
  });

  it("refuses asynchronous together with disown", () => {
    expect(() => resolveRunOptions({ asynchronous: true, disown: true }, new Config())).toThrow(
      "Cannot give both 'asynchronous' and 'disown' at the same time!",
    );
  });

  it("hide: true turns echo off, dry turns it back on", () => {
    expect(resolveRunOptions({ echo: true, hide: true }, new Config()).echo).toBe(false);
    expect(resolveRunOptions({ echo: true, hide: "out" }, new Config()).echo).toBe(true);
    expect(resolveRunOptions({ hide: true, dry: true }, new Config()).echo).toBe(true);
  });

  it("asynchronous hides both streams and stops reading stdin, unless streams are given", () => {
    const opts = resolveRunOptions({ asynchronous: true }, new Config());
    expect(opts.hide).toEqual(["stdout", "stderr"]);
    expect(opts.inStream).toBe(false);
    expect(resolveRunOptions({ asynchronous: true, outStream: new StringSink() }, new Config()).hide).toEqual(
      ["stderr"],
    );
  });

  it("timeout: undefined uses timeouts.command, null disables it", () => {
    const config = configWith({}, { command: 7 });
    expect(resolveRunOptions({}, config).timeout).toBe(7);
    expect(resolveRunOptions({ timeout: null }, config).timeout).toBeNull();
    expect(resolveRunOptions({ timeout: 2 }, config).timeout).toBe(2);
    expect(() => resolveRunOptions({ timeout: -1 }, config)).toThrow("'timeout'");
  });

  it("does not mutate the caller's objects", () => {
    const env = { A: "1" };
    const options = Object.freeze({ env, hide: true as const });
    const resolved = resolveRunOptions(options, new Config());
    resolved.env.B = "2";
    expect(env).toEqual({ A: "1" });
  });
});

describe("formatEcho", () => {
  it("fills {command} and unescapes doubled braces", () => {
    expect(formatEcho("$ {command}", "echo x")).toBe("$ echo x");
    expect(formatEcho("{{}} {command}", "ls")).toBe("{} ls");
  });
});
