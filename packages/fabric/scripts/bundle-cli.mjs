// Bundles the `fab` start-up path into dist/cli/ (one module graph instead of ~200 files: start-up
// is mostly ESM resolution and loading). bin/fab.js uses it for ad-hoc commands (`fab -H h -- cmd`)
// and falls back to dist/bin/fab.js for anything that loads a tasks file, which must share the
// regular modules with the user's code (instanceof, error classes).
//
// The bundle is CommonJS so that bin/fab.js can compile it through a V8 code cache (Node 20 has
// none for ES modules; see src/bin/code-cache.ts). `import.meta` has no CommonJS form, so its uses
// (finding a package's own files) are rewritten to `require.resolve`.
//
// Packages with native parts or their own file layout (ssh2, node-pty, jiti, yaml, zod) stay external
// and are resolved at run time from the workspace package that depends on them, as without a bundle.
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "rolldown";
import { ssh2FacadeSource } from "./ssh2-facade.mjs";

const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const packagesDir = dirname(packageDir);
const OWNERS = {
  invoke: "@fabric-ts/invoke",
  "ssh-core": "@fabric-ts/ssh-core",
  fabric: "@fabric-ts/fabric",
};
/** External CommonJS packages, with the named exports our code imports from them. */
const EXTERNAL = { ssh2: [], "node-pty": [], jiti: ["createJiti"], "cpu-features": [] };
const VIRTUAL = "\0fab-external:";

/** `{ owner, rel }` for a file inside a workspace package's dist/, else null. */
function ownerOf(file) {
  const rel = relative(packagesDir, file);
  const [dir, ...rest] = rel.split(sep);
  const owner = OWNERS[dir];
  return owner && rest[0] === "dist" ? { owner, rel: rest.join("/") } : null;
}

const ownerRelative = {
  name: "owner-relative",
  resolveId(source, importer) {
    const name = source.startsWith("@") ? source.split("/").slice(0, 2).join("/") : source.split("/")[0];
    if (!(name in EXTERNAL) || !importer) return null;
    const from = ownerOf(importer);
    if (!from) return null;
    return `${VIRTUAL}${from.owner}|${source}`;
  },
  load(id) {
    if (!id.startsWith(VIRTUAL)) return null;
    const [owner, source] = id.slice(VIRTUAL.length).split("|");
    const name = source.split("/")[0];
    const require = `createRequire(require.resolve(${JSON.stringify(`${owner}/package.json`)}))`;
    if (source === "ssh2") return ssh2FacadeSource(require);
    const named = (EXTERNAL[name] ?? []).map((n) => `export const ${n} = m.${n};`).join("\n");
    return [
      `import { createRequire } from "node:module";`,
      `const m = ${require}(${JSON.stringify(source)});`,
      "export default m;",
      named,
    ].join("\n");
  },
  // Code that finds files or packages relative to itself gets its original location back.
  transform(code, id) {
    if (!code.includes("import.meta")) return null;
    const from = ownerOf(id);
    if (!from) return null;
    const url = `new URL(${JSON.stringify(from.rel)}, ${RESOLVE}(${JSON.stringify(`${from.owner}/package.json`)})).href`;
    return {
      code: code.replaceAll("import.meta.url", url).replaceAll("import.meta.resolve(", `${RESOLVE}(`),
      map: null,
    };
  },
};

/** `import.meta.resolve()` for the bundle (only ever asked for workspace packages' package.json). */
const RESOLVE = "__fabResolve";
/**
 * `import()` for the bundle: code compiled through the code cache cannot import (vm.Script), so it
 * asks the host that bin/fab.js installs (requireWithCodeCache in src/bin/code-cache.ts).
 */
const IMPORT = "__fabImport";
const HELPERS = [
  // Memoised for the process: every chunk lives in dist/cli/, so an answer holds for all of them.
  `const ${RESOLVE}d = (globalThis[Symbol.for("fabric-ts.resolved")] ??= new Map());`,
  `const ${RESOLVE} = (specifier) => ${RESOLVE}d.get(specifier) ?? ${RESOLVE}d.set(specifier, require("node:url").pathToFileURL(require.resolve(specifier)).href).get(specifier);`,
  `const ${IMPORT} = (specifier) => globalThis[Symbol.for("fabric-ts.import")](specifier);`,
].join("\n");

/**
 * Every dynamic `import(` of the bundle goes through the import host, and each chunk gets the
 * helpers (after its "use strict": the code was written as ES modules, which are strict).
 */
const helpers = {
  name: "bundle-helpers",
  renderChunk(code) {
    const body = code.replace(/(?<![\w$.])import\s*\(/g, `${IMPORT}(`);
    const strict = /^(["'])use strict\1;?\n/.exec(body);
    if (!strict) throw new Error('bundle-cli: expected a "use strict" directive at the top of each chunk');
    return { code: `${strict[0]}${HELPERS}\n${body.slice(strict[0].length)}`, map: null };
  },
};

await build({
  input: join(packageDir, "dist", "bin", "fab-fast.js"),
  platform: "node",
  plugins: [ownerRelative, helpers],
  external: [/^node:/],
  logLevel: "warn",
  output: {
    dir: join(packageDir, "dist", "cli"),
    format: "cjs",
    entryFileNames: "fab.cjs",
    // Names without a content hash: the code cache keeps one entry per path.
    chunkFileNames: "[name].cjs",
    strict: true,
    cleanDir: true,
  },
});
