#!/usr/bin/env node
import { existsSync } from "node:fs";

// Ad-hoc commands (`fab -H h -- cmd`) start from the bundled CLI when it was built: far fewer
// modules to load. It hands anything that needs a tasks file back to the regular entry.
const bundled = new URL("../dist/cli/fab.js", import.meta.url);
await import(process.argv.includes("--") && existsSync(bundled) ? bundled.href : "../dist/bin/fab.js");
