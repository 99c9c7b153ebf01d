// What users install is what this tests: the four packages packed with `pnpm pack`, installed with npm
// from the tarballs into fresh projects outside the workspace (each layer alone, and all together),
// then used there as a user would: plain .mjs imports, a strict TypeScript check with skipLibCheck off,
// `npx fab --version`, and a fabfile.ts task run by the installed `fab` against a real sshd.
//
// Runs on whatever Node runs vitest (CI runs it on Node 20, 22 and 24); npm runs on that Node too,
// so native parts (ssh2's crypto binding) are built for it. Third-party dependencies come from the
// npm registry (or npm's cache).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { type SshdHarness, startSshd } from "@fabric-ts/testing";
import { describeWithSshd } from "@fabric-ts/testing/vitest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without declarations
import { PUBLISHED, packPackages } from "../../../../scripts/pack-packages.mjs";

type Layer = "invoke" | "ssh-core" | "fabric" | "testing";

/** Each project: the layer under test plus the @fabric-ts packages it depends on, nothing else. */
const PROJECTS: Record<string, Layer[]> = {
  invoke: ["invoke"],
  "ssh-core": ["ssh-core"],
  fabric: ["invoke", "ssh-core", "fabric"],
  all: ["invoke", "ssh-core", "fabric", "testing"],
};

const NODE = process.execPath;
const NODE_MAJOR = Number(process.versions.node.split(".")[0]);
const TSC = createRequire(import.meta.url).resolve("typescript/lib/tsc.js");
/** npm and npx run on the same Node as this test (their `#!/usr/bin/env node` finds it first). */
const ENV = {
  ...process.env,
  PATH: `${dirname(NODE)}${delimiter}${process.env.PATH ?? ""}`,
  npm_config_update_notifier: "false",
};

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = ENV): Ran {
  const r = spawnSync(command, args, { cwd, env, encoding: "utf8", timeout: 600_000 });
  return {
    code: r.status,
    stdout: r.stdout ?? "",
    stderr: `${r.stderr ?? ""}${r.error ? String(r.error) : ""}`,
  };
}

function expectOk(r: Ran, what: string): void {
  expect(r.code, `${what} failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
}

/** The main API of each layer, used from plain JavaScript. */
const MJS: Record<Layer, string> = {
  invoke: `
import { Context, Collection, task, Config } from "@fabric-ts/invoke";
import { MockContext } from "@fabric-ts/invoke/testing";
const c = new Context();
const r = await c.run("echo from-invoke", { hide: true });
if (r.stdout.trim() !== "from-invoke") throw new Error("unexpected: " + r.stdout);
for (const f of [Collection, task, Config, MockContext]) if (typeof f !== "function") throw new Error("missing export");
// node-pty is an optional peer, not installed here: pty: true names the fix.
try {
  await c.run("true", { pty: true, fallback: false, hide: true });
  throw new Error("pty: true ran without node-pty");
} catch (e) {
  if (!/npm install node-pty/.test(e.message)) throw e;
}
console.log("ok invoke");
`,
  "ssh-core": `
import { SshClient } from "@fabric-ts/ssh-core";
import { resolveSshConfig } from "@fabric-ts/ssh-core/ssh-config";
import * as early from "@fabric-ts/ssh-core/early-dial";
if (typeof SshClient.connect !== "function" || typeof resolveSshConfig !== "function") throw new Error("missing export");
if (Object.keys(early).length === 0) throw new Error("missing export");
console.log("ok ssh-core");
`,
  fabric: `
import { Connection, ThreadingGroup, SerialGroup, task } from "@fabric-ts/fabric";
import { MockConnection } from "@fabric-ts/fabric/testing";
const c = new Connection("deploy@web1:2222");
if (c.host !== "web1" || c.port !== 2222 || c.user !== "deploy") throw new Error("parsed " + c.host + ":" + c.port);
for (const f of [ThreadingGroup, SerialGroup, task, MockConnection]) if (typeof f !== "function") throw new Error("missing export");
console.log("ok fabric");
`,
  testing: `
import { startSshd, startEmbeddedHosts, sendExitAfterEof } from "@fabric-ts/testing";
import { BoundedRunner } from "@fabric-ts/testing/fuzz";
import * as testing from "@fabric-ts/testing/testing";
if ([startSshd, startEmbeddedHosts, sendExitAfterEof, BoundedRunner].some((f) => typeof f !== "function")) throw new Error("missing export");
// The /vitest entry needs vitest (an optional peer, not installed here); the main entry must not.
let vitestEntry = "loaded";
try { await import("@fabric-ts/testing/vitest"); } catch (e) { vitestEntry = e.code === "ERR_MODULE_NOT_FOUND" && /vitest/.test(e.message) ? "needs vitest" : String(e); }
if (vitestEntry !== "needs vitest") throw new Error("/vitest entry: " + vitestEntry);
void testing;
console.log("ok testing");
`,
};

/** Each layer's main API with its types, under `strict` and `skipLibCheck: false`. */
const TS: Record<Layer, string> = {
  invoke: `
import { Context, task, type Result } from "@fabric-ts/invoke";
import { z } from "zod";
export const build = task({ doc: "Build.", args: { target: z.string().default("all") } }, async (c, { target }) => {
  const r: Result = await c.run(\`make \${target}\`, { warn: true, hide: true });
  return r.exited;
});
export async function local(): Promise<string> {
  const c = new Context();
  return (await c.run("uname", { hide: true })).stdout;
}
`,
  "ssh-core": `
import { SshClient } from "@fabric-ts/ssh-core";
export async function remote(host: string): Promise<number | null> {
  const client = await SshClient.connect({ host, username: "deploy" });
  try {
    const { stdout, exitCode } = await client.run("uname -a");
    console.log(stdout.trim());
    return exitCode;
  } finally {
    await client.close();
  }
}
`,
  fabric: `
import { Connection, ThreadingGroup, task } from "@fabric-ts/fabric";
import { z } from "zod";
export const deploy = task({ args: { branch: z.string().default("main") } }, async (c, { branch }) => {
  await c.run(\`git checkout \${branch}\`);
});
export async function fleet(): Promise<void> {
  const c = new Connection("deploy@web1:2222");
  try {
    const { stdout } = await c.run("cat /etc/os-release", { hide: true });
    console.log(stdout);
  } finally {
    await c.close();
  }
  const group = new ThreadingGroup("web1", "web2", { concurrency: 10 });
  const results = await group.run("uptime", { hide: true });
  for (const [conn, r] of results.succeeded) console.log(conn.originalHost, r.stdout.trim());
  await group.close();
}
`,
  testing: `
import { startSshd, type SshdHarness } from "@fabric-ts/testing";
export async function withSshd(): Promise<string> {
  const sshd: SshdHarness = await startSshd({ hosts: 1 });
  try {
    return sshd.sshConfigPath;
  } finally {
    await sshd.stop();
  }
}
`,
};

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    skipLibCheck: false,
    noEmit: true,
    types: ["node"],
  },
  include: ["*.ts"],
};

const FABFILE = `
import { task } from "@fabric-ts/fabric";

export const hello = task({ doc: "Say hello from the remote host." }, async (c) => {
  const r = await c.run("echo hello-from-$(id -un)", { hide: true });
  console.log(\`got \${r.stdout.trim()}\`);
});
`;

let root = "";
let tarballs: Record<Layer, string>;
const projects = new Map<string, string>();

/** A fresh npm project in the temp dir with the given tarballs (and @types/node for this Node). */
function installProject(name: string, layers: Layer[]): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(
    join(dir, "package.json"),
    `${JSON.stringify({ name: `consumer-${name}`, private: true, type: "module" })}\n`,
  );
  const r = run(
    "npm",
    [
      "install",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      ...layers.map((l) => tarballs[l]),
      `@types/node@${NODE_MAJOR}`,
    ],
    dir,
  );
  expectOk(r, `npm install in ${name}`);
  return dir;
}

beforeAll(() => {
  // Outside the workspace: no pnpm links, no hoisted workspace node_modules above the projects.
  root = mkdtempSync(join(tmpdir(), "fabts-consumer-"));
  tarballs = packPackages(join(root, "packs")) as Record<Layer, string>;
  for (const [name, layers] of Object.entries(PROJECTS)) projects.set(name, installProject(name, layers));
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe(`packed packages installed with npm (Node ${process.versions.node})`, () => {
  it("every tarball's package.json is what a registry user may get", () => {
    for (const layer of PUBLISHED as Layer[]) {
      const dir = join(projects.get("all") ?? "", "node_modules", "@fabric-ts", layer);
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      const text = JSON.stringify(pkg);
      expect(text, layer).not.toContain('"source"');
      expect(text, layer).not.toContain("workspace:");
      expect(pkg.repository?.url, layer).toMatch(/^git\+https:/);
      expect(pkg.homepage, layer).toMatch(/^https:/);
      expect(pkg.bugs?.url, layer).toMatch(/^https:/);
      for (const file of ["LICENSE", "README.md", "CHANGELOG.md"])
        expect(existsSync(join(dir, file)), `${layer}/${file}`).toBe(true);
      expect(readFileSync(join(dir, "LICENSE"), "utf8")).toContain("MIT License");
      // Every export target is in the tarball.
      for (const [subpath, target] of Object.entries(
        pkg.exports as Record<string, string | Record<string, string>>,
      )) {
        for (const file of typeof target === "string" ? [target] : Object.values(target)) {
          expect(existsSync(join(dir, file)), `${layer} exports ${subpath} → ${file}`).toBe(true);
        }
      }
      // README links to docs/ resolve inside the tarball.
      const readme = readFileSync(join(dir, "README.md"), "utf8");
      for (const [, link] of readme.matchAll(/\]\((docs\/[^)#]+)/g)) {
        expect(existsSync(join(dir, link ?? "")), `${layer} README → ${link}`).toBe(true);
      }
    }
  });

  for (const [name, layers] of Object.entries(PROJECTS)) {
    describe(`project "${name}" (${layers.join(" + ")})`, () => {
      it("installs only its own layers, without node-pty or vitest (optional peers)", () => {
        const dir = projects.get(name) ?? "";
        for (const layer of PUBLISHED as Layer[]) {
          expect(existsSync(join(dir, "node_modules", "@fabric-ts", layer)), layer).toBe(
            layers.includes(layer),
          );
        }
        expect(existsSync(join(dir, "node_modules", "node-pty"))).toBe(false);
        expect(existsSync(join(dir, "node_modules", "vitest"))).toBe(false);
      });

      it("imports every layer from plain .mjs", () => {
        const dir = projects.get(name) ?? "";
        for (const layer of layers) {
          writeFileSync(join(dir, `check-${layer}.mjs`), MJS[layer]);
          const r = run(NODE, [`check-${layer}.mjs`], dir);
          expectOk(r, `node check-${layer}.mjs`);
          expect(r.stdout).toContain(`ok ${layer}`);
        }
      });

      it("type-checks a strict TypeScript file per layer with skipLibCheck: false", () => {
        const dir = projects.get(name) ?? "";
        writeFileSync(join(dir, "tsconfig.json"), JSON.stringify(TSCONFIG, null, 2));
        for (const layer of layers) writeFileSync(join(dir, `use-${layer}.ts`), TS[layer]);
        const r = run(NODE, [TSC, "-p", "tsconfig.json"], dir);
        expect(r.stdout, "tsc output").toBe("");
        expectOk(r, "tsc");
      });
    });
  }

  it("`npx fab --version` and `npx inv --version` run from the installed bins", () => {
    const fab = run("npx", ["--no-install", "fab", "--version"], projects.get("fabric") ?? "");
    expectOk(fab, "npx fab --version");
    expect(fab.stdout).toMatch(/fabric-ts\S* 0\.1\.0|0\.1\.0/);
    const inv = run("npx", ["--no-install", "inv", "--version"], projects.get("invoke") ?? "");
    expectOk(inv, "npx inv --version");
    expect(inv.stdout).toMatch(/0\.1\.0/);
  });
});

describeWithSshd("installed `fab` runs a fabfile.ts task against real sshd", () => {
  let sshd: SshdHarness;
  beforeAll(async () => {
    sshd = await startSshd({ hosts: 1 });
  });
  afterAll(async () => {
    await sshd?.stop();
  });

  it("fab -S <ssh_config> -H host1 hello", () => {
    const dir = projects.get("fabric") ?? "";
    writeFileSync(join(dir, "fabfile.ts"), FABFILE);
    // A clean HOME: only the harness's ssh_config applies.
    const home = join(root, "home");
    mkdirSync(home, { recursive: true });
    const r = run("npx", ["--no-install", "fab", "-S", sshd.sshConfigPath, "-H", "host1", "hello"], dir, {
      ...ENV,
      HOME: home,
    });
    expectOk(r, "fab hello");
    expect(r.stdout).toContain(`got hello-from-${sshd.user}`);
  });
});
