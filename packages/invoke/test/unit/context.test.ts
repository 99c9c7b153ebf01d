import { mkdtemp, realpath, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Config } from "../../src/config/config.js";
import { Context } from "../../src/context.js";
import { Result } from "../../src/result.js";
import { Local } from "../../src/runners/local.js";
import type { RunOptions } from "../../src/runners/options.js";

/** Exposes the command a context would run, without running it. */
class Inspectable extends Context {
  commandFor(command: string): string {
    return this.prefixCommands(command);
  }
}

describe("cwd", () => {
  it("is empty without cd", () => {
    expect(new Context().cwd).toBe("");
  });

  it("joins relative entries and restarts at the last absolute or ~ one", () => {
    const c = new Context();
    expect(c.cd("/a").cd("b").cd("/c").cd("d").cwd).toBe("/c/d");
    expect(c.cd("a").cd("b").cwd).toBe("a/b");
    expect(c.cd("/a").cd("~/x").cwd).toBe("~/x");
    expect(c.cd("/a/").cd("b").cwd).toBe("/a/b");
    expect(c.cd(pathToFileURL("/srv/app")).cwd).toBe("/srv/app");
  });
});

describe("command composition", () => {
  it("matches Invoke: cd, then prefixes in nesting order, then the command", () => {
    const c = new Inspectable().cd("/tmp").cd("sub dir").prefix("source env");
    expect(c.commandFor("ls")).toBe("cd /tmp/sub\\ dir && source env && ls");
  });

  it("leaves the command alone without cd or prefix", () => {
    expect(new Inspectable().commandFor("ls")).toBe("ls");
    expect(new Inspectable().prefix("a").prefix("b").commandFor("c")).toBe("a && b && c");
  });

  it("quotes hostile directory names", () => {
    expect(new Inspectable().cd("/x; rm -rf /").commandFor("ls")).toBe("cd /x\\;\\ rm\\ -rf\\ / && ls");
  });
});

describe("derived contexts", () => {
  it("never change the parent", () => {
    const parent = new Inspectable();
    const child = parent.cd("/srv").prefix("source env");
    expect(parent.commandFor("ls")).toBe("ls");
    expect(child.commandFor("ls")).toBe("cd /srv && source env && ls");
    expect(child).toBeInstanceOf(Inspectable);
    expect(child.config).toBe(parent.config);
  });

  it("stay isolated under concurrent callbacks", async () => {
    const c = new Inspectable();
    const seen = await Promise.all(
      ["/a", "/b", "/c"].map((dir) =>
        c.cd(dir, async (inner) => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return inner.prefix(`p${dir}`, async (deeper) => {
            await new Promise((resolve) => setImmediate(resolve));
            return deeper.commandFor("ls");
          });
        }),
      ),
    );
    expect(seen).toEqual(["cd /a && p/a && ls", "cd /b && p/b && ls", "cd /c && p/c && ls"]);
    expect(c.commandFor("ls")).toBe("ls");
  });

  it("return the callback's value and propagate its errors", async () => {
    const c = new Context();
    await expect(c.cd("/x", () => 42)).resolves.toBe(42);
    await expect(c.prefix("p", async () => Promise.reject(new Error("inner")))).rejects.toThrow("inner");
  });
});

describe("runner selection", () => {
  it("uses the runners.local class from the config", async () => {
    const seen: string[] = [];
    class Recording extends Local {
      // Promise<never> fits every overload of run().
      override run(command: string, _options?: RunOptions): Promise<never> {
        seen.push(command);
        return Promise.resolve(new Result({ command })) as Promise<never>;
      }
    }
    const config = new Config();
    config.set("runners.local", Recording);
    const result = await new Context(config).cd("/srv").run("ls");
    expect(seen).toEqual(["cd /srv && ls"]);
    expect(result.command).toBe("cd /srv && ls");
  });
});

describe("running in a directory (real bash)", () => {
  let base: string;
  beforeAll(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), "ctx-")));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it("cd applies to the command, whatever the directory is called", async () => {
    const c = new Context();
    const odd = "sp ace$'quote\"*[x]";
    await c.run(`mkdir -p ${join(base, odd).replace(/[^/\w-]/g, "\\$&")}`, { hide: true, inStream: false });
    const result = await c.cd(base).cd(odd).run("pwd", { hide: true, inStream: false });
    expect(result.stdout).toBe(`${join(base, odd)}\n`);
  });

  it("prefix runs before the command in the same shell", async () => {
    const result = await new Context()
      .prefix("export GREETING=hi")
      .run("echo $GREETING", { hide: true, inStream: false });
    expect(result.stdout).toBe("hi\n");
  });
});
