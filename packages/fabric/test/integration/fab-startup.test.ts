/**
 * The installed `fab` bin with a TypeScript fabfile (zod arguments, a local helper module), as a
 * user runs it: `fab --list` loads no SSH code, and a task loads ssh2 when it first connects, then
 * runs against real sshd. The children run on this Node, or on the one `FABRIC_TS_TEST_NODE` names
 * (e.g. a Node 24 binary, where the fabfile loads through Node's own type stripping). Needs
 * `pnpm build`.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { describeWithSshd, type SshdHarness, startSshd } from "../support/fabric-sshd.js";

// Each test starts Node processes (and sshd logins): slow when the machine is shared.
vi.setConfig({ testTimeout: 120_000 });

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BIN = join(packageDir, "bin", "fab.js");
const NODE = process.env.FABRIC_TS_TEST_NODE ?? process.execPath;

const FABFILE = `import { task } from "@fabric-ts/fabric";
import { z } from "zod";
import { greeting, type Plan } from "./lib/plan.ts";


export const deploy = task(
  { doc: "Plan and greet.", args: { branch: z.string().default("main"), keep: z.coerce.number().int().default(5) } },
  async (c, { branch, keep }) => {
    const plan: Plan = { branch, keep };
    const result = await c.run(\`echo \${greeting(plan)}\`, { hide: true });
    console.log("remote said " + result.stdout.trim());
  },
);

export const status = task({ doc: "Show uptime." }, async (c) => {
  await c.run("uptime");
});
`;

const HELPER = `export interface Plan { branch: string; keep: number }
export function greeting(plan: Plan): string {
  return \`\${plan.branch}-\${plan.keep}\`;
}
`;

// Written at exit: every CommonJS file the process loaded (ssh2 is CommonJS) and Node's builtins.
const PROBE = `process.on("exit", () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => "node:" + m.slice(13));
  process._rawDebug("LOADED " + JSON.stringify([...Object.keys(require("node:module")._cache), ...builtins]));
});`;

describeWithSshd("fab with a TypeScript fabfile, as installed", () => {
  let hosts: SshdHarness;
  let dir: string;
  let project: string;

  beforeAll(async () => {
    hosts = await startSshd({ hosts: 1 });
    dir = await mkdtemp(join(tmpdir(), "fab-startup-"));
    await writeFile(join(dir, "probe.cjs"), PROBE);
    project = join(dir, "project");
    await mkdir(join(project, "lib"), { recursive: true });
    await mkdir(join(project, "node_modules", "@fabric-ts"), { recursive: true });
    await symlink(packageDir, join(project, "node_modules", "@fabric-ts", "fabric"));
    const zodDir = dirname(createRequire(join(packageDir, "package.json")).resolve("zod/package.json"));
    await symlink(zodDir, join(project, "node_modules", "zod"));
    await writeFile(join(project, "fabfile.ts"), FABFILE);
    await writeFile(join(project, "lib", "plan.ts"), HELPER);
  });
  afterAll(async () => {
    await hosts?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function fab(args: readonly string[]) {
    const result = spawnSync(
      NODE,
      ["--require", join(dir, "probe.cjs"), BIN, "-S", hosts.sshConfigPath, ...args],
      {
        cwd: project,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    const line = result.stderr.split("\n").find((l) => l.startsWith("LOADED "));
    const loaded = line ? (JSON.parse(line.slice("LOADED ".length)) as string[]) : [];
    const stderr = result.stderr
      .split("\n")
      .filter((l) => !l.startsWith("LOADED "))
      .join("\n");
    return { stdout: result.stdout, stderr, code: result.status, loaded };
  }
  const ssh2Files = (loaded: string[]) => loaded.filter((file) => /[\\/]ssh2[\\/]lib[\\/]/.test(file));

  it("has been built", () => {
    expect(existsSync(join(packageDir, "dist", "bundle", "bin", "fab.js")), "run `pnpm build` first").toBe(
      true,
    );
  });

  it("lists the fabfile's tasks without loading ssh2", () => {
    const listed = fab(["--list"]);
    expect(listed.stderr).toBe("");
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/deploy +Plan and greet\./);
    expect(listed.stdout).toMatch(/status +Show uptime\./);
    expect(listed.loaded.length).toBeGreaterThan(0);
    expect(ssh2Files(listed.loaded)).toEqual([]);
  });

  it("shows a task's help (its zod arguments) without loading ssh2", () => {
    const help = fab(["--help", "deploy"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--branch");
    expect(ssh2Files(help.loaded)).toEqual([]);
  });

  it("runs a task with zod arguments and the helper module against sshd, loading ssh2 to connect", () => {
    const run = fab(["-H", "host1", "deploy", "--branch", "release", "--keep", "3"]);
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("remote said release-3\n");
    expect(run.code).toBe(0);
    // ssh2's client parts only: not its index, server or HTTP(S) agents, nor node:http/https/tls.
    expect(ssh2Files(run.loaded).some((file) => file.endsWith("client.js"))).toBe(true);
    expect(ssh2Files(run.loaded).filter((file) => /[\\/](index|server|http-agents)\.js$/.test(file))).toEqual(
      [],
    );
    expect(run.loaded.filter((name) => ["node:http", "node:https", "node:tls"].includes(name))).toEqual([]);
  });

  it("reports a bad zod argument without connecting", () => {
    const bad = fab(["-H", "host1", "deploy", "--keep", "many"]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toMatch(/keep/);
    expect(ssh2Files(bad.loaded)).toEqual([]);
  });
});
