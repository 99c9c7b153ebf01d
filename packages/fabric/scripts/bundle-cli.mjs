// Bundles the `fab` start-up path into dist/cli/ (one module graph instead of ~200 files: start-up
// is mostly ESM resolution and loading). bin/fab.js uses it for ad-hoc commands (`fab -H h -- cmd`)
// and falls back to dist/bin/fab.js for anything that loads a tasks file, which must share the
// regular modules with the user's code (instanceof, error classes).
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
    const require = `createRequire(import.meta.resolve(${JSON.stringify(`${owner}/package.json`)}))`;
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
    if (!code.includes("import.meta.url")) return null;
    const from = ownerOf(id);
    if (!from) return null;
    const url = `new URL(${JSON.stringify(from.rel)}, import.meta.resolve(${JSON.stringify(`${from.owner}/package.json`)})).href`;
    return { code: code.replaceAll("import.meta.url", url), map: null };
  },
};

await build({
  input: join(packageDir, "dist", "bin", "fab-fast.js"),
  platform: "node",
  plugins: [ownerRelative],
  external: [/^node:/],
  logLevel: "warn",
  output: { dir: join(packageDir, "dist", "cli"), format: "esm", entryFileNames: "fab.js", cleanDir: true },
});
