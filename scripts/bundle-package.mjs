// Bundles a workspace package's compiled dist/ into dist/bundle/: one module per entry point plus
// shared chunks, instead of one module per source file. Importing @fabric-ts/fabric went from ~230
// ESM files to a handful, which is most of its load time. Run from a package directory after tsc.
//
// Each package is bundled on its own: the other @fabric-ts packages and all npm dependencies stay
// imports, so every package is still loaded once per process (instanceof across packages holds).
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { build } from "rolldown";

const packageDir = process.cwd();
const pkg = JSON.parse(readFileSync(join(packageDir, "package.json"), "utf8"));
const distDir = join(packageDir, "dist");
const outDir = join(distDir, "bundle");

/**
 * Entry name (path under dist/bundle, no extension) → compiled file. An export's `default` names its
 * bundle file and its `types` the tsc output beside which the compiled module lies.
 */
function entries() {
  const found = {};
  for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
    if (typeof target !== "object" || typeof target.default !== "string") continue;
    const bundled = join(packageDir, target.default);
    const name = relative(outDir, bundled).replace(/\.js$/, "");
    const compiled = join(packageDir, String(target.types).replace(/\.d\.ts$/, ".js"));
    if (name.startsWith("..") || !existsSync(compiled)) {
      throw new Error(`export ${subpath}: expected default under dist/bundle/ and ${compiled} from tsc`);
    }
    found[name.split(sep).join("/")] = compiled;
  }
  // Whatever the bin scripts load from dist/bundle/ (e.g. bin/fab.js → dist/bundle/bin/fab.js).
  for (const script of Object.values(pkg.bin ?? {})) {
    const text = readFileSync(join(packageDir, script), "utf8");
    for (const [, name] of text.matchAll(/dist\/bundle\/([\w./-]+)\.js/g)) {
      const compiled = join(distDir, `${name}.js`);
      if (!existsSync(compiled))
        throw new Error(`${script} loads dist/bundle/${name}.js but tsc made no ${compiled}`);
      found[name] = compiled;
    }
  }
  return found;
}

// Code that finds files relative to itself (package.json, createRequire) gets its original location.
const keepOwnLocation = {
  name: "keep-own-location",
  transform(code, id) {
    if (!code.includes("import.meta.url") || !id.startsWith(distDir + sep)) return null;
    const rel = relative(packageDir, id).split(sep).join("/");
    const url = `new URL(${JSON.stringify(rel)}, import.meta.resolve(${JSON.stringify(`${pkg.name}/package.json`)})).href`;
    return { code: code.replaceAll("import.meta.url", url), map: null };
  },
};

// tsc -b never deletes what it once emitted: a source file moved or removed leaves its old .js and
// .d.ts in dist/, and `pnpm pack` would ship them. Drop every tsc output whose source is gone.
const TSC_OUTPUT = /\.(?:d\.ts\.map|d\.ts|js\.map|js)$/;
function removeStaleOutputs(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (path !== outDir) removeStaleOutputs(path);
      continue;
    }
    if (!TSC_OUTPUT.test(entry.name)) continue;
    const stem = join(packageDir, "src", relative(distDir, path)).replace(TSC_OUTPUT, "");
    if (![".ts", ".mts", ".tsx", ".js", ".mjs"].some((ext) => existsSync(stem + ext))) rmSync(path);
  }
}
removeStaleOutputs(distDir);

await build({
  input: entries(),
  platform: "node",
  plugins: [keepOwnLocation],
  // Only the package's own files are bundled: anything imported by a bare name stays external.
  external: (source) => !source.startsWith(".") && !source.startsWith("/") && !source.startsWith("\0"),
  logLevel: "warn",
  output: {
    dir: outDir,
    format: "esm",
    entryFileNames: "[name].js",
    chunkFileNames: "chunks/[name]-[hash].js",
    cleanDir: true,
  },
});
