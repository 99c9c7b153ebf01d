import { describe, expect, it } from "vitest";
import { Config } from "../../src/config/config.js";
import { Context } from "../../src/context.js";
import {
  AuthFailure,
  Failure,
  ResponseNotAccepted,
  ResponseUnavailable,
  SudoPasswordRequired,
} from "../../src/errors.js";
import { Result } from "../../src/result.js";
import { Local } from "../../src/runners/local.js";
import type { RunOptions } from "../../src/runners/options.js";
import { buildSudoCommand, uniqueSudoPrompt } from "../../src/sudo.js";
import { FailingResponder, type IncrementalWatcher, isIncrementalWatcher } from "../../src/watchers.js";

const parts = {
  command: "whoami",
  prompt: "[sudo] password: ",
  user: null,
  envKeys: [],
  shell: "/bin/bash",
  locale: undefined,
};

describe("buildSudoCommand", () => {
  it("wraps the whole command in one shell under sudo, with sudo in the C locale", () => {
    expect(buildSudoCommand(parts)).toBe(
      "LC_ALL=C sudo -S -p '[sudo] password: ' /bin/bash -c 'unset LC_ALL && whoami'",
    );
  });

  it("adds --preserve-env and -H -u like Invoke (C3 14)", () => {
    expect(buildSudoCommand({ ...parts, user: "bob", envKeys: ["A", "B"] })).toBe(
      "LC_ALL=C sudo -S -p '[sudo] password: ' --preserve-env='A,B' -H -u bob /bin/bash -c 'unset LC_ALL && whoami'",
    );
  });

  it("quotes the prompt, the user and the command, and escapes % in the prompt", () => {
    const built = buildSudoCommand({
      ...parts,
      prompt: "it's 100%: ",
      user: "a b",
      command: "echo 'x' && ls",
    });
    expect(built).toBe(
      "LC_ALL=C sudo -S -p 'it'\\''s 100%%: ' -H -u 'a b' /bin/bash -c 'unset LC_ALL && echo '\\''x'\\'' && ls'",
    );
  });

  it("restores the caller's LC_ALL for the command", () => {
    expect(buildSudoCommand({ ...parts, locale: "de_DE.UTF-8" })).toContain(
      "'export LC_ALL=de_DE.UTF-8 && whoami'",
    );
  });
});

describe("uniqueSudoPrompt", () => {
  it("keeps the configured prompt recognisable and adds a token", () => {
    expect(uniqueSudoPrompt("[sudo] password: ", "abc123")).toBe("[sudo] password (abc123): ");
    expect(uniqueSudoPrompt("[sudo] password: ")).not.toBe(uniqueSudoPrompt("[sudo] password: "));
  });
});

/** A context whose runner records what it was asked and answers with a canned outcome. */
function recordingContext(outcome: (options: RunOptions) => Result | Error, config = new Config()) {
  const calls: { command: string; options: RunOptions }[] = [];
  class Recording extends Local {
    // Promise<never> fits every overload of run().
    override run(command: string, options: RunOptions = {}): Promise<never> {
      calls.push({ command, options });
      const value = outcome(options);
      return (value instanceof Error ? Promise.reject(value) : Promise.resolve(value)) as Promise<never>;
    }
  }
  config.set("runners.local", Recording);
  return { context: new Context(config), calls };
}

describe("Context.sudo", () => {
  it("applies cd/prefix inside the sudo shell (quirk 4 fixed)", async () => {
    const { context, calls } = recordingContext(() => new Result());
    await context.cd("/srv").prefix("source env").sudo("ls", { password: "pw" });
    expect(calls[0]?.command).toMatch(
      /^LC_ALL=C sudo -S -p '\[sudo\] password \([0-9a-f]{12}\): ' \/bin\/bash -c 'unset LC_ALL && cd \/srv && source env && ls'$/,
    );
  });

  it("adds a password responder to the configured watchers without changing the config", async () => {
    const config = new Config();
    const configured = new FailingResponder("x", "y", "z");
    config.set("run.watchers", [configured]);
    const { context, calls } = recordingContext(() => new Result(), config);
    await context.sudo("ls", { password: "pw" });
    const watchers = calls[0]?.options.watchers ?? [];
    expect(watchers).toHaveLength(2);
    expect(watchers[0]).toBe(configured);
    expect((watchers[1] as FailingResponder).response).toBe("pw\n");
    expect(config.run.watchers).toHaveLength(1);
  });

  it("turns a rejected answer into AuthFailure with the configured prompt", async () => {
    const { context } = recordingContext(
      () => new Failure(new Result({ exited: null }), new ResponseNotAccepted("no")),
    );
    await expect(context.sudo("ls", { password: "pw" })).rejects.toThrow(
      new AuthFailure(new Result(), "[sudo] password: ").message,
    );
  });

  it("never sends a made-up password when none is configured (quirk 5 fixed)", async () => {
    const { context, calls } = recordingContext(
      () => new Failure(new Result({ exited: null }), new ResponseUnavailable("none")),
    );
    await expect(context.sudo("ls")).rejects.toBeInstanceOf(SudoPasswordRequired);
    // The watcher given to the runner raises (instead of answering) when the prompt shows up.
    const watcher = calls[0]?.options.watchers?.at(-1);
    const prompt = calls[0]?.command.match(/-p '([^']+)'/)?.[1];
    expect(watcher && isIncrementalWatcher(watcher)).toBe(true);
    expect(prompt).toBeDefined();
    expect(() => (watcher as IncrementalWatcher).feed(prompt ?? "", "stderr")).toThrow(ResponseUnavailable);
  });

  it("passes other failures through unchanged", async () => {
    const original = new Failure(new Result({ exited: 1 }));
    const { context } = recordingContext(() => original);
    await expect(context.sudo("ls", { password: "pw" })).rejects.toBe(original);
  });

  it("uses sudo.user from the config, and the user option over it", async () => {
    const config = new Config();
    config.set("sudo.user", "deploy");
    const { context, calls } = recordingContext(() => new Result(), config);
    await context.sudo("ls", { password: "pw" });
    await context.sudo("ls", { password: "pw", user: "web" });
    expect(calls[0]?.command).toContain(" -H -u deploy ");
    expect(calls[1]?.command).toContain(" -H -u web ");
  });
});
