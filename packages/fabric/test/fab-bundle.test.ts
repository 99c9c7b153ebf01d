/**
 * The `fab` bin as installed (bin/fab.js on the built dist/): ad-hoc commands run from the bundled
 * CLI (dist/cli/), anything with a tasks file from the regular modules, so that a fabfile and the CLI
 * share one copy of the library. Needs `pnpm build` (the repository's test command builds first).
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeWithSshd, type SshdHarness, startSshd } from "./support/fabric-sshd.js";

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..");
const BIN = join(packageDir, "bin", "fab.js");
const BUNDLE = join(packageDir, "dist", "cli", "fab.cjs");

// Logs every module URL the child loads, to tell which entry ran: ES modules as they load, CommonJS
// files (the bundle) at exit.
const LOAD_LOG_HOOKS = `export async function load(url, context, next) {
  process._rawDebug("LOADED " + url);
  return next(url, context);
}`;
const CJS_LOG = `process.on("exit", () => {
  for (const file of Object.keys(require("node:module")._cache)) process._rawDebug("LOADED file://" + file);
});`;

describeWithSshd("the installed fab bin", () => {
  let hosts: SshdHarness;
  let dir: string;
  let register: string;

  beforeAll(async () => {
    hosts = await startSshd({ hosts: 1 });
    dir = await mkdtemp(join(tmpdir(), "fab-bundle-"));
    await writeFile(join(dir, "hooks.mjs"), LOAD_LOG_HOOKS);
    register = join(dir, "register.mjs");
    await writeFile(
      register,
      `import { register } from "node:module";\nregister(${JSON.stringify(`file://${join(dir, "hooks.mjs")}`)});\n`,
    );
    await writeFile(join(dir, "cjs-log.cjs"), CJS_LOG);
    // A project whose fabfile imports the library as a user's would.
    const project = join(dir, "project");
    await mkdir(join(project, "node_modules", "@fabric-ts"), { recursive: true });
    await symlink(packageDir, join(project, "node_modules", "@fabric-ts", "fabric"));
    await writeFile(
      join(project, "fabfile.mjs"),
      [
        'import { Connection, task } from "@fabric-ts/fabric";',
        "export const probe = task({}, async (c) => {",
        '  const r = await c.run("echo remote", { hide: true });',
        '  console.log("instanceof=" + (c instanceof Connection) + " out=" + r.stdout.trim());',
        "});",
      ].join("\n"),
    );
  });
  afterAll(async () => {
    await hosts?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function fab(args: readonly string[], cwd: string) {
    const result = spawnSync(
      process.execPath,
      ["--import", register, "--require", join(dir, "cjs-log.cjs"), BIN, "-S", hosts.sshConfigPath, ...args],
      {
        cwd,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    const loaded = result.stderr.split("\n").filter((line) => line.startsWith("LOADED "));
    const stderr = result.stderr
      .split("\n")
      .filter((line) => !line.startsWith("LOADED "))
      .join("\n");
    return { stdout: result.stdout, stderr, code: result.status, loaded };
  }
  const usedBundle = (loaded: string[]) => loaded.some((url) => url.endsWith("/dist/cli/fab.cjs"));
  const usedRegular = (loaded: string[]) => loaded.some((url) => url.endsWith("/dist/bundle/bin/fab.js"));

  it("has been built", () => {
    expect(existsSync(BUNDLE), "run `pnpm build` first").toBe(true);
  });

  it("runs `-H h -- cmd` from the bundle, with the command's output and exit code", () => {
    const ok = fab(["-H", "host1", "--", "echo bundled-ok"], dir);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe("bundled-ok\n");
    expect(usedBundle(ok.loaded)).toBe(true);
    expect(usedRegular(ok.loaded)).toBe(false);

    const failed = fab(["-H", "host1", "--", "exit 3"], dir);
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('"exit 3" exited 3');
  });

  it("loads ssh2's client parts only (not its server, HTTP agents, node:http/https/tls)", async () => {
    const probe = join(dir, "probe.cjs");
    await writeFile(
      probe,
      `process.on("exit", () => process._rawDebug("MODULES " + JSON.stringify({
        builtins: process.moduleLoadList.filter((m) => m.startsWith("NativeModule ")).map((m) => m.slice(13)),
        files: Object.keys(require("node:module")._cache),
      })));`,
    );
    const result = spawnSync(
      process.execPath,
      ["--require", probe, BIN, "-S", hosts.sshConfigPath, "-H", "host1", "--", "echo client-only"],
      {
        cwd: dir,
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir },
        encoding: "utf8",
        timeout: 60_000,
      },
    );
    expect(result.stdout).toBe("client-only\n");
    const line = result.stderr.split("\n").find((l) => l.startsWith("MODULES "));
    const { builtins, files } = JSON.parse(line!.slice("MODULES ".length)) as Record<string, string[]>;
    expect(files!.some((f) => f.endsWith("/dist/cli/fab.cjs"))).toBe(true);
    expect(files!.some((f) => f.endsWith("/ssh2/lib/client.js"))).toBe(true);
    expect(files!.filter((f) => /\/ssh2\/lib\/(index|server|http-agents)\.js$/.test(f))).toEqual([]);
    expect(builtins!.filter((m) => ["http", "https", "tls"].includes(m))).toEqual([]);
  });

  it("compiles the bundle through a V8 code cache under ~/.cache, written once and then reused", async () => {
    const cacheRoot = join(dir, ".cache", "fabric-ts", "code-cache");
    await rm(cacheRoot, { recursive: true, force: true });
    const entries = async () => {
      const [version] = await readdir(cacheRoot);
      const files = await readdir(join(cacheRoot, version!));
      return Promise.all(
        files.map(async (f) => `${f} ${(await stat(join(cacheRoot, version!, f))).mtimeMs}`),
      );
    };
    expect(fab(["-H", "host1", "--", "echo cached"], dir).stdout).toBe("cached\n");
    const first = await entries();
    // The bundle's chunks and ssh2's files.
    expect(first.length).toBeGreaterThan(10);
    expect(fab(["-H", "host1", "--", "echo cached"], dir).stdout).toBe("cached\n");
    expect(await entries()).toEqual(first);
  });

  it("hands a task run to the regular modules, so the fabfile sees the same Connection class", () => {
    const run = fab(["-H", "host1", "probe", "--", "true"], join(dir, "project"));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("instanceof=true out=remote");
    expect(usedRegular(run.loaded)).toBe(true);
  });

  it("uses the regular modules when there is no `--` at all", () => {
    const run = fab(["--list"], join(dir, "project"));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("probe");
    expect(usedBundle(run.loaded)).toBe(false);
  });
});
