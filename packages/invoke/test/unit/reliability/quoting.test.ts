// cd() and sudo() build shell command lines; hostile strings must reach bash as literal data.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Context } from "../../../src/context.js";
import { quotePath } from "../../../src/quote.js";
import { buildSudoCommand } from "../../../src/sudo.js";

const HOSTILE = [
  "-n",
  "--",
  "-",
  "it's",
  'say "hi"',
  "$(touch pwned)",
  "`touch pwned`",
  "a; touch pwned",
  "two\nlines",
  "ünï ☃",
  "star *",
  "back\\slash",
];

describe("hostile directory names through cd() into real bash", () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), "invoke-quoting-"));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it.each(HOSTILE)("cd(%j) lands in exactly that directory and runs nothing", async (name) => {
    await mkdir(join(root, name), { recursive: true });
    const c = new Context().cd(root).cd(name);
    const result = await c.run('printf %s "$PWD"', { hide: true });
    expect(result.stdout).toBe(join(root, name));
    // Relative first component too (the form where a leading "-" used to become a cd option).
    const relative = await new Context().run(`cd ${quotePath(name)} && printf %s "$PWD"`, {
      hide: true,
      shell: "/bin/bash",
      env: {},
      warn: true,
      inStream: false,
    });
    expect(relative.ok).toBe(false); // not found from the current directory: but never an option error
    expect(relative.stderr).not.toMatch(/invalid option|usage/i);
    expect(existsSync(join(root, "pwned"))).toBe(false);
    expect(existsSync("pwned")).toBe(false);
  });

  it("quotePath never lets a relative path start with '-'", () => {
    expect(quotePath("-n")).toBe("./-n");
    expect(quotePath("-")).toBe("./-");
    expect(quotePath("/-n")).toBe("/-n");
    expect(quotePath("~/-n")).toBe("~/-n");
  });

  it.each(["nobody$(touch pwned)", "a b", "x'; touch pwned; '", "-s"])(
    "sudo -u %j stays one argument (checked with bash's own word splitting)",
    async (user) => {
      const line = buildSudoCommand({
        command: "true",
        prompt: "[sudo] password: ",
        user,
        envKeys: [],
        shell: "/bin/bash",
        locale: undefined,
      });
      // Replace sudo with a printer of its arguments, one per line.
      const probe = line.replace(/^LC_ALL=C sudo /, "printf '%s\\n' ");
      const result = await new Context().run(probe, { hide: true, inStream: false });
      const args = result.stdout.split("\n");
      expect(args[args.indexOf("-u") + 1]).toBe(user);
      expect(existsSync("pwned")).toBe(false);
    },
  );
});
