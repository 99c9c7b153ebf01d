// The bundled CLI's V8 code cache (src/bin/code-cache.ts), on small CommonJS files in child processes
// (each run is a fresh process, as each `fab` is).
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultCodeCacheDir } from "../src/bin/code-cache.js";

const CODE_CACHE = join(dirname(fileURLToPath(import.meta.url)), "..", "src", "bin", "code-cache.ts");

/**
 * In a fresh process, require `file` through a CodeCache in `cacheDir` (the compiled module in dist/:
 * needs `pnpm build`); returns what the file exported and the cache's stats.
 */
function requireThroughCache(
  file: string,
  cacheDir: string,
): Promise<{ value: string; hits: number; misses: number }> {
  const compiled = CODE_CACHE.replace(`${join("src", "bin")}`, join("dist", "bin")).replace(/\.ts$/, ".js");
  const script = `
    import { createRequire } from "node:module";
    import { CodeCache } from ${JSON.stringify(compiled)};
    const cache = new CodeCache({ dir: ${JSON.stringify(cacheDir)}, include: (f) => f.endsWith(".cjs") });
    cache.install();
    const value = createRequire(import.meta.url)(${JSON.stringify(file)});
    process.stdout.write(JSON.stringify({ value: String(value.value ?? value), ...cache.stats }));
  `;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--input-type=module", "-e", script], { timeout: 20_000 }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout)),
    );
  });
}

describe("CodeCache", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fab-code-cache-"));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("writes an entry on the first run and compiles from it on the next", async () => {
    const file = join(dir, "first.cjs");
    const cacheDir = join(dir, "cache-a");
    await writeFile(
      file,
      `const helper = require("node:path").basename(__filename);\nexports.value = "one:" + helper;\n`,
    );
    expect(await requireThroughCache(file, cacheDir)).toEqual({ value: "one:first.cjs", hits: 0, misses: 1 });
    expect(await readdir(cacheDir)).toHaveLength(1);
    expect(await requireThroughCache(file, cacheDir)).toEqual({ value: "one:first.cjs", hits: 1, misses: 0 });
  });

  it("never runs a stale entry: a changed file of the same length is compiled afresh", async () => {
    const file = join(dir, "changed.cjs");
    const cacheDir = join(dir, "cache-b");
    await writeFile(file, `exports.value = "AAAA";\n`);
    expect((await requireThroughCache(file, cacheDir)).value).toBe("AAAA");
    await writeFile(file, `exports.value = "BBBB";\n`);
    expect(await requireThroughCache(file, cacheDir)).toEqual({ value: "BBBB", hits: 0, misses: 1 });
    expect(await requireThroughCache(file, cacheDir)).toEqual({ value: "BBBB", hits: 1, misses: 0 });
    expect(await readdir(cacheDir)).toHaveLength(1);
  });

  it("ignores a corrupt entry and a cache directory it cannot write", async () => {
    const file = join(dir, "robust.cjs");
    const cacheDir = join(dir, "cache-c");
    await writeFile(file, `module.exports = "fine";\n`);
    await requireThroughCache(file, cacheDir);
    const [entry] = await readdir(cacheDir);
    await writeFile(join(cacheDir, entry!), "garbage that is no cache entry at all");
    expect(await requireThroughCache(file, cacheDir)).toEqual({ value: "fine", hits: 0, misses: 1 });

    // A file where the cache directory should be: it can never be created.
    const blocked = join(dir, "blocked");
    await writeFile(blocked, "");
    expect(await requireThroughCache(file, join(blocked, "cache"))).toEqual({
      value: "fine",
      hits: 0,
      misses: 1,
    });
  });

  it("keeps the module's own view: __filename, require", async () => {
    const file = join(dir, "view.cjs");
    const cacheDir = join(dir, "cache-d");
    await writeFile(
      file,
      `exports.value = [__filename === ${JSON.stringify(file)}, require.resolve("./view.cjs") === __filename, typeof require("node:os").hostname].join(",");\n`,
    );
    expect(await requireThroughCache(file, cacheDir)).toEqual({
      value: "true,true,function",
      hits: 0,
      misses: 1,
    });
    expect(await requireThroughCache(file, cacheDir)).toEqual({
      value: "true,true,function",
      hits: 1,
      misses: 0,
    });
  });

  it("compiles a file that uses import() as usual (vm.Script could not run it)", async () => {
    const file = join(dir, "imports.cjs");
    await writeFile(file, `exports.value = typeof import("node:os").then;\n`);
    expect(await requireThroughCache(file, join(dir, "cache-e"))).toEqual({
      value: "function",
      hits: 0,
      misses: 0,
    });
  });

  it("leaves a file with a shebang, and one that does not compile, to Node", async () => {
    const shebang = join(dir, "shebang.cjs");
    await writeFile(shebang, `#!/usr/bin/env node\nexports.value = "ran";\n`);
    expect(await requireThroughCache(shebang, join(dir, "cache-g"))).toEqual({
      value: "ran",
      hits: 0,
      misses: 0,
    });
    const broken = join(dir, "broken.cjs");
    await writeFile(broken, `exports.value = ;\n`);
    const error = await requireThroughCache(broken, join(dir, "cache-g")).catch((e: Error) => e);
    expect(String(error)).toContain("SyntaxError");
    expect(String(error)).toContain("broken.cjs");
  });

  it("deletes entries of files no longer loaded once they are a month old, when it next writes", async () => {
    const cacheDir = join(dir, "cache-f");
    const old = join(dir, "old.cjs");
    const kept = join(dir, "kept.cjs");
    await writeFile(old, `exports.value = "old";\n`);
    await writeFile(kept, `exports.value = "kept";\n`);
    await requireThroughCache(old, cacheDir);
    await requireThroughCache(kept, cacheDir);
    const [first, second] = await readdir(cacheDir);
    const longAgo = new Date(Date.now() - 40 * 24 * 3600 * 1000);
    await utimes(join(cacheDir, first!), longAgo, longAgo);
    await utimes(join(cacheDir, second!), longAgo, longAgo);
    // A run that uses `kept` (an old entry, but in use) and writes a new entry for `fresh`.
    const fresh = join(dir, "fresh.cjs");
    await writeFile(fresh, `exports.value = require(${JSON.stringify(kept)}).value + "+fresh";\n`);
    expect(await requireThroughCache(fresh, cacheDir)).toEqual({ value: "kept+fresh", hits: 1, misses: 1 });
    expect(await readdir(cacheDir)).toHaveLength(2);
    expect(await requireThroughCache(kept, cacheDir)).toEqual({ value: "kept", hits: 1, misses: 0 });
    expect(await requireThroughCache(old, cacheDir)).toEqual({ value: "old", hits: 0, misses: 1 });
  });

  it("lives under $XDG_CACHE_HOME, else ~/.cache, per Node version", () => {
    expect(defaultCodeCacheDir({ XDG_CACHE_HOME: "/x" })).toBe(
      join("/x", "fabric-ts", "code-cache", `${process.version}-${process.arch}`),
    );
    expect(defaultCodeCacheDir({})).toMatch(/\/\.cache\/fabric-ts\/code-cache\//);
  });

  it("is turned off by FABRIC_TS_CODE_CACHE=off or 0", () => {
    expect(defaultCodeCacheDir({ XDG_CACHE_HOME: "/x", FABRIC_TS_CODE_CACHE: "off" })).toBeNull();
    expect(defaultCodeCacheDir({ XDG_CACHE_HOME: "/x", FABRIC_TS_CODE_CACHE: "0" })).toBeNull();
    expect(defaultCodeCacheDir({ XDG_CACHE_HOME: "/x", FABRIC_TS_CODE_CACHE: "on" })).not.toBeNull();
  });
});
