/**
 * How TypeScript tasks files load (src/loader/typescript.ts): natively where Node strips types, else
 * through jiti with its transforms cached on disk (src/loader/transform-cache.ts). Each load runs in
 * a fresh Node process, as `inv`/`fab` do, through the built package (`pnpm build` first). The
 * children run on this Node, or on the one `FABRIC_TS_TEST_NODE` names (e.g. a Node 24 binary).
 */
import { spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it, vi } from "vitest";
import { MAX_CACHE_ENTRIES, pruneCache, transformCacheDir } from "../../src/loader/transform-cache.js";

// Each test starts Node processes: slow when the machine is shared.
vi.setConfig({ testTimeout: 120_000 });

const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BUILT = join(packageDir, "dist", "bundle", "index.js");
const NODE = process.env.FABRIC_TS_TEST_NODE ?? process.execPath;

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  roots.push(dir);
  return dir;
}

/** A project with a tasks.ts that imports a local TypeScript module. */
function project(helperValue: string, specifier = "./lib/helper.ts"): string {
  const root = tempDir("inv-ts-");
  mkdirSync(join(root, "lib"));
  writeFileSync(
    join(root, "lib", "helper.ts"),
    `export interface Shape { value: string }\nexport const shape: Shape = { value: ${JSON.stringify(helperValue)} };\n`,
  );
  writeFileSync(
    join(root, "tasks.ts"),
    `import { type Shape, shape } from ${JSON.stringify(specifier)};\nconst copy: Shape = { ...shape };\nexport const value: string = copy.value;\n`,
  );
  return root;
}

interface ChildLoad {
  value: unknown;
  /** jiti was loaded (the TypeScript went through it). */
  jiti: boolean;
  /** jiti's transformer was loaded (some file was transformed, not read from the cache). */
  transformed: boolean;
  /** `process.features.typescript` of the child's Node. */
  nativeTypeScript: boolean;
  error?: string;
}

const CHILD = `
import { createRequire } from "node:module";

const { FilesystemLoader } = await import(${JSON.stringify(BUILT)});
const files = () => Object.keys(createRequire(import.meta.url).cache);
let value, error;
try {
  value = (await new FilesystemLoader({ start: process.argv[1] }).load("tasks")).module.value;
} catch (e) {
  error = String(e && e.stack || e);
}
console.log(JSON.stringify({
  value,
  error,
  jiti: files().some((f) => /[\\\\/]jiti[\\\\/]dist[\\\\/]jiti\\.cjs$/.test(f)),
  transformed: files().some((f) => /[\\\\/]jiti[\\\\/]dist[\\\\/]babel\\.cjs$/.test(f)),
  nativeTypeScript: Boolean(process.features.typescript),
}));
`;

/** Loads `root`'s tasks.ts in a fresh Node process with these environment settings. */
function load(root: string, env: NodeJS.ProcessEnv): ChildLoad {
  expect(existsSync(BUILT), "run `pnpm build` first").toBe(true);
  const result = spawnSync(NODE, ["--input-type=module", "-e", CHILD, root], {
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: root, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  const line = result.stdout.trim().split("\n").pop() ?? "";
  if (!line.startsWith("{")) throw new Error(`child failed: ${result.stderr}`);
  return JSON.parse(line) as ChildLoad;
}

/** `name → mtime` of every entry in a cache directory. */
function entries(dir: string): Record<string, number> {
  if (!existsSync(dir)) return {};
  return Object.fromEntries(readdirSync(dir).map((name) => [name, statSync(join(dir, name)).mtimeMs]));
}

describe("the transform cache (Node without type stripping, or FABRIC_TS_TYPESCRIPT=jiti)", () => {
  it("transforms on the first run and writes one entry per file; the next run reads them, no transformer loaded", () => {
    const root = project("first");
    const cache = join(tempDir("inv-cache-"), "transform");
    const env = { FABRIC_TS_TYPESCRIPT: "jiti", FABRIC_TS_TRANSFORM_CACHE: cache };

    const miss = load(root, env);
    expect(miss).toMatchObject({ value: "first", jiti: true, transformed: true });
    const written = entries(cache);
    expect(Object.keys(written)).toHaveLength(2); // tasks.ts and lib/helper.ts
    expect(statSync(cache).mode & 0o777).toBe(0o700);

    const hit = load(root, env);
    expect(hit).toMatchObject({ value: "first", jiti: true, transformed: false });
    expect(entries(cache)).toEqual(written);
  });

  it("transforms an edited file again and replaces its entry, so the edit takes effect", () => {
    const root = project("before");
    const cache = join(tempDir("inv-cache-"), "transform");
    const env = { FABRIC_TS_TYPESCRIPT: "jiti", FABRIC_TS_TRANSFORM_CACHE: cache };
    expect(load(root, env).value).toBe("before");
    const before = Object.fromEntries(
      readdirSync(cache).map((name) => [name, readFileSync(join(cache, name), "utf8")]),
    );

    writeFileSync(
      join(root, "lib", "helper.ts"),
      'export const shape: { value: string } = { value: "after" };\n',
    );
    const edited = load(root, env);
    expect(edited).toMatchObject({ value: "after", transformed: true });
    const after = Object.fromEntries(
      readdirSync(cache).map((name) => [name, readFileSync(join(cache, name), "utf8")]),
    );
    // Same entries (one per file), the helper's content replaced, the tasks file's untouched.
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    const changed = Object.keys(after).filter((name) => after[name] !== before[name]);
    expect(changed).toHaveLength(1);
    expect(changed[0]).toContain("helper");
    expect(load(root, env)).toMatchObject({ value: "after", transformed: false });
  });

  it("loads without a cache when the directory cannot be created, and writes nothing", () => {
    const root = project("unwritable");
    const base = tempDir("inv-cache-");
    writeFileSync(join(base, "not-a-dir"), "");
    const cache = join(base, "not-a-dir", "transform");
    const env = { FABRIC_TS_TYPESCRIPT: "jiti", FABRIC_TS_TRANSFORM_CACHE: cache };
    expect(load(root, env)).toMatchObject({ value: "unwritable", transformed: true });
    expect(load(root, env)).toMatchObject({ value: "unwritable", transformed: true });
    expect(readdirSync(base)).toEqual(["not-a-dir"]);
  });

  it("loads without a cache when the path is a file, or the cache is turned off", () => {
    const root = project("off");
    const base = tempDir("inv-cache-");
    const file = join(base, "transform");
    writeFileSync(file, "not a directory");
    expect(load(root, { FABRIC_TS_TYPESCRIPT: "jiti", FABRIC_TS_TRANSFORM_CACHE: file })).toMatchObject({
      value: "off",
      transformed: true,
    });
    expect(readFileSync(file, "utf8")).toBe("not a directory");

    // `off`: not even the default directory under $HOME (the child's HOME is the project).
    expect(load(root, { FABRIC_TS_TYPESCRIPT: "jiti", FABRIC_TS_TRANSFORM_CACHE: "off" })).toMatchObject({
      value: "off",
      transformed: true,
    });
    expect(existsSync(join(root, ".cache"))).toBe(false);
  });

  it("is bounded: past the limit the least recently written entries go", () => {
    const root = project("bounded");
    const cache = join(tempDir("inv-cache-"), "transform");
    mkdirSync(cache, { recursive: true });
    const old = Date.now() / 1000 - 3600;
    for (let i = 0; i < MAX_CACHE_ENTRIES + 40; i++) {
      const path = join(cache, `stale-${i}.mjs`);
      writeFileSync(path, "");
      utimesSync(path, old + i, old + i);
    }
    expect(load(root, { FABRIC_TS_TYPESCRIPT: "jiti", FABRIC_TS_TRANSFORM_CACHE: cache }).value).toBe(
      "bounded",
    );
    const names = readdirSync(cache);
    expect(names).toHaveLength(MAX_CACHE_ENTRIES);
    // The two new entries stay; the oldest stale ones went.
    expect(names.filter((name) => !name.startsWith("stale-"))).toHaveLength(2);
    expect(names).not.toContain("stale-0.mjs");
    expect(names).toContain(`stale-${MAX_CACHE_ENTRIES + 39}.mjs`);
  });
});

describe("pruneCache and transformCacheDir", () => {
  it("pruneCache removes the oldest entries beyond the limit and nothing below it", () => {
    const dir = tempDir("inv-prune-");
    const base = Date.now() / 1000 - 100;
    for (let i = 0; i < 6; i++) {
      writeFileSync(join(dir, `e${i}`), "");
      utimesSync(join(dir, `e${i}`), base + i, base + i);
    }
    expect(pruneCache(dir, 10)).toBe(0);
    expect(pruneCache(dir, 4)).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(["e2", "e3", "e4", "e5"]);
    expect(pruneCache(join(dir, "missing"), 1)).toBe(0);
  });

  it("transformCacheDir: off, an absolute path, $XDG_CACHE_HOME, else ~/.cache", () => {
    expect(transformCacheDir({ FABRIC_TS_TRANSFORM_CACHE: "off" })).toBeNull();
    expect(transformCacheDir({ FABRIC_TS_TRANSFORM_CACHE: "0" })).toBeNull();
    expect(transformCacheDir({ FABRIC_TS_TRANSFORM_CACHE: "/var/cache/x" })).toBe("/var/cache/x");
    expect(transformCacheDir({ XDG_CACHE_HOME: "/xdg" })).toBe("/xdg/fabric-ts/transform");
    expect(transformCacheDir({})).toMatch(/\/\.cache\/fabric-ts\/transform$/);
  });
});

describe("Node's own type stripping", () => {
  it("imports the file natively where Node strips types (jiti never loaded), else through jiti", () => {
    const root = project("native");
    const cache = join(tempDir("inv-cache-"), "transform");
    const loaded = load(root, { FABRIC_TS_TRANSFORM_CACHE: cache });
    expect(loaded.value).toBe("native");
    if (loaded.nativeTypeScript) {
      expect(loaded).toMatchObject({ jiti: false, transformed: false });
      expect(existsSync(cache)).toBe(false);
    } else {
      expect(loaded).toMatchObject({ jiti: true, transformed: true });
      expect(Object.keys(entries(cache))).toHaveLength(2);
    }
  });

  it("falls back to jiti for what Node does not resolve (`./helper.js` for helper.ts), before running anything", () => {
    const root = project("fallback", "./lib/helper.js");
    const cache = join(tempDir("inv-cache-"), "transform");
    const loaded = load(root, { FABRIC_TS_TRANSFORM_CACHE: cache });
    expect(loaded).toMatchObject({ value: "fallback", jiti: true });
  });
});
