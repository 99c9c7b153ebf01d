// Module hooks that let a plain worker thread import the package's TypeScript sources:
// `.js` specifiers that name a sibling `.ts` file resolve to it, `.ts` is transpiled per file,
// and workspace packages resolve through their `source` export condition (as vitest does).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const ts = createRequire(import.meta.url)("typescript");

export async function resolve(specifier, context, nextResolve) {
  const conditions = [...(context.conditions ?? []), "source"];
  if (specifier.endsWith(".js") && context.parentURL?.endsWith(".ts") && /^\.\.?\//.test(specifier)) {
    const candidate = new URL(specifier.replace(/\.js$/, ".ts"), context.parentURL);
    if (existsSync(fileURLToPath(candidate))) return { url: candidate.href, shortCircuit: true };
  }
  return nextResolve(specifier, { ...context, conditions });
}

export async function load(url, context, nextLoad) {
  if (!url.endsWith(".ts")) return nextLoad(url, context);
  const source = await readFile(fileURLToPath(url), "utf8");
  const { outputText } = ts.transpileModule(source, {
    fileName: fileURLToPath(url),
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      sourceMap: false,
    },
  });
  return { format: "module", source: outputText, shortCircuit: true };
}
