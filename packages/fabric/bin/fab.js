#!/usr/bin/env node
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

// Ad-hoc commands (`fab -H h -- cmd`) start from the bundled CLI when it was built: one CommonJS
// module graph, compiled through a V8 code cache. It hands anything with a tasks file back to the
// regular entry.
const bundled = fileURLToPath(new URL("../dist/cli/fab.cjs", import.meta.url));
if (!(process.argv.includes("--") && existsSync(bundled) && (await runBundled(bundled)))) {
  await import("../dist/bundle/bin/fab.js");
}

async function runBundled(file) {
  const { requireWithCodeCache } = await import("../dist/bin/code-cache.js");
  const { exports, cache } = requireWithCodeCache(file);
  if (await exports.runAdHoc(process.argv.slice(2))) return true;
  // The user's tasks file and its modules are compiled as usual.
  cache?.uninstall();
  return false;
}
